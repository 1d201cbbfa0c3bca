package io.github.inception4j.eval;

import io.github.inception4j.data.DataLoader;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.report.Evaluation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one or more classifiers on a labelled dataset under one or more crop protocols, and their ensemble:
 * softmax probabilities averaged over views (P1 §7), then over models (P1 §7, P2 Table 5). Each model reads the
 * data through its own preprocessing, so models of different input sizes can be combined.
 */
public final class EnsembleEvaluator {

    /** Floats of views per loader batch (about 16 MB): whole images, at least one. */
    private static final int FLOATS_PER_BATCH = 1 << 22;
    private static final int MAX_IMAGES_PER_BATCH = 64;

    /** Called after every batch with the images done so far (over all models) and the total. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total, double imagesPerSecond, double etaSeconds);
    }

    /**
     * A model's results under each protocol.
     *
     * @param predictions each image's top-1 class under each protocol, in data order
     */
    public record MemberResult(String source, String architecture, InferenceBackend backend,
                               Map<CropProtocol, Evaluation> byProtocol, Map<CropProtocol, int[]> predictions) {

        /**
         * How often this model's top-1 class equals {@code other}'s on the same images: overall, then for the
         * images of each true class ({@code labels}), under {@code protocol}.
         */
        public double[] agreement(MemberResult other, CropProtocol protocol, int[] labels, int classes) {
            int[] a = predictions.get(protocol);
            int[] b = other.predictions.get(protocol);
            long[] same = new long[classes + 1];
            long[] count = new long[classes + 1];
            for (int i = 0; i < a.length; i++) {
                int equal = a[i] == b[i] ? 1 : 0;
                same[0] += equal;
                count[0]++;
                same[labels[i] + 1] += equal;
                count[labels[i] + 1]++;
            }
            double[] out = new double[classes + 1];
            for (int c = 0; c <= classes; c++) {
                out[c] = count[c] == 0 ? Double.NaN : (double) same[c] / count[c];
            }
            return out;
        }
    }

    /**
     * @param ensemble the averaged models' results by protocol; null for a single model
     * @param skipped images that could not be decoded (skipped with a warning; not counted)
     * @param labels the true class of each image evaluated, in data order
     */
    public record Result(List<MemberResult> members, Map<CropProtocol, Evaluation> ensemble,
                         List<CropProtocol> protocols, long skipped, int[] labels) {

        /** What the user asked for: the ensemble's, or the single model's, result under {@code protocol}. */
        public Evaluation headline(CropProtocol protocol) {
            return ensemble != null ? ensemble.get(protocol) : members.get(0).byProtocol().get(protocol);
        }

        /**
         * P1 Table 3: one row per (number of models, protocol) — the first model alone, then all of them — with
         * the cost (models × crops) and errors; the base is one model with the first protocol.
         */
        public List<TableRow> table() {
            List<TableRow> rows = new ArrayList<>();
            List<Integer> modelCounts = ensemble != null ? List.of(1, members.size()) : List.of(1);
            Evaluation base = members.get(0).byProtocol().get(protocols.get(0));
            for (int models : modelCounts) {
                for (CropProtocol protocol : protocols) {
                    Evaluation e = models == 1 ? members.get(0).byProtocol().get(protocol) : ensemble.get(protocol);
                    rows.add(new TableRow(models, protocol, models * protocol.views(), 1 - e.accuracy(),
                            1 - e.top5(), (1 - e.top5()) - (1 - base.top5()), (1 - e.accuracy()) - (1 - base.accuracy())));
                }
            }
            return rows;
        }
    }

    /** A row of P1 Table 3 (errors as fractions; "compared to base" as differences of error). */
    public record TableRow(int models, CropProtocol protocol, int cost, double top1Error, double top5Error,
                           double top5ComparedToBase, double top1ComparedToBase) {
    }

    private EnsembleEvaluator() {
    }

    /**
     * @param protocols which protocols to score (each model runs all their views in one pass over the data)
     * @param threads loader threads (decoding and cropping)
     */
    public static Result evaluate(List<ImageClassifier> members, ImageDataset data, List<CropProtocol> protocols,
                                  int threads, Progress progress) {
        return run(members, data, protocols, threads, progress, true);
    }

    /**
     * Evaluates {@code candidate} (an int8 model, say) and {@code reference} (the same weights in float) on the same
     * images: the result's members are the candidate, then the reference, and there is no ensemble; compare them
     * with {@link MemberResult#agreement}.
     */
    public static Result compare(ImageClassifier candidate, ImageClassifier reference, ImageDataset data,
                                 List<CropProtocol> protocols, int threads, Progress progress) {
        return run(List.of(candidate, reference), data, protocols, threads, progress, false);
    }

