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
import io.github.inception4j.train.Evaluation;
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
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code predict}, {@code evaluate} and {@code features}: trained networks applied to images. */
final class EvalCommands {

    private EvalCommands() {
    }

    /** A file decoded, or the reason it was refused. */
    private record Decoded(Path file, FloatImage image, String error) {
    }

    private static Decoded decode(Path file) {
        try {
            return new Decoded(file, ImageDecoder.decode(file), null);
        } catch (ImageDecodeException e) {
            // The message starts with the file; the reason is what follows it.
            return new Decoded(file, null, e.getMessage().substring(e.source().length() + 2));
        }
    }

    /** Decodes files in parallel, keeping their order; a refused file carries its reason. */
    private static List<Decoded> decodeAll(List<Path> files) {
        return files.parallelStream().map(EvalCommands::decode).toList();
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Classify images with a checkpoint or a weight file: the top-k classes and their",
                    "probabilities. Files that cannot be decoded are named with the reason and skipped;",
                    "the exit code is then 1."})
    static final class Predict implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ClassifierOptions classifier;

        @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR|GLOB", description = "Images; a directory gives its "
                + "image files (recursively); quote globs such as 'photos/*.jpg'.")
        List<String> images;

        @Option(names = "--top-k", paramLabel = "K", defaultValue = "5", description = "Classes per image "
                + "(default: ${DEFAULT-VALUE}).")
        int topK;

        @Option(names = "--crops", paramLabel = "P", defaultValue = "center", description = "center | 10 | 144: "
                + "average the probabilities over this many views (default: ${DEFAULT-VALUE}).")
        String crops;

        @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32", description = "Images decoded and "
                + "classified together (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--json", description = "One JSON document: a list of {file, predictions} or {file, error}.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            CropProtocol protocol = CropProtocol.byId(crops);
            if (batchSize < 1 || topK < 1) {
                throw new IllegalArgumentException("--batch-size and --top-k must be at least 1");
            }
            List<Path> files = ImageInputs.expand(images);
            JsonArray results = new JsonArray();
            int refused = 0;
            try (ImageClassifier c = classifier.open()) {
                int k = Math.min(topK, c.classNames().size());
                for (int start = 0; start < files.size(); start += batchSize) {
                    List<Decoded> batch = decodeAll(files.subList(start, Math.min(files.size(), start + batchSize)));
                    List<Decoded> good = batch.stream().filter(d -> d.error() == null).toList();
                    float[][] p = c.probabilities(good.stream().map(Decoded::image).toList(), protocol);
                    int g = 0;
                    for (Decoded d : batch) {
                        JsonObject o = new JsonObject();
                        o.addProperty("file", d.file().toString());
                        if (d.error() != null) {
                            refused++;
                            o.addProperty("error", d.error());
                            if (!json) {
                                spec.commandLine().getErr().println(d.file() + ": refused: " + d.error());
                            }
                        } else {
                            List<ImageClassifier.Prediction> top = c.topK(p[g++], k);
                            JsonArray predictions = new JsonArray();
                            for (ImageClassifier.Prediction pr : top) {
                                JsonObject po = new JsonObject();
                                po.addProperty("index", pr.index());
                                po.addProperty("label", pr.label());
                                po.addProperty("probability", pr.probability());
                                predictions.add(po);
                            }
                            o.add("predictions", predictions);
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
                out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(results));
            }
            out.flush();
            return refused == 0 ? 0 : 1;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = {"Top-1 and top-5 accuracy of one checkpoint, or of several as an ensemble (softmax",
                    "probabilities averaged), on labelled data, with the papers' crop protocols (P1 §7)."})
    static final class Evaluate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--checkpoint", required = true, arity = "1..*", paramLabel = "DIR",
                description = "One checkpoint, or several for an ensemble.")
        List<Path> checkpoints;

        @Option(names = "--data", required = true, paramLabel = "SOURCE", description = "A class-per-folder "
                + "directory, or fashion-mnist[:test|:train] (also fashion-mnist-subset, fashion-mnist:DIR); "
                + "Fashion-MNIST sources default to their test split.")
        String data;

        @Option(names = "--crops", paramLabel = "P", defaultValue = "center", description = "center | 10 | 144 "
                + "(default: ${DEFAULT-VALUE}).")
        String crops;

        @Option(names = "--table", description = "Also score every smaller protocol and print P1 Table 3: models × "
                + "crops → cost, top-1 and top-5 error, compared to one model with one crop.")
        boolean table;

        @Option(names = "--limit", paramLabel = "N", description = "Only the first N images (quick checks).")
        Integer limit;

        @Option(names = "--out", paramLabel = "DIR", description = "Write evaluation.json and report.html (confusion "
                + "matrix, per-class accuracy) here.")
        Path outDir;

        @Option(names = "--threads", paramLabel = "T", defaultValue = "2", description = "Loader threads "
                + "(decoding, cropping; default: ${DEFAULT-VALUE}).")
        int threads;

        @Mixin
        BackendOption backend;

        @Option(names = "--json", description = "Print evaluation.json instead of the summary.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            CropProtocol protocol = CropProtocol.byId(crops);
            List<CropProtocol> protocols = table ? protocol.upTo() : List.of(protocol);
            ImageDataset dataset = DataSources.openForEvaluation(data);
            if (limit != null) {
                if (limit < 1) {
                    throw new IllegalArgumentException("--limit must be at least 1");
                }
                dataset = dataset.subset(IntStream.range(0, Math.min(limit, dataset.size())).toArray());
            }
            ConsoleProgress progress = new ConsoleProgress(out, spec.commandLine().getErr(), System.console() != null);
            List<ImageClassifier> members = new ArrayList<>();
            EnsembleEvaluator.Result result;
            try {
                for (Path checkpoint : checkpoints) {
                    members.add(ImageClassifier.load(checkpoint, backend.backend()));
                }
                result = EnsembleEvaluator.evaluate(members, dataset, protocols, threads,
                        (done, total, rate, eta) -> progress.progress("evaluating", done, total, "", rate, eta));
            } finally {
                members.forEach(ImageClassifier::close);
            }
            progress.clearLine();
            String report = EvaluationReport.json(result, data, protocol);
            if (outDir != null) {
                Checkpoint.writeAtomically(outDir.resolve("evaluation.json"), report.getBytes(StandardCharsets.UTF_8));
                Checkpoint.writeAtomically(outDir.resolve("report.html"),
                        EvaluationReport.html(result, data, protocol).getBytes(StandardCharsets.UTF_8));
            }
            if (json) {
                out.println(report);
                return 0;
            }
            for (EnsembleEvaluator.MemberResult m : result.members()) {
                print(out, m.source(), m.byProtocol().get(protocol), protocol, 1);
            }
            if (result.ensemble() != null) {
                print(out, "ensemble of " + members.size(), result.ensemble().get(protocol), protocol, members.size());
            }
            if (result.skipped() > 0) {
                out.println(result.skipped() + " undecodable images skipped (see the warnings above)");
            }
            if (protocols.size() > 1 || members.size() > 1) {
                out.print(EvaluationReport.table(result));
            }
            if (outDir != null) {
                out.println("wrote " + outDir.resolve("evaluation.json") + " and " + outDir.resolve("report.html"));
            }
            return 0;
        }

        private static void print(PrintWriter out, String name, Evaluation e, CropProtocol protocol, int models) {
            out.println(String.format(Locale.ROOT, "%s: top-1 %.2f%% (error %.2f%%), top-5 %.2f%%, loss %.4f on %d "
                            + "images; %s crop%s, cost %d per image", name, 100 * e.accuracy(), 100 * (1 - e.accuracy()),
                    100 * e.top5(), e.loss(), e.count(), protocol.id(), protocol.views() == 1 ? "" : "s",
                    models * protocol.views()));
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true,
            description = {"Write the output of a named endpoint (default: the pooled pre-logits) for each image,",
                    "as one (N, ...) float32 .npy; rows follow the order printed."})
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
            List<Decoded> decoded = decodeAll(ImageInputs.expand(images));
            List<Decoded> good = decoded.stream().filter(d -> d.error() == null).toList();
            decoded.stream().filter(d -> d.error() != null).forEach(d ->
                    spec.commandLine().getErr().println(d.file() + ": refused: " + d.error()));
            if (good.isEmpty()) {
                throw new IllegalArgumentException("no image could be decoded");
            }
            try (ImageClassifier c = classifier.open()) {
                String name = endpoint != null ? endpoint : c.spec().preLogitsEndpoint();
                Tensor features = c.features(good.stream().map(Decoded::image).toList(), name);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                Numpy.writeNpy(bytes, features);
                Checkpoint.writeAtomically(output, bytes.toByteArray());
                out.println("wrote " + output + " " + java.util.Arrays.toString(features.shape()) + " from "
                        + name + "; rows:");
                for (int i = 0; i < good.size(); i++) {
                    out.println(i + "\t" + good.get(i).file());
                }
            }
            return good.size() == decoded.size() ? 0 : 1;
        }
    }
}
