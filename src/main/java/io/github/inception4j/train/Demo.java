package io.github.inception4j.train;

import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.data.Splits;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The main job: GoogLeNet (torchvision's layout, with BatchNorm) at half width on 40×40 inputs, without auxiliary
 * heads (at 40×40 they would see 2×2 maps), trained with the {@code small-grayscale} recipe on the Fashion-MNIST
 * subset inside the jar
 * (6,000 training images, 600 of them held out for validation; 1,000 test images), then evaluated on the test
 * images. About five minutes on two cores, offline.
 */
public final class Demo {

    public static final String ARCHITECTURE = "googlenet-torchvision";
    public static final double WIDTH = 0.5;
    public static final int INPUT_SIZE = 40;
    public static final int EPOCHS = 20;

    private Demo() {
    }

    public static RunSettings settings(int epochs) {
        Architecture arch = Architecture.byName(ARCHITECTURE);
        ModelOptions options = arch.defaultOptions().withNumClasses(10).withAuxHeads(false).withWidthMultiplier(WIDTH)
                .withInputSize(INPUT_SIZE);
        Recipe recipe = Recipes.byName("small-grayscale").with(Map.of("epochs", String.valueOf(epochs),
                "inputSize", String.valueOf(INPUT_SIZE)));
        return new RunSettings(ARCHITECTURE, options, recipe, RunSettings.Data.of(DataSources.FASHION_MNIST_SUBSET)
                .withTest(DataSources.FASHION_MNIST_SUBSET), null, false, 0);
    }

    /** Trains and tests into {@code runDir}, which must not hold a run yet. */
    public static Trainer.Result run(Path runDir, int epochs, TrainingListener listener) throws IOException {
        return trainer(runDir, epochs, listener).run(false);
    }

    /** The demo's trainer, for callers that want to stop it (Ctrl-C). */
    public static Trainer trainer(Path runDir, int epochs, TrainingListener listener) {
        RunSettings settings = settings(epochs);
        Splits.TrainValidation split = Splits.stratified(DataSources.open(settings.data().train(), false),
                settings.recipe().run().validationFraction(), settings.splitSeed());
        ImageDataset test = DataSources.open(settings.data().test(), true);
        listener.message(String.format("demo: %s ×%s at %d×%d, recipe %s, %d epochs on the embedded Fashion-MNIST "
                        + "subset (%d train, %d validation, %d test images) → %s", ARCHITECTURE, WIDTH, INPUT_SIZE,
                INPUT_SIZE, settings.recipe().name(), epochs, split.train().size(), split.validation().size(),
                test.size(), runDir));
        return new Trainer(settings, split.train(), split.validation(), test, runDir, 0, listener);
    }

    /** {@code base}, or {@code base-2}, {@code base-3}, … : the first that does not exist yet. */
    public static Path freshDirectory(Path base) {
        Path candidate = base;
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = base.resolveSibling(base.getFileName() + "-" + i);
        }
        return candidate;
    }
}