    private static Result run(List<ImageClassifier> members, ImageDataset data, List<CropProtocol> protocols,
                              int threads, Progress progress, boolean averaged) {
        if (members.isEmpty() || protocols.isEmpty()) {
            throw new IllegalArgumentException("evaluation needs at least one model and one crop protocol");
        }
        int classes = data.classNames().size();
        for (ImageClassifier m : members) {
            if (m.options().numClasses() != classes) {
                throw new IllegalArgumentException(m.source() + " has " + m.options().numClasses()
                        + " classes but the data has " + classes + " (" + String.join(", ", data.classNames()) + ")");
            }
        }
        int totalViews = protocols.stream().mapToInt(CropProtocol::views).sum();
        long total = (long) members.size() * data.size();
        long start = System.nanoTime();
        long[] done = {0};
        List<MemberResult> results = new ArrayList<>();
        List<Map<CropProtocol, float[][]>> probabilities = new ArrayList<>();
        int[] labels = null;
        long skipped = 0;
        for (ImageClassifier member : members) {
            int sample = member.sampleLength();
            int imagesPerBatch = Math.max(1, Math.min(MAX_IMAGES_PER_BATCH, FLOATS_PER_BATCH / (totalViews * sample)));
            Map<CropProtocol, List<float[]>> rows = new EnumMap<>(CropProtocol.class);
            protocols.forEach(p -> rows.put(p, new ArrayList<>()));
            List<Integer> memberLabels = new ArrayList<>();
            try (DataLoader loader = new DataLoader(data, imagesPerBatch, false,
                    member.transform(protocols), totalViews * sample, 0, DataLoader.Workers.of(threads, false));
                 DataLoader.EpochIterator it = loader.epoch(0, 0)) {
                while (it.hasNext()) {
                    DataLoader.Batch batch = it.next();
                    if (batch.count() > 0) {
                        float[][] p = member.probabilitiesOf(batch.samples(), batch.count() * totalViews);
                        for (int i = 0; i < batch.count(); i++) {
                            int offset = i * totalViews;
                            for (CropProtocol protocol : protocols) {
                                rows.get(protocol).add(ImageClassifier.mean(p, offset, protocol.views()));
                                offset += protocol.views();
                            }
                            memberLabels.add(batch.labels()[i]);
                        }
                    }
                    done[0] += batch.count();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double rate = done[0] / Math.max(seconds, 1e-9);
                    progress.update(done[0], total, rate, (total - done[0]) / rate);
                }
                skipped = loader.skipped();
            }
            int[] these = memberLabels.stream().mapToInt(Integer::intValue).toArray();
            if (labels != null && !java.util.Arrays.equals(labels, these)) {
                throw new IllegalStateException("models saw different images; the data changed during evaluation");
            }
            labels = these;
            Map<CropProtocol, float[][]> byProtocol = new EnumMap<>(CropProtocol.class);
            Map<CropProtocol, Evaluation> evaluations = new LinkedHashMap<>();
            Map<CropProtocol, int[]> predictions = new EnumMap<>(CropProtocol.class);
            for (CropProtocol protocol : protocols) {
                float[][] pr = rows.get(protocol).toArray(float[][]::new);
                byProtocol.put(protocol, pr);
                evaluations.put(protocol, Evaluation.of(pr, labels, data.classNames()));
                predictions.put(protocol, java.util.Arrays.stream(pr).mapToInt(EnsembleEvaluator::argmax).toArray());
            }
            probabilities.add(byProtocol);
            results.add(new MemberResult(member.source(), member.architecture().cliName(), member.backend(),
                    evaluations, predictions));
        }
        Map<CropProtocol, Evaluation> ensemble = null;
        if (averaged && members.size() > 1) {
            ensemble = new LinkedHashMap<>();
            for (CropProtocol protocol : protocols) {
                float[][] sum = new float[labels.length][];
                for (int i = 0; i < labels.length; i++) {
                    float[][] perModel = new float[members.size()][];
                    for (int m = 0; m < members.size(); m++) {
                        perModel[m] = probabilities.get(m).get(protocol)[i];
                    }
                    sum[i] = ImageClassifier.mean(perModel, 0, members.size());
                }
                ensemble.put(protocol, Evaluation.of(sum, labels, data.classNames()));
            }
        }
        return new Result(results, ensemble, protocols, skipped, labels);
    }

    private static int argmax(float[] scores) {
        int best = 0;
        for (int c = 1; c < scores.length; c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return best;
    }
}
