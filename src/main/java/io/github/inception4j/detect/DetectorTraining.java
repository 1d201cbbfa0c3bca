package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
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
 * @param regionImages the classifiers' crops come from the first this many images (all when larger): MultiBox
 *                     wants many images, the classifiers' crops are plenty from fewer (~25 an image)
 * @param labelling which proposals are objects, background, or left out (R-CNN's: ≥ 0.5 / below)
 * @param regionInit a classifier checkpoint the region classifiers start from (R-CNN fine-tunes an ImageNet
 *                   classifier; the classifier layer, of another size, starts fresh), or null
 */
public record DetectorTraining(ObjectDetector.Settings detector, MultiBoxTraining.Settings multiBox,
                               String regionArchitecture, double regionWidth, int regionEpochs, int classifiers,
                               int regionImages, RegionCrops.Labelling labelling, int backgroundPerImage,
                               String regionInit, long seed) {

    public DetectorTraining {
        if (regionEpochs < 1 || classifiers < 1 || regionImages < 1 || backgroundPerImage < 0) {
            throw new IllegalArgumentException("a detector needs ≥ 1 classifier trained ≥ 1 epoch");
        }
    }

    /** What the detection demo trains: P1's proposals, googlenet-torchvision ×0.5 at 40 × 40, one classifier. */
    public static DetectorTraining defaults() {
        return new DetectorTraining(ObjectDetector.Settings.p1(), MultiBoxTraining.Settings.defaults(),
                "googlenet-torchvision", 0.5, 10, 1, 400, RegionCrops.Labelling.RCNN, 8, null, 0);
    }

    public DetectorTraining withClassifiers(int n, int epochs) {
        return new DetectorTraining(detector, multiBox, regionArchitecture, regionWidth, epochs, n, regionImages,
                labelling, backgroundPerImage, regionInit, seed);
    }

    public DetectorTraining withMultiBox(MultiBoxTraining.Settings value) {
        return new DetectorTraining(detector, value, regionArchitecture, regionWidth, regionEpochs, classifiers,
                regionImages, labelling, backgroundPerImage, regionInit, seed);
    }

    /** Region classifiers and the MultiBox backbone start from the classifier checkpoint {@code init}. */
    public DetectorTraining initialisedFrom(String init) {
        return new DetectorTraining(detector, multiBox.withInit(init), regionArchitecture, regionWidth, regionEpochs,
                classifiers, regionImages, labelling, backgroundPerImage, init, seed);
    }

    public DetectorTraining withLabelling(RegionCrops.Labelling value) {
        return new DetectorTraining(detector, multiBox, regionArchitecture, regionWidth, regionEpochs, classifiers,
                regionImages, value, backgroundPerImage, regionInit, seed);
    }

    /** Progress of the stages, one line each. */
    public interface Progress {
        void stage(String text);

        default void multiBoxEpoch(MultiBoxTraining.Epoch epoch) {
        }

        default TrainingListener classifier(int member) {
            return new TrainingListener() {
            };
        }
    }

    /** Trains into {@code out} (created; must not hold a detector already) and returns it. */
    public Path train(DetectionDataset data, Path out, Progress progress) throws IOException {
        if (Files.exists(out.resolve(ObjectDetector.FILE))) {
            throw new IllegalArgumentException(out + " holds a detector already; choose another directory");
        }
        Files.createDirectories(out);
        MultiBoxProposer multiBoxProposer = null;
        try {
            if (detector.multiBox() > 0) {
                progress.stage("MultiBox: " + multiBox.priors() + " priors, " + multiBox.epochs() + " epochs on "
                        + data.size() + " images");
                Path model = MultiBoxTraining.train(data, multiBox, out.resolve("multibox-run"),
                        progress::multiBoxEpoch);
                moveCheckpoint(model, out.resolve(ObjectDetector.MULTIBOX));
                multiBoxProposer = MultiBoxProposer.load(out.resolve(ObjectDetector.MULTIBOX), detector.multiBox(),
                        InferenceBackend.DJL);
            }
            Proposer proposer = ObjectDetector.proposer(detector, multiBoxProposer);
            long t = System.nanoTime();
            DetectionDataset regionData = data.size() <= regionImages ? data
                    : DetectionDataset.first(data, regionImages);
            List<List<Box>> proposals = new ArrayList<>();
            for (int i = 0; i < regionData.size(); i++) {
                FloatImage image = data.image(i);
                proposals.add(proposer.propose(image, i));
            }
            RegionWarp warp = RegionWarp.rcnn(detector.warpSide());
            RegionCrops crops = RegionCrops.of(regionData, proposals, warp, labelling, backgroundPerImage,
                    seed);
            progress.stage(String.format(java.util.Locale.ROOT, "proposals of %d images (%.0f s) → %d region crops",
                    regionData.size(), (System.nanoTime() - t) / 1e9, crops.size()));
            for (int member = 1; member <= classifiers; member++) {
                progress.stage("region classifier " + member + " of " + classifiers + ": " + regionEpochs
                        + " epochs");
                Path run = out.resolve(ObjectDetector.CLASSIFIERS).resolve(member + "-run");
                new Trainer(regionSettings(crops.classNames().size(), seed + member), crops, null, null, run, 0,
                        progress.classifier(member)).run(false);
                moveCheckpoint(run.resolve(Trainer.MODEL),
                        out.resolve(ObjectDetector.CLASSIFIERS).resolve(String.valueOf(member)));
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

    /** Moves a verified checkpoint directory to where the detector keeps it. */
    private static void moveCheckpoint(Path from, Path to) throws IOException {
        Checkpoint.verify(from);
        Files.createDirectories(to.getParent());
        Files.move(from, to);
    }
}
