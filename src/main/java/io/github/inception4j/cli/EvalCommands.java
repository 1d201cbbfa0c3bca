package io.github.inception4j.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.data.ImageDecodeException;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.eval.CropProtocol;
import io.github.inception4j.eval.EnsembleEvaluator;
import io.github.inception4j.eval.EvaluationReport;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.eval.PredictionJson;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.report.Evaluation;
import io.github.inception4j.train.RunData;
import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.weights.Numpy;
import io.github.inception4j.weights.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code predict}, {@code evaluate} and {@code features}: trained networks applied to images. */
public final class EvalCommands {

    private EvalCommands() {
    }

    /** Images decoded and run through the network together by {@code features}. */
    private static final int FEATURE_BATCH = 32;

    /** A file decoded, or the reason it was refused. */
    private record Decoded(Path file, FloatImage image, String error) {
    }

    private static Decoded decode(Path file, ImageDecoder decoder) {
        try {
            return new Decoded(file, decoder.read(file), null);
        } catch (ImageDecodeException e) {
            return new Decoded(file, null, e.problem());
        }
    }

    /** Decodes files in parallel, keeping their order; a refused file carries its reason. */
    private static List<Decoded> decodeAll(List<Path> files, ImageDecoder decoder) {
        return files.parallelStream().map(f -> decode(f, decoder)).toList();
    }

    /** A file's views, preprocessed as soon as it is decoded (only S × S samples are held), or its refusal. */
    private record Prepared(Path file, float[] views, String error) {
    }

    private static List<Prepared> prepareAll(List<Path> files, ImageClassifier c, CropProtocol protocol) {
        ImageDecoder decoder = c.decoder(List.of(protocol));
        return files.parallelStream().map(f -> {
            Decoded d = decode(f, decoder);
            return d.error() != null ? new Prepared(f, null, d.error())
                    : new Prepared(f, c.preprocess(d.image(), List.of(protocol)), null);
        }).toList();
    }

