package io.github.inception4j.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDecodeException;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.detect.DetectionDataset;
import io.github.inception4j.detect.Detection;
import io.github.inception4j.detect.DetectionDrawing;
import io.github.inception4j.detect.DetectionEvaluation;
import io.github.inception4j.detect.DetectionJson;
import io.github.inception4j.detect.DetectionMetrics;
import io.github.inception4j.detect.DetectionReport;
import io.github.inception4j.detect.DetectorTraining;
import io.github.inception4j.detect.MultiBoxTraining;
import io.github.inception4j.detect.ObjectDetector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code train-detector}, {@code detect}, {@code evaluate-detection}: P1 §8's detector ({@link ObjectDetector}). */
public final class DetectCommands {

    private DetectCommands() {
    }

    @Command(name = "train-detector", mixinStandardHelpOptions = true, description = {"Train P1 §8's detector: a "
            + "MultiBox network (class-agnostic boxes on an Inception backbone), then region classifiers on the crops "
            + "of Selective Search + MultiBox proposals (R-CNN's), an ensemble when --classifiers > 1."})
    static final class Train implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        DetectionDataOption data;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "The detector directory.")
        Path out;

        @Option(names = "--classifiers", paramLabel = "N", defaultValue = "1", description = "Region classifiers "
                + "(seeds 1…N), averaged (default: ${DEFAULT-VALUE}; P1 used 6).")
        int classifiers;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Epochs of each region "
                + "classifier (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--multibox-epochs", paramLabel = "N", defaultValue = "20", description = "Epochs of the "
                + "MultiBox network (default: ${DEFAULT-VALUE}).")
        int multiBoxEpochs;

        @Option(names = "--region-images", paramLabel = "N", description = "Region crops from the first N "
                + "images only (default: all; the detection demo takes 400).")
        Integer regionImages;

        @Option(names = "--diversified", description = "Selective Search in its fast mode, as R-CNN ran it (two "
                + "scales, two similarities; superpixels still doubled as P1): more proposals, better boxes.")
        boolean diversified;

        @Option(names = "--refine", description = "Also train a class-agnostic box refiner that moves every "
                + "proposal onto the object it overlaps before the region classifiers see it (not P1's).")
        boolean refine;

        @Option(names = "--box-regression", description = "Also fit R-CNN's class-specific box regression on the "
                + "first region classifier's features (P1 has none).")
        boolean boxRegression;

        @Option(names = "--init", paramLabel = "CHECKPOINT", description = "A classifier (googlenet-torchvision ×0.5) "
                + "both stages start from, as R-CNN and MultiBox start from an ImageNet classifier.")
        String init;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Every random draw of the "
                + "training (MultiBox, refiner, region crops; region classifier N trains with S + N; default: "
                + "${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws IOException {
            PrintWriter stdout = spec.commandLine().getOut();
            DetectionDataset dataset = data.open("train");
            DetectorTraining training = DetectorTraining.defaults().withClassifiers(classifiers, epochs)
                    .withMultiBox(MultiBoxTraining.Settings.defaults().withEpochs(multiBoxEpochs));
            if (init != null) {
                training = training.initialisedFrom(init);
            }
            if (regionImages != null) {
                training = training.withRegionImages(regionImages);
            }
            if (boxRegression) {
                training = training.withDetector(training.detector().withBoxRegression(true));
            }
            if (diversified) {
                training = training.withDetector(training.detector().withSelectiveSearch(true, true));
            }
            if (refine) {
                training = training.withDetector(training.detector().withRefinement(true));
            }
            training = training.withSeed(seed);
            DetectorProgress progress = new DetectorProgress(stdout, spec.commandLine().getErr());
            training.train(dataset, out, progress);
            stdout.println(String.format(Locale.ROOT, "detector: %s (%.1f min)", out, progress.minutes()));
            return 0;
        }
    }

    @Command(name = "detect", mixinStandardHelpOptions = true, description = {"Find objects in images with a "
            + "detector made by train-detector: boxes (pixels: x0, y0, x1, y1), classes and scores.", "An image that "
            + "cannot be decoded is named with its reason and skipped; the exit code is then 1."})
    static final class Detect implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A detector directory.")
        Path checkpoint;

        @Mixin
        BackendOption backend;

        @Option(names = "--json", description = "One JSON document: {images, detected, refused, results}, results "
                + "a list of {file, detections: [{box, label, class, score}]} or {file, error}.")
        boolean json;

        @Option(names = "--draw", paramLabel = "DIR", description = "Also write each image with its boxes drawn "
                + "(DIR/<name>.png).")
        Path draw;

        @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR|GLOB")
        List<String> images;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Path> files = ImageInputs.expand(images);
            JsonArray results = new JsonArray();
            int refused = 0;
            try (ObjectDetector detector = ObjectDetector.load(checkpoint, backend.backend())) {
                List<String> names = detector.classNames();
                for (Path file : files) {
                    JsonObject o = new JsonObject();
                    o.addProperty("file", file.toString());
                    FloatImage image;
                    try {
                        image = ImageDecoder.decode(file);
                    } catch (ImageDecodeException e) {
                        refused++;
                        o.addProperty("error", e.problem());
                        results.add(o);
                        if (!json) {
                            err.println(file + ": refused: " + e.problem());
                        }
                        continue;
                    }
                    List<Detection> found = detector.detect(image);
                    o.add("detections", DetectionJson.of(found, names));
                    results.add(o);
                    if (!json) {
                        out.println(file + ": " + found.size() + " objects");
                        for (Detection d : found) {
                            out.println(String.format(Locale.ROOT, "  %6.3f  %-12s (%.0f, %.0f)–(%.0f, %.0f)",
                                    d.score(), names.get(d.label()), d.box().x0(), d.box().y0(), d.box().x1(),
                                    d.box().y1()));
                        }
                    }
                    if (draw != null) {
                        String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "") + ".png";
                        DetectionDrawing.write(image, found, names, draw.resolve(name));
                    }
                }
            }
            if (json) {
                JsonObject document = new JsonObject();
                document.addProperty("images", files.size());
                document.addProperty("detected", files.size() - refused);
                document.addProperty("refused", refused);
                document.add("results", results);
                out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(document));
            } else if (refused > 0) {
                err.println(refused + " of " + files.size() + " images refused; the others were searched");
            }
            out.flush();
            return refused == 0 ? 0 : 1;
        }
    }

    @Command(name = "evaluate-detection", mixinStandardHelpOptions = true, description = {"Score a detector on "
            + "annotated images: VOC mAP at IoU 0.5 (all-point as VOC 2010+, 11-point as VOC 2007) with AP per "
            + "class, COCO AP@[.5:.95], AP50, AP75 and AP by size, and the recall of its proposals."})
    static final class Evaluate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A detector directory.")
        Path checkpoint;

        @Mixin
        DetectionDataOption data;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Only the first N images.")
        int limit;

        @Mixin
        BackendOption backend;

        @Option(names = "--json", description = "Print the evaluation as JSON.")
        boolean json;

        @Option(names = "--out", paramLabel = "DIR", description = "Write evaluation.json and report.html (AP per "
                + "class, precision-recall curves, the first images with their detections drawn) here.")
        Path report;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            DetectionDataset dataset = data.open("test");
            DetectionEvaluation r;
            try (ObjectDetector detector = ObjectDetector.load(checkpoint, backend.backend())) {
                r = DetectionEvaluation.of(detector, dataset, limit, i -> { });
                if (report != null) {
                    Path page = DetectionReport.write(report, r, detector, dataset, data.source(), 12);
                    if (!json) {
                        out.println("report: " + page);
                    }
                }
            }
            if (json) {
                out.println(r.toJson());
            } else {
                out.println(String.format(Locale.ROOT, "%d images (%d skipped), %d objects; %.1f proposals per image, "
                        + "recall %.1f%% at IoU 0.5, %.1f%% at 0.7", r.images(), r.skipped(), r.objects(),
                        r.proposalsPerImage(), 100 * r.recall50(), 100 * r.recall70()));
                for (DetectionMetrics.Curve c : r.curves()) {
                    out.println(String.format(Locale.ROOT, "  %-12s AP50 %.3f", r.classNames().get(c.label()),
                            c.ap()));
                }
                out.println(String.format(Locale.ROOT, "VOC mAP50 %.3f (11-point %.3f); COCO AP %.3f, AP50 %.3f, "
                        + "AP75 %.3f, small %.3f, medium %.3f, large %.3f (%.0f s)", r.map(), r.map11(), r.coco().ap(),
                        r.coco().ap50(), r.coco().ap75(), r.coco().apSmall(), r.coco().apMedium(), r.coco().apLarge(),
                        r.seconds()));
            }
            out.flush();
            return r.skipped() == 0 ? 0 : 1;
        }
    }
}
