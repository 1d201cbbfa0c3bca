package io.github.inception4j.detect;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.json.JsonRecords;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.train.Recipe;
import io.github.inception4j.train.Recipes;
import io.github.inception4j.train.RunSettings;
import io.github.inception4j.train.Trainer;
import io.github.inception4j.train.TrainingListener;
import io.github.inception4j.weights.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains P1 §8's two stages on a detection dataset into a detector directory ({@link ObjectDetector}): the MultiBox
 * network (when the settings use it), then the proposals of every training image, then R-CNN's region crops of
 * them, and on those {@code classifiers} region classifiers that differ only in their seed (P1's ensemble members
 * differ in sampling). Each classifier is an ordinary training run ({@link Trainer}) under
 * {@code classifiers/<i>/run}, its model copied to {@code classifiers/<i>}.
 *
 * @param regionArchitecture the region classifier (registry name), built at {@code warpSide} with
 *                           {@code regionWidth}
 * @param regionImages the classifiers' crops come from the first this many images (all when larger; the demo's
 *                     budget takes 400): the classifiers gain from every distinct object (docs/detection.md:
 *                     crops of 400 → 3,000 canvases, mAP50 0.466 → 0.588)
 * @param labelling which proposals are objects, background, or left out (R-CNN's ≥ 0.5 / below, or by default
 *                  {@link RegionCrops.Labelling#TIGHT})
 * @param regionInit a classifier checkpoint the region classifiers start from (R-CNN fine-tunes an ImageNet
 *                   classifier; the classifier layer, of another size, starts fresh), or null
 */
public record DetectorTraining(ObjectDetector.Settings detector, MultiBoxTraining.Settings multiBox,
                               BoxRefiner.Settings refiner, String regionArchitecture, double regionWidth,
                               int regionEpochs, int classifiers,
                               int regionImages, RegionCrops.Labelling labelling, int backgroundPerImage,
                               String regionInit, long seed) {

    /** What a detector directory's training is (settings and images), so that an interrupted one can continue. */
    public static final String TRAINING = "training.json";
    /**
     * Region crops labelled as one object, at most (drawn with the seed): refined proposals gather on the objects
     * (187,581 crops from 3,000 canvases uncapped, against 49,603 unrefined, whose objects had ~1.4 each).
     */
    static final int POSITIVES_PER_OBJECT = 2;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    public DetectorTraining {
        if (regionEpochs < 1 || classifiers < 1 || regionImages < 1 || backgroundPerImage < 0) {
            throw new IllegalArgumentException("a detector needs ≥ 1 classifier trained ≥ 1 epoch");
        }
    }

    /**
     * P1's proposals, googlenet-torchvision ×0.5 at 40 × 40, one classifier on the crops of every training image.
     */
    public static DetectorTraining defaults() {
        return new DetectorTraining(ObjectDetector.Settings.p1(), MultiBoxTraining.Settings.defaults(),
                BoxRefiner.Settings.defaults(), "googlenet-torchvision", 0.5, 10, 1, Integer.MAX_VALUE,
                RegionCrops.Labelling.TIGHT, 8, null, 0);
    }

    public DetectorTraining withDetector(ObjectDetector.Settings value) {
        return new DetectorTraining(value, multiBox, refiner, regionArchitecture, regionWidth, regionEpochs,
                classifiers, regionImages, labelling, backgroundPerImage, regionInit, seed);
    }

    public DetectorTraining withRegionImages(int n) {
        return new DetectorTraining(detector, multiBox, refiner, regionArchitecture, regionWidth, regionEpochs,
                classifiers, n, labelling, backgroundPerImage, regionInit, seed);
    }

    public DetectorTraining withClassifiers(int n, int epochs) {
        return new DetectorTraining(detector, multiBox, refiner, regionArchitecture, regionWidth, epochs, n,
                regionImages, labelling, backgroundPerImage, regionInit, seed);
    }

    public DetectorTraining withMultiBox(MultiBoxTraining.Settings value) {
        return new DetectorTraining(detector, value, refiner, regionArchitecture, regionWidth, regionEpochs,
                classifiers, regionImages, labelling, backgroundPerImage, regionInit, seed);
    }

    /** The box refiner's training (used when {@link ObjectDetector.Settings#refine}). */
    public DetectorTraining withRefiner(BoxRefiner.Settings value) {
        return new DetectorTraining(detector, multiBox, value, regionArchitecture, regionWidth, regionEpochs,
                classifiers, regionImages, labelling, backgroundPerImage, regionInit, seed);
    }

    /** Region classifiers, the MultiBox backbone and the refiner start from the classifier checkpoint {@code init}. */
    public DetectorTraining initialisedFrom(String init) {
        return new DetectorTraining(detector, multiBox.withInit(init), refiner.withInit(init), regionArchitecture,
                regionWidth, regionEpochs, classifiers, regionImages, labelling, backgroundPerImage, init, seed);
    }

    public DetectorTraining withLabelling(RegionCrops.Labelling value) {
        return new DetectorTraining(detector, multiBox, refiner, regionArchitecture, regionWidth, regionEpochs,
                classifiers, regionImages, value, backgroundPerImage, regionInit, seed);
    }

    /**
     * Every random draw of the training from {@code value}: MultiBox's priors and training, the refiner's examples,
     * the region crops, and region classifier N's training ({@code value + N}).
     */
    public DetectorTraining withSeed(long value) {
        return new DetectorTraining(detector, multiBox.withSeed(value), refiner.withSeed(value), regionArchitecture,
                regionWidth, regionEpochs, classifiers, regionImages, labelling, backgroundPerImage, regionInit, value);
    }

    /** Progress of the stages, one line each. */
    public interface Progress {
        void stage(String text);

        default void multiBoxEpoch(RegressionTraining.Epoch epoch) {
        }

        default void refinerEpoch(RegressionTraining.Epoch epoch) {
        }

        default TrainingListener classifier(int member) {
            return new TrainingListener() {
            };
        }
    }

    /**
     * Trains into {@code out} (created; must not hold a detector already) and returns it. A training that was
     * interrupted continues when run again into the same directory with the same settings and data (a larger
     * {@code classifiers} adds members): the MultiBox network and each classifier finished before are kept
     * (verified), the stage that was running starts again.
     *
     * @throws IllegalArgumentException when {@code out} holds a detector, or an interrupted training with other
     *                                  settings or data
     */
    public Path train(DetectionDataset data, Path out, Progress progress) throws IOException {
        if (Files.exists(out.resolve(ObjectDetector.FILE))) {
            throw new IllegalArgumentException(out + " holds a detector already; choose another directory");
        }
        Files.createDirectories(out);
        claim(out, data.size());
        MultiBoxProposer multiBoxProposer = null;
        try {
            if (detector.multiBox() > 0) {
                Path kept = out.resolve(ObjectDetector.MULTIBOX);
                if (Files.isDirectory(kept)) {
                    Checkpoint.verify(kept);
                    progress.stage("MultiBox: kept from the interrupted training");
                } else {
                    progress.stage("MultiBox: " + multiBox.priors() + " priors, " + multiBox.epochs()
                            + " epochs on " + data.size() + " images");
                    Path run = out.resolve("multibox-run");
                    Checkpoint.deleteRecursively(run);
                    moveCheckpoint(MultiBoxTraining.train(data, multiBox, run, progress::multiBoxEpoch), kept);
                    Checkpoint.deleteRecursively(run);
                }
                multiBoxProposer = MultiBoxProposer.load(out.resolve(ObjectDetector.MULTIBOX), detector.multiBox(),
                        InferenceBackend.DJL);
            }
            Proposer proposer = ObjectDetector.proposer(detector, multiBoxProposer);
            long t = System.nanoTime();
            DetectionDataset regionData = data.size() <= regionImages ? data
                    : DetectionDataset.first(data, regionImages);
            List<List<Box>> proposals = new ArrayList<>();
            for (int i = 0; i < regionData.size(); i++) {
                proposals.add(proposer.propose(data.image(i), i));
            }
            if (detector.refine()) {
                proposals = refined(regionData, proposals, out, progress);
            }
            RegionWarp warp = RegionWarp.rcnn(detector.warpSide());
            RegionCrops crops = RegionCrops.of(regionData, proposals, warp, labelling, POSITIVES_PER_OBJECT,
                    backgroundPerImage, seed);
            progress.stage(String.format(java.util.Locale.ROOT, "proposals of %d images (%.0f s) → %d region crops",
                    regionData.size(), (System.nanoTime() - t) / 1e9, crops.size()));
            for (int member = 1; member <= classifiers; member++) {
                Path kept = out.resolve(ObjectDetector.CLASSIFIERS).resolve(String.valueOf(member));
                if (Files.isDirectory(kept)) {
                    Checkpoint.verify(kept);
                    progress.stage("region classifier " + member + " of " + classifiers
                            + ": kept from the interrupted training");
                    continue;
                }
                progress.stage("region classifier " + member + " of " + classifiers + ": " + regionEpochs
                        + " epochs");
                Path run = out.resolve(ObjectDetector.CLASSIFIERS).resolve(member + "-run");
                Checkpoint.deleteRecursively(run);
                new Trainer(regionSettings(crops.classNames().size(), seed + member), crops, null, null, run, 0,
                        progress.classifier(member)).run(false);
                moveCheckpoint(run.resolve(Trainer.MODEL), kept);
                // The run keeps the member's metrics and report; its resume checkpoint (3× the model) is spent.
                Checkpoint.deleteRecursively(run.resolve(Trainer.CHECKPOINT));
            }
            if (detector.boxRegression()) {
                long fitting = System.nanoTime();
                List<BoxRegression.Example> examples = regressionExamples(regionData, proposals, warp,
                        out.resolve(ObjectDetector.CLASSIFIERS).resolve("1"));
                BoxRegression regression = BoxRegression.fit(examples, data.classNames().size());
                regression.write(out.resolve(BoxRegression.FILE));
                progress.stage(String.format(java.util.Locale.ROOT, "box regression: %d proposals at IoU ≥ %.1f, "
                        + "λ = %.0f (%.0f s)", examples.size(), BoxRegression.MIN_IOU, regression.lambda(),
                        (System.nanoTime() - fitting) / 1e9));
            }
        } finally {
            if (multiBoxProposer != null) {
                multiBoxProposer.close();
            }
        }
        ObjectDetector.writeSettings(out, detector);
        return out;
    }

    /**
     * The box refiner of {@code out} (trained on {@code proposals} first, or kept from an interrupted training), and
     * {@code proposals} refined by it: what the region classifiers and the box regression then learn from.
     */
    private List<List<Box>> refined(DetectionDataset data, List<List<Box>> proposals, Path out, Progress progress)
            throws IOException {
        Path kept = out.resolve(BoxRefiner.DIRECTORY);
        if (Files.isDirectory(kept)) {
            Checkpoint.verify(kept);
            progress.stage("box refiner: kept from the interrupted training");
        } else {
            progress.stage("box refiner: " + refiner.epochs() + " epochs on proposals at IoU ≥ "
                    + BoxRefiner.MIN_IOU + " of " + data.size() + " images");
            Path run = out.resolve(BoxRefiner.DIRECTORY + "-run");
            Checkpoint.deleteRecursively(run);
            BoxRefiner.train(data, proposals, refiner, run.resolve(Trainer.MODEL), progress::refinerEpoch);
            moveCheckpoint(run.resolve(Trainer.MODEL), kept);
            Checkpoint.deleteRecursively(run);
        }
        List<List<Box>> refined = new ArrayList<>(proposals.size());
        // The default backend: on DJL's the training set's 800,000 proposals took 15 minutes.
        try (BoxRefiner boxRefiner = BoxRefiner.load(kept, InferenceBackend.DEFAULT)) {
            for (int i = 0; i < proposals.size(); i++) {
                refined.add(boxRefiner.refine(data.image(i), proposals.get(i)));
            }
        }
        return refined;
    }

    /**
     * The region classifier's run: the small-grayscale recipe without its crops (a crop would cut away the context
     * the warp adds and, from a tight box, part of the object), flips and photometric distortions kept.
     */
    RunSettings regionSettings(int classes, long runSeed) {
        Architecture arch = Architecture.byName(regionArchitecture);
        ModelOptions options = arch.defaultOptions().withNumClasses(classes).withWidthMultiplier(regionWidth)
                .withInputSize(detector.warpSide()).withAuxHeads(false);
        Recipe recipe = Recipes.byName("small-grayscale").with(Map.of("epochs", String.valueOf(regionEpochs),
                "inputSize", String.valueOf(detector.warpSide()), "validationFraction", "0", "randomCrop",
                "false"));
        return new RunSettings(arch.cliName(), options, recipe, RunSettings.Data.of("region crops"), regionInit, false,
                runSeed);
    }

    /**
     * Writes what this training is ({@value #TRAINING}: the settings less the number of classifiers, and the number
     * of images) into {@code out}, or checks that an interrupted training there was the same.
     */
    private void claim(Path out, int images) throws IOException {
        JsonObject claim = new JsonObject();
        claim.add("training", GSON.toJsonTree(withClassifiers(1, regionEpochs)));
        claim.addProperty("images", images);
        Path file = out.resolve(TRAINING);
        if (!Files.exists(file)) {
            Checkpoint.writeAtomically(file, GSON.toJson(claim).getBytes(StandardCharsets.UTF_8));
        } else if (!JsonRecords.parse(Files.readString(file), TRAINING).equals(claim)) {
            throw new IllegalArgumentException(out + " holds an interrupted detector training with other settings or "
                    + "data; continue it with the same ones, or choose another directory");
        }
    }

    /**
     * R-CNN's regression set: every proposal overlapping an object by ≥ {@link BoxRegression#MIN_IOU}, with the
     * pooled features the first region classifier computes on its warp.
     */
    private static List<BoxRegression.Example> regressionExamples(DetectionDataset data, List<List<Box>> proposals,
                                                                  RegionWarp warp, Path classifier) {
        List<BoxRegression.Example> examples = new ArrayList<>();
        try (ImageClassifier features = ImageClassifier.load(classifier, InferenceBackend.DJL)) {
            for (int i = 0; i < data.size(); i++) {
                List<Annotation> objects = data.annotations(i).stream().filter(a -> !a.ignored()).toList();
                List<Box> near = new ArrayList<>();
                List<Annotation> of = new ArrayList<>();
                for (Box p : proposals.get(i)) {
                    RegionCrops.Overlap overlap = RegionCrops.Overlap.best(p, objects);
                    if (overlap.annotation() != null && overlap.iou() >= BoxRegression.MIN_IOU) {
                        near.add(p);
                        of.add(overlap.annotation());
                    }
                }
                if (near.isEmpty()) {
                    continue;
                }
                FloatImage image = data.image(i);
                float[][] f = RegionDetector.features(features, near.stream().map(b -> warp.apply(image, b)).toList());
                for (int j = 0; j < near.size(); j++) {
                    examples.add(new BoxRegression.Example(f[j], near.get(j), of.get(j).box(), of.get(j).label()));
                }
            }
        }
        return examples;
    }

    /** Moves a verified checkpoint directory to where the detector keeps it. */
    private static void moveCheckpoint(Path from, Path to) throws IOException {
        Checkpoint.verify(from);
        Files.createDirectories(to.getParent());
        Files.move(from, to);
    }
}