    /** Names each refused file with its reason on standard error and returns how many there were. */
    private static int reportRefused(PrintWriter err, List<Path> files, List<String> errors) {
        int refused = 0;
        for (int i = 0; i < files.size(); i++) {
            if (errors.get(i) != null) {
                err.println(files.get(i) + ": refused: " + errors.get(i));
                refused++;
            }
        }
        return refused;
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Classify images with a checkpoint or a weight file: the top-k classes and their "
                    + "probabilities.", "A file that cannot be decoded (damaged, unsupported, over the decode budget) "
                    + "is named with its reason and skipped; the others are still classified, and the exit code is "
                    + "then 1."})
    static final class Predict implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ClassifierOptions classifier;

        @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR|GLOB", description = "Images; a directory gives its "
                + "image files (recursively); quote globs such as 'photos/*.jpg'.")
        List<String> images;

        @Mixin
        PredictionOptions prediction;

        @Option(names = "--json", description = "One JSON document: {images, classified, refused, results}, "
                + "results a list of {file, predictions} or {file, error}.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            CropProtocol protocol = prediction.protocol();
            int topK = prediction.topK();
            int batchSize = prediction.batchSize();
            List<Path> files = ImageInputs.expand(images);
            JsonArray results = new JsonArray();
            int refused = 0;
            PrintWriter err = spec.commandLine().getErr();
            try (ImageClassifier c = classifier.open()) {
                int k = Math.min(topK, c.classNames().size());
                int views = protocol.views();
                for (int start = 0; start < files.size(); start += batchSize) {
                    List<Prepared> batch = prepareAll(files.subList(start, Math.min(files.size(), start + batchSize)),
                            c, protocol);
                    List<Prepared> good = batch.stream().filter(d -> d.error() == null).toList();
                    float[] x = new float[good.size() * views * c.sampleLength()];
                    for (int i = 0; i < good.size(); i++) {
                        System.arraycopy(good.get(i).views(), 0, x, i * good.get(i).views().length,
                                good.get(i).views().length);
                    }
                    float[][] p = good.isEmpty() ? new float[0][] : c.probabilitiesOfViews(x, good.size(), views);
                    int g = 0;
                    for (Prepared d : batch) {
                        JsonObject o = new JsonObject();
                        o.addProperty("file", d.file().toString());
                        if (d.error() != null) {
                            refused++;
                            o.addProperty("error", d.error());
                            if (!json) {
                                err.println(d.file() + ": refused: " + d.error());
                            }
                        } else {
                            List<ImageClassifier.Prediction> top = c.topK(p[g++], k);
                            o.add("predictions", PredictionJson.of(top));
                            if (!json) {
                                out.println(d.file());
                                for (ImageClassifier.Prediction pr : top) {
                                    out.println(String.format(Locale.ROOT, "  %7.3f%%  %s (%d)",
                                            100 * pr.probability(), pr.label(), pr.index()));
                                }
                            }
                        }
                        results.add(o);
                    }
                }
            }
            if (json) {
                JsonObject document = new JsonObject();
                document.addProperty("images", files.size());
                document.addProperty("classified", files.size() - refused);
                document.addProperty("refused", refused);
                document.add("results", results);
                out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(document));
            } else if (refused > 0) {
                err.println(refused + " of " + files.size() + " images refused; the others were classified");
            }
            out.flush();
            return refused == 0 ? 0 : 1;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = {"Top-1 and top-5 accuracy of one checkpoint, or of several as an ensemble (softmax "
                    + "probabilities averaged), on labelled data, with the papers' crop protocols (P1 §7).",
                    "An image that cannot be decoded is named with its reason and skipped; the exit code is then 1 "
                    + "and evaluation.json counts them (skippedImages)."})
    public static class Evaluate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--checkpoint", required = true, arity = "1..*", paramLabel = "DIR",
                description = "One checkpoint, or several for an ensemble.")
        List<Path> checkpoints;

        @Option(names = "--data", paramLabel = "SOURCE", description = "A class-per-folder "
                + "directory, or fashion-mnist[:test|:train] (also fashion-mnist-subset, fashion-mnist:DIR); "
                + "Fashion-MNIST sources default to their test split.")
        protected String data;

        @Option(names = "--validation-of", paramLabel = "RUN", description = "Instead of --data: the validation "
                + "images the training run RUN held out, refused unless every checkpoint's run held out the same "
                + "ones (train an ensemble's members with one --split-seed); choose crops and members here, "
                + "before the test split is read.")
        Path validationOf;

        @Option(names = "--crops", paramLabel = "P", defaultValue = "center",
                completionCandidates = CropProtocol.Ids.class,
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        String crops;

        @Option(names = "--table", description = "Also score every smaller protocol and print P1 Table 3: models × "
                + "crops → cost, top-1 and top-5 error, compared to one model with one crop.")
        boolean table;

        @Option(names = "--limit", paramLabel = "N", description = "Only the first N images (quick checks).")
        protected Integer limit;

        @Option(names = "--out", paramLabel = "DIR", description = "Write evaluation.json and report.html (confusion "
                + "matrix, per-class accuracy) here.")
        Path outDir;

        @Option(names = "--threads", paramLabel = "T", defaultValue = "2", description = "Loader threads "
                + "(decoding, cropping; default: ${DEFAULT-VALUE}).")
        protected int threads;

        @Mixin
        BackendOption backend;

        @Option(names = "--json", description = "Print evaluation.json instead of the summary.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            CropProtocol protocol = CropProtocol.byId(crops);
            List<CropProtocol> protocols = table ? protocol.upTo() : List.of(protocol);
            if ((data == null) == (validationOf == null)) {
                throw new IllegalArgumentException("give the images to evaluate on: --data or --validation-of, "
                        + "one of them");
            }
            ImageDataset dataset = validationOf == null ? DataSources.openForEvaluation(data, limit)
                    : DataSources.limit(RunData.heldOut(validationOf, checkpoints), limit);
            String source = data != null ? data : "validation split of " + validationOf;
            ConsoleProgress progress = new ConsoleProgress(out, spec.commandLine().getErr(), System.console() != null);
            EnsembleEvaluator.Progress shown = (done, total, rate, eta) -> progress.progress("evaluating", done, total,
                    "", rate, eta);
            boolean reduced = backend.backend().reducedPrecision();
            if (reduced && checkpoints.size() > 1) {
                throw new IllegalArgumentException("an " + backend.backend().id() + " evaluation compares one "
                        + "checkpoint with its float32 results; ensembles run in float32");
            }
            EnsembleEvaluator.Result result = evaluate(checkpoints, backend.backend(), dataset, protocols, shown);
            progress.clearLine();
            String report = EvaluationReport.json(result, source, protocol);
            if (outDir != null) {
                Checkpoint.writeAtomically(outDir.resolve("evaluation.json"), report.getBytes(StandardCharsets.UTF_8));
                Checkpoint.writeAtomically(outDir.resolve("report.html"),
                        EvaluationReport.html(result, source, protocol).getBytes(StandardCharsets.UTF_8));
            }
            int status = result.skipped() > 0 ? 1 : 0;
            if (json) {
                out.println(report);
                return status;
            }
            for (EnsembleEvaluator.MemberResult m : result.members()) {
                print(out, m.source() + (reduced ? " (" + m.backend().id() + ")" : ""), m.byProtocol().get(protocol),
                        protocol, 1);
            }
            if (reduced) {
                EnsembleEvaluator.MemberResult q = result.members().get(0);
                double agreement = q.agreement(result.members().get(1), protocol, result.labels(),
                        dataset.classNames().size())[0];
                out.println(String.format(Locale.ROOT, "%s against float32: top-1 agreement %.2f%%, top-1 %+.2f "
                        + "points", q.backend().id(), 100 * agreement, 100 * (q.byProtocol().get(protocol).accuracy()
                        - result.members().get(1).byProtocol().get(protocol).accuracy())));
            }
            if (result.ensemble() != null) {
                print(out, "ensemble of " + result.members().size(), result.ensemble().get(protocol), protocol, result.members().size());
            }
            if (result.skipped() > 0) {
                out.println(result.skipped() + " undecodable images skipped (see the warnings above)");
            }
            if (protocols.size() > 1 || result.ensemble() != null) {
                out.print(EvaluationReport.table(result));
            }
            if (outDir != null) {
                out.println("wrote " + outDir.resolve("evaluation.json") + " and " + outDir.resolve("report.html"));
            }
            return status;
        }

        /**
         * Scores the checkpoints on {@code dataset} in this process; {@code inception-spark evaluate} overrides it to
         * score on a cluster. A backend of {@link InferenceBackend#reducedPrecision() reduced precision} is compared
         * with the same checkpoint in float32 (the result's second member).
         */
        protected EnsembleEvaluator.Result evaluate(List<Path> checkpoints, InferenceBackend backend,
                                                    ImageDataset dataset, List<CropProtocol> protocols,
                                                    EnsembleEvaluator.Progress progress) {
            List<ImageClassifier> members = new ArrayList<>();
            try {
                for (Path checkpoint : checkpoints) {
                    members.add(ImageClassifier.load(checkpoint, backend));
                }
                if (backend.reducedPrecision()) {
                    // The same images through the float weights of the same checkpoint, for the comparison.
                    members.add(ImageClassifier.load(checkpoints.get(0), InferenceBackend.DEFAULT));
                    return EnsembleEvaluator.compare(members.get(0), members.get(1), dataset, protocols, threads,
                            progress);
                }
                return EnsembleEvaluator.evaluate(members, dataset, protocols, threads, progress);
            } finally {
                members.forEach(ImageClassifier::close);
            }
        }

        private static void print(PrintWriter out, String name, Evaluation e, CropProtocol protocol, int models) {
            out.println(String.format(Locale.ROOT, "%s: top-1 %.2f%% (error %.2f%%), top-5 %.2f%%, loss %.4f on %d "
                            + "images; %s crop%s, cost %d per image", name, 100 * e.accuracy(), 100 * (1 - e.accuracy()),
                    100 * e.top5(), e.loss(), e.count(), protocol.id(), protocol.views() == 1 ? "" : "s",
                    models * protocol.views()));
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true,
            description = {"Write a named endpoint's output (default: the pooled pre-logits) for each image to one "
                    + "float32 .npy.", "Rows follow the order printed; a file that cannot be decoded is named with "
                    + "its reason and gets no row, and the exit code is then 1."})
    static final class Features implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ClassifierOptions classifier;

        @Option(names = "--endpoint", paramLabel = "NAME", description = "A layer of the main path, e.g. "
                + "inception4e or Mixed_6e's equivalent (default: the layer before the classifier).")
        String endpoint;

        @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Where to write.")
        Path output;

        @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR|GLOB")
        List<String> images;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            List<Path> files = ImageInputs.expand(images);
            PrintWriter err = spec.commandLine().getErr();
            try (ImageClassifier c = classifier.openForFeatures()) {
                String name = endpoint != null ? endpoint : c.spec().preLogitsEndpoint();
                ImageDecoder decoder = c.decoder(List.of(CropProtocol.CENTER));
                List<Path> rows = new ArrayList<>();
                List<String> errors = new ArrayList<>();
                List<float[]> chunks = new ArrayList<>();
                long[] shape = null;
                // Batches of images, so that only one batch of decoded images is held at a time.
                for (int start = 0; start < files.size(); start += FEATURE_BATCH) {
                    List<Decoded> batch = decodeAll(files.subList(start, Math.min(files.size(),
                            start + FEATURE_BATCH)), decoder);
                    batch.forEach(d -> errors.add(d.error()));
                    List<Decoded> good = batch.stream().filter(d -> d.error() == null).toList();
                    if (!good.isEmpty()) {
                        Tensor t = c.features(good.stream().map(Decoded::image).toList(), name);
                        shape = t.shape();
                        chunks.add(t.toFloats());
                        good.forEach(d -> rows.add(d.file()));
                    }
                }
                int refused = reportRefused(err, files, errors);
                if (rows.isEmpty()) {
                    throw new IllegalArgumentException("none of the " + files.size() + " images could be decoded");
                }
                shape[0] = rows.size();
                float[] values = new float[chunks.stream().mapToInt(a -> a.length).sum()];
                int offset = 0;
                for (float[] chunk : chunks) {
                    System.arraycopy(chunk, 0, values, offset, chunk.length);
                    offset += chunk.length;
                }
                Tensor features = Tensor.ofFloats(name, shape, values);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                Numpy.writeNpy(bytes, features);
                Checkpoint.writeAtomically(output, bytes.toByteArray());
                out.println("wrote " + output + " " + java.util.Arrays.toString(features.shape()) + " from "
                        + name + "; rows:");
                for (int i = 0; i < rows.size(); i++) {
                    out.println(i + "\t" + rows.get(i));
                }
                if (refused > 0) {
                    err.println(refused + " of " + files.size() + " images refused; the others have rows");
                }
                return refused == 0 ? 0 : 1;
            }
        }
    }
}
