package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.Interpolation;
import io.github.inception4j.data.Preprocessing;
import io.github.inception4j.data.Resize;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains a MultiBox regressor ({@link MultiBox}) on a detection dataset: priors clustered from the training boxes,
 * an Inception network with 5K outputs read from its last spatial map (its classifier replaced, auxiliary heads
 * off), each image resized whole to the input size (boxes in normalised coordinates do not change) and mirrored
 * with probability ½ (boxes follow), trained against {@link MultiBoxLoss} by {@link RegressionTraining} (not
 * resumable: minutes). The backbone may start from a classifier's checkpoint (Erhan et al. start from an ImageNet
 * classifier). Writes {@code model/}: a checkpoint whose extra file {@value #PRIORS} holds the priors, verified
 * with the weights.
 */
public final class MultiBoxTraining {

    /** The priors beside the weights in a MultiBox checkpoint. */
    public static final String PRIORS = "multibox.json";

    /**
     * @param architecture registry name of the backbone
     * @param init a classifier checkpoint the backbone starts from, or null
     */
    public record Settings(String architecture, double widthMultiplier, int inputSize, int headGrid, int priors,
                           int epochs, int batchSize, double lr, String init, long seed) {

        public Settings {
            if (inputSize < 1 || headGrid < 1 || priors < 1 || epochs < 1 || batchSize < 2 || !(lr > 0)) {
                throw new IllegalArgumentException("MultiBox training needs input size, head grid, priors and epochs "
                        + "≥ 1, a batch ≥ 2 and a learning rate > 0");
            }
        }

        /**
         * googlenet-torchvision ×0.5 at 96 × 96 whose last layer reads inception (5b)'s 3 × 3 map (with global
         * pooling the boxes' confidences did not learn: loss flat at the prior rate for 12 epochs), 200 priors
         * (P1 §8 adds 200 MultiBox proposals), 20 epochs.
         */
        public static Settings defaults() {
            return new Settings("googlenet-torchvision", 0.5, 96, 3, 200, 20, 32, 0.02, null, 0);
        }

        public Settings withEpochs(int value) {
            return new Settings(architecture, widthMultiplier, inputSize, headGrid, priors, value, batchSize, lr, init,
                    seed);
        }

        public Settings withInit(String value) {
            return new Settings(architecture, widthMultiplier, inputSize, headGrid, priors, epochs, batchSize, lr,
                    value, seed);
        }

        public Settings withSeed(long value) {
            return new Settings(architecture, widthMultiplier, inputSize, headGrid, priors, epochs, batchSize, lr, init,
                    value);
        }
    }

    private MultiBoxTraining() {
    }

    /** The preprocessing of a MultiBox network: the whole image resized to the input, [−1, 1]. */
    static Preprocessing preprocessing(int inputSize) {
        return Preprocessing.centralCrop("multibox-[-1,1]", inputSize, 1.0,
                Preprocessing.Normalization.MINUS_ONE_TO_ONE);
    }

    /** {@code image} resized whole (any aspect ratio) to the input's side × side, not yet normalised. */
    static FloatImage view(FloatImage image, Preprocessing preprocessing) {
        return Resize.apply(image, preprocessing.inputSize(), preprocessing.inputSize(), Interpolation.BILINEAR);
    }

    /** Trains on {@code data} and writes {@code runDir/model}; returns where the checkpoint is. */
    public static Path train(DetectionDataset data, Settings settings, Path runDir,
                             Consumer<RegressionTraining.Epoch> progress) throws IOException {
        // Each image once, resized to the input: 1,000 canvases at 96 × 96 are 37 MB.
        int n = data.size();
        Preprocessing preprocessing = preprocessing(settings.inputSize());
        int side = settings.inputSize();
        List<FloatImage> images = new ArrayList<>(n);
        List<List<Box>> truth = new ArrayList<>(n);
        List<Box> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FloatImage image = data.image(i);
            double w = image.width();
            double h = image.height();
            List<Box> boxes = data.annotations(i).stream().filter(a -> !a.ignored())
                    .map(a -> a.box().scaled(1 / w, 1 / h)).toList();
            images.add(view(image, preprocessing));
            truth.add(boxes);
            all.addAll(boxes);
            all.addAll(boxes.stream().map(b -> b.flipped(1)).toList());
        }
        MultiBox multiBox = new MultiBox(MultiBox.clusterPriors(all, settings.priors(), settings.seed()),
                MultiBox.ALPHA);
        ModelOptions options = Architecture.byName(settings.architecture()).defaultOptions()
                .withNumClasses(multiBox.outputs()).withWidthMultiplier(settings.widthMultiplier())
                .withInputSize(side).withAuxHeads(false).withHeadGrid(settings.headGrid());
        RegressionTraining.Run run = new RegressionTraining.Run(settings.architecture(), options,
                multiBox.outputNames(), preprocessing, settings.epochs(), settings.batchSize(), settings.lr(),
                settings.init(), settings.seed());
        RegressionTraining.Examples examples = new RegressionTraining.Examples() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public FloatImage view(int i) {
                return images.get(i);
            }

            @Override
            public float[] targets(int i, boolean mirrored) {
                return multiBox.targets(mirrored ? truth.get(i).stream().map(b -> b.flipped(1)).toList()
                        : truth.get(i));
            }
        };
        Path model = runDir.resolve("model");
        RegressionTraining.train(run, examples, new MultiBoxLoss(multiBox), model,
                Map.of(PRIORS, multiBox.toJson().getBytes(StandardCharsets.UTF_8)),
                "MultiBox training run " + runDir.toAbsolutePath(), progress);
        return model;
    }
}
