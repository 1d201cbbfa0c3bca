package io.github.inception4j.eval;

import io.github.inception4j.data.DataLoader;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.report.Evaluation;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** Which model a member's scores came from, as the report names it. */
    public record Member(String source, String architecture, InferenceBackend backend) implements Serializable {

        public static Member of(ImageClassifier classifier) {
            return new Member(classifier.source(), classifier.architecture().cliName(), classifier.backend());
        }
    }

    /**
     * One model's class probabilities over some images: under each protocol, one row per image (softmax averaged
     * over the protocol's views), in data order; the images' true classes; the images skipped as undecodable.
     * Serializable, so that parts of a dataset can be scored apart (on a cluster) and {@link #concat}enated.
     */
    public record Scores(Map<CropProtocol, float[][]> probabilities, int[] labels, long skipped)
            implements Serializable {

        /** Scores of consecutive parts of one dataset, in order, as one. */
        public static Scores concat(List<Scores> parts) {
            Map<CropProtocol, float[][]> joined = new EnumMap<>(CropProtocol.class);
            parts.get(0).probabilities.keySet().forEach(p -> joined.put(p,
                    parts.stream().flatMap(s -> Arrays.stream(s.probabilities.get(p))).toArray(float[][]::new)));
            return new Scores(joined, parts.stream().flatMapToInt(s -> Arrays.stream(s.labels)).toArray(),
                    parts.stream().mapToLong(Scores::skipped).sum());
        }
    }

    private static Result run(List<ImageClassifier> members, ImageDataset data, List<CropProtocol> protocols,
                              int threads, Progress progress, boolean averaged) {
        if (members.isEmpty() || protocols.isEmpty()) {
            throw new IllegalArgumentException("evaluation needs at least one model and one crop protocol");
        }
        long total = (long) members.size() * data.size();
        long start = System.nanoTime();
        List<Scores> scores = new ArrayList<>();
        for (ImageClassifier member : members) {
            long before = (long) scores.size() * data.size();
            scores.add(score(member, data, protocols, threads, (done, all, rate, eta) -> {
                double seconds = (System.nanoTime() - start) / 1e9;
                double overall = (before + done) / Math.max(seconds, 1e-9);
                progress.update(before + done, total, overall, (total - before - done) / overall);
            }));
        }
        return assemble(members.stream().map(Member::of).toList(), scores, data.classNames(), protocols, averaged);
    }

    /**
     * One model's {@link Scores} on {@code data}: every protocol's views of an image in one forward pass.
     *
     * @param threads loader threads (decoding and cropping)
     * @throws IllegalArgumentException if the model's classes are not the data's
     */
    public static Scores score(ImageClassifier member, ImageDataset data, List<CropProtocol> protocols, int threads,
                               Progress progress) {
        int classes = data.classNames().size();
        if (member.options().numClasses() != classes) {
            throw new IllegalArgumentException(member.source() + " has " + member.options().numClasses()
                    + " classes but the data has " + classes + " (" + String.join(", ", data.classNames()) + ")");
        }
        int totalViews = protocols.stream().mapToInt(CropProtocol::views).sum();
        int sample = member.sampleLength();
        int imagesPerBatch = Math.max(1, Math.min(MAX_IMAGES_PER_BATCH, FLOATS_PER_BATCH / (totalViews * sample)));
        Map<CropProtocol, List<float[]>> rows = new EnumMap<>(CropProtocol.class);
        protocols.forEach(p -> rows.put(p, new ArrayList<>()));
        List<Integer> labels = new ArrayList<>();
        long start = System.nanoTime();
        long done = 0;
        long skipped;
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
                        labels.add(batch.labels()[i]);
                    }
                }
                done += batch.count();
                double rate = done / Math.max((System.nanoTime() - start) / 1e9, 1e-9);
                progress.update(done, data.size(), rate, (data.size() - done) / rate);
            }
            skipped = loader.skipped();
        }
        Map<CropProtocol, float[][]> probabilities = new EnumMap<>(CropProtocol.class);
        rows.forEach((protocol, list) -> probabilities.put(protocol, list.toArray(float[][]::new)));
        return new Scores(probabilities, labels.stream().mapToInt(Integer::intValue).toArray(), skipped);
    }

    /**
     * The evaluation of models from their scores on the same images (each model's {@link #score}, computed
     * anywhere): each model's accuracy under each protocol and, if {@code averaged} and there are several, their
     * ensemble (probabilities averaged over models).
     *
     * @throws IllegalStateException if the models saw different images
     */
    public static Result assemble(List<Member> members, List<Scores> scores, List<String> classNames,
                                  List<CropProtocol> protocols, boolean averaged) {
        int[] labels = scores.get(0).labels();
        List<MemberResult> results = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            Scores these = scores.get(m);
            if (!Arrays.equals(labels, these.labels())) {
                throw new IllegalStateException("models saw different images; the data changed during evaluation");
            }
            Map<CropProtocol, Evaluation> evaluations = new LinkedHashMap<>();
            Map<CropProtocol, int[]> predictions = new EnumMap<>(CropProtocol.class);
            for (CropProtocol protocol : protocols) {
                float[][] pr = these.probabilities().get(protocol);
                evaluations.put(protocol, Evaluation.of(pr, labels, classNames));
                predictions.put(protocol, Arrays.stream(pr).mapToInt(EnsembleEvaluator::argmax).toArray());
            }
            Member member = members.get(m);
            results.add(new MemberResult(member.source(), member.architecture(), member.backend(), evaluations,
                    predictions));
        }
        Map<CropProtocol, Evaluation> ensemble = null;
        if (averaged && members.size() > 1) {
            ensemble = new LinkedHashMap<>();
            for (CropProtocol protocol : protocols) {
                float[][] sum = new float[labels.length][];
                for (int i = 0; i < labels.length; i++) {
                    float[][] perModel = new float[members.size()][];
                    for (int m = 0; m < members.size(); m++) {
                        perModel[m] = scores.get(m).probabilities().get(protocol)[i];
                    }
                    sum[i] = ImageClassifier.mean(perModel, 0, members.size());
                }
                ensemble.put(protocol, Evaluation.of(sum, labels, classNames));
            }
        }
        return new Result(results, ensemble, protocols, scores.get(0).skipped(), labels);
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
