package io.github.inception4j.detect;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.data.Interpolation;
import io.github.inception4j.data.Preprocessing;
import io.github.inception4j.data.Resize;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.train.Recipe;
import io.github.inception4j.train.Recipes;
import io.github.inception4j.train.TrainingStep;
import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.weights.ModelLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a MultiBox regressor ({@link MultiBox}) on a detection dataset: priors clustered from the training boxes,
 * an Inception network with 5K outputs read from its last spatial map (its classifier replaced, auxiliary heads
 * off), each image resized whole to the input size (boxes in normalised coordinates do not change) and mirrored
 * with probability ½ (boxes follow), steps of the shared {@link TrainingStep} with {@link MultiBoxLoss} and the recipe's optimizer, schedule, decay and
 * averaging. The backbone may start from a classifier's checkpoint (Erhan et al. start from an ImageNet
 * classifier). Writes {@code model/}: a checkpoint whose extra file {@value #PRIORS} holds the priors, verified
 * with the weights.
 *
 * <p>The run is short (minutes) and is not resumable: a killed run leaves no {@code model/} (the checkpoint is
 * written atomically at the end) and is started again.
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

    /** One epoch done: mean loss, share of images whose most confident prior is an assigned one, speed, time left. */
    public record Epoch(int epoch, int epochs, double loss, double topAssigned, double imagesPerSecond,
                        double secondsLeft) {
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
    public static Path train(DetectionDataset data, Settings settings, Path runDir, Consumer<Epoch> progress)
            throws IOException {
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
        Architecture arch = Architecture.byName(settings.architecture());
        ModelOptions options = arch.defaultOptions().withNumClasses(multiBox.outputs())
                .withWidthMultiplier(settings.widthMultiplier()).withInputSize(side).withAuxHeads(false)
                .withHeadGrid(settings.headGrid());
        Recipe recipe = Recipes.byName("small-grayscale").with(Map.of("epochs", String.valueOf(settings.epochs()),
                "batchSize", String.valueOf(settings.batchSize()), "lr", String.valueOf(settings.lr()),
                "labelSmoothing", "0", "inputSize", String.valueOf(side)));
        int batches = n / settings.batchSize();
        if (batches == 0) {
            throw new IllegalArgumentException(n + " images make no batch of " + settings.batchSize());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) settings.seed());
            ModelLoader loader = ModelLoader.fresh(arch, options);
            if (settings.init() != null) {
                loader = loader.initialisedFrom(Path.of(settings.init()));
            }
            InceptionNetwork network = loader.load(manager).network();
            Set<String> trainable = new LinkedHashSet<>();
            network.spec().parameters().stream().filter(ParameterSpec::trainable).map(ParameterSpec::name)
                    .forEach(trainable::add);
            int sample = 3 * side * side;
            long started = System.nanoTime();
            try (TrainingStep step = new TrainingStep(network, recipe, new MultiBoxLoss(multiBox), trainable,
                    settings.seed(), manager)) {
                for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                    int[] order = permutation(n, new SplittableRandom(settings.seed() * 31 + epoch));
                    double lossSum = 0;
                    long correct = 0;
                    for (int b = 0; b < batches; b++) {
                        int count = settings.batchSize();
                        float[] x = new float[count * sample];
                        float[] t = new float[count * multiBox.outputs()];
                        for (int j = 0; j < count; j++) {
                            int i = order[b * count + j];
                            boolean mirror = new SplittableRandom(settings.seed() ^ (epoch * 1_000_003L + i))
                                    .nextBoolean();
                            ImagePipeline.normalize(mirror ? images.get(i).flipHorizontally() : images.get(i),
                                    preprocessing, x, j * sample);
                            List<Box> boxes = mirror ? truth.get(i).stream().map(bx -> bx.flipped(1)).toList()
                                    : truth.get(i);
                            System.arraycopy(multiBox.targets(boxes), 0, t, j * multiBox.outputs(),
                                    multiBox.outputs());
                        }
                        double lr = recipe.schedule().rate(settings.lr(), epoch + (double) b / batches,
                                settings.epochs());
                        TrainingStep.Result r = step.run(new DataLoader.Batch(epoch, b, count, x, new int[count], t),
                                (float) lr);
                        lossSum += r.loss();
                        correct += r.correct();
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double rate = (epoch + 1.0) * batches * settings.batchSize() / seconds;
                    progress.accept(new Epoch(epoch + 1, settings.epochs(), lossSum / batches,
                            (double) correct / (batches * settings.batchSize()), rate,
                            seconds / (epoch + 1) * (settings.epochs() - epoch - 1)));
                }
                Path model = runDir.resolve("model");
                Checkpoint.Metadata metadata = new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, arch.cliName(),
                        options, multiBox.outputNames(), preprocessing, new Checkpoint.Provenance(
                                "MultiBox training run " + runDir.toAbsolutePath(), null, Instant.now().toString(),
                                "inception4j train-multibox"));
                Map<String, byte[]> priors = Map.of(PRIORS, multiBox.toJson().getBytes(StandardCharsets.UTF_8));
                step.saveModel(model, metadata, priors);
                return model;
            }
        }
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
