package io.github.inception4j.detect;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.data.Preprocessing;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.train.Objective;
import io.github.inception4j.train.Recipe;
import io.github.inception4j.train.Recipes;
import io.github.inception4j.train.TrainingStep;
import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.weights.ModelLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The training loop of the detector's box networks ({@link MultiBoxTraining}, {@link BoxRefiner}): views already at
 * the input size, each with regression targets, in a new order every epoch and mirrored with probability ½ (the
 * targets follow the mirror), steps of the shared {@link TrainingStep} under the small-grayscale recipe's optimizer,
 * schedule, decay and averaging (no label smoothing), the averaged weights saved as a checkpoint at the end. Not
 * resumable: the runs are minutes, and a killed one leaves no checkpoint (written atomically) and starts again.
 */
public final class RegressionTraining {

    /** One epoch done: mean loss, share of examples the objective counts correct, speed, time left. */
    public record Epoch(int epoch, int epochs, double loss, double correct, double imagesPerSecond,
                        double secondsLeft) {
    }

    /** What is trained on: {@link #size} views at the network's input size and their targets. */
    interface Examples {
        int size();

        /** View {@code i}, side × side, not yet normalised. */
        FloatImage view(int i);

        /** The targets of view {@code i}, or of its mirror image when {@code mirrored}. */
        float[] targets(int i, boolean mirrored);
    }

    /**
     * The network and how it is trained.
     *
     * @param outputs the network's outputs, named (the checkpoint's classes)
     * @param init a classifier checkpoint the backbone starts from (its last layer, of another size, starts
     *             fresh), or null
     */
    record Run(String architecture, ModelOptions options, List<String> outputs, Preprocessing preprocessing,
               int epochs, int batchSize, double lr, String init, long seed) {
    }

    private RegressionTraining() {
    }

    /**
     * Trains {@code run} on {@code examples} against {@code objective} and writes the checkpoint {@code model}
     * (with {@code extraFiles} verified beside the weights).
     */
    static void train(Run run, Examples examples, Objective objective, Path model, Map<String, byte[]> extraFiles,
                      String provenance, Consumer<Epoch> progress) throws IOException {
        int n = examples.size();
        int batches = n / run.batchSize();
        if (batches == 0) {
            throw new IllegalArgumentException(n + " examples make no batch of " + run.batchSize());
        }
        int side = run.preprocessing().inputSize();
        Recipe recipe = Recipes.byName("small-grayscale").with(Map.of("epochs", String.valueOf(run.epochs()),
                "batchSize", String.valueOf(run.batchSize()), "lr", String.valueOf(run.lr()),
                "labelSmoothing", "0", "inputSize", String.valueOf(side)));
        Architecture arch = Architecture.byName(run.architecture());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) run.seed());
            ModelLoader loader = ModelLoader.fresh(arch, run.options());
            if (run.init() != null) {
                loader = loader.initialisedFrom(Path.of(run.init()));
            }
            InceptionNetwork network = loader.load(manager).network();
            Set<String> trainable = new LinkedHashSet<>();
            network.spec().parameters().stream().filter(ParameterSpec::trainable).map(ParameterSpec::name)
                    .forEach(trainable::add);
            int sample = 3 * side * side;
            int width = run.outputs().size();
            long started = System.nanoTime();
            try (TrainingStep step = new TrainingStep(network, recipe, objective, trainable, run.seed(), manager)) {
                for (int epoch = 0; epoch < run.epochs(); epoch++) {
                    int[] order = permutation(n, new SplittableRandom(run.seed() * 31 + epoch));
                    double lossSum = 0;
                    long correct = 0;
                    for (int b = 0; b < batches; b++) {
                        int count = run.batchSize();
                        float[] x = new float[count * sample];
                        float[] t = new float[count * width];
                        for (int j = 0; j < count; j++) {
                            int i = order[b * count + j];
                            boolean mirror = new SplittableRandom(run.seed() ^ (epoch * 1_000_003L + i)).nextBoolean();
                            FloatImage view = examples.view(i);
                            ImagePipeline.normalize(mirror ? view.flipHorizontally() : view, run.preprocessing(), x,
                                    j * sample);
                            System.arraycopy(examples.targets(i, mirror), 0, t, j * width, width);
                        }
                        double lr = recipe.schedule().rate(run.lr(), epoch + (double) b / batches, run.epochs());
                        TrainingStep.Result r = step.run(new DataLoader.Batch(epoch, b, count, x, new int[count], t),
                                (float) lr);
                        lossSum += r.loss();
                        correct += r.correct();
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double rate = (epoch + 1.0) * batches * run.batchSize() / seconds;
                    progress.accept(new Epoch(epoch + 1, run.epochs(), lossSum / batches,
                            (double) correct / (batches * run.batchSize()), rate,
                            seconds / (epoch + 1) * (run.epochs() - epoch - 1)));
                }
                Checkpoint.Metadata metadata = new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, arch.cliName(),
                        run.options(), run.outputs(), run.preprocessing(), new Checkpoint.Provenance(provenance, null,
                                Instant.now().toString(), "inception4j train-detector"));
                step.saveModel(model, metadata, extraFiles);
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
