package io.github.inception4j.cli;

import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.train.Recipe;
import io.github.inception4j.train.Recipes;
import io.github.inception4j.train.RunData;
import io.github.inception4j.train.StepExecutor;
import io.github.inception4j.train.RunSettings;
import io.github.inception4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inception train}: {@link Trainer} with a recipe, its overrides, and Ctrl-C handling. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a network with a recipe; writes checkpoints, metrics and an HTML report to --out.")
public class TrainCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "M", description = "A name from `inception models`.")
    String model;

    @Option(names = "--data", paramLabel = "SOURCE", description = "fashion-mnist (Debian package), "
            + "fashion-mnist:DIR, fashion-mnist-subset (embedded), or a class-per-folder image directory.")
    String data;

    @Option(names = "--validation-data", paramLabel = "SOURCE", description = "A separate validation set "
            + "(default: carve validationFraction of each class out of --data).")
    String validationData;

    @Option(names = "--split-seed", paramLabel = "S", description = "Seed of the validation split carved out of "
            + "--data (default: --seed). Runs that share it hold out the same images: an ensemble's members, "
            + "judged together on them.")
    Long splitSeed;

    @Option(names = "--test-data", paramLabel = "SOURCE", description = "Evaluated once, at the end (default: "
            + "Fashion-MNIST's test split when --data is Fashion-MNIST, else none).")
    String testData;

    @Option(names = "--no-test", description = "Evaluate no test split, not even Fashion-MNIST's (ablations and "
            + "model selection read the validation split only).")
    boolean noTest;

    @Option(names = "--recipe", paramLabel = "R", completionCandidates = Recipes.Names.class,
            description = "${COMPLETION-CANDIDATES} (see --print-recipe).")
    String recipe;

    @Option(names = "--epochs", paramLabel = "N")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "B")
    Integer batchSize;

    @Option(names = {"-S", "--set"}, paramLabel = "KEY=VALUE", description = "Override any recipe setting, e.g. "
            + "--set lr=0.05 --set schedule.kind=cosine (keys: --print-recipe).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Mixin
    ModelOptionsMixin modelOptions;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "The run directory (required unless "
            + "--print-recipe).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint (its run.json "
            + "gives model, data and recipe; --epochs may extend it).")
    boolean resume;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0")
    long seed;

    @Option(names = "--max-minutes", paramLabel = "T", defaultValue = "0",
            description = "Stop with a checkpoint after T minutes of training (0: no limit).")
    double maxMinutes;

    @Option(names = "--init", paramLabel = "CHECKPOINT", description = "Start from these weights (a checkpoint "
            + "directory or weight file); classifiers of another width start fresh.")
    String init;

    @Option(names = "--freeze-backbone", description = "Train only the classifiers.")
    boolean freezeBackbone;

    @Option(names = "--loader-threads", paramLabel = "N", defaultValue = "2")
    int loaderThreads;

    @Option(names = "--strict-images", description = "Stop at the first undecodable image (default: skip it "
            + "with a warning and count it).")
    boolean strictImages;

    @Option(names = "--print-recipe", description = "Print the recipe's settings and their sources, then exit.")
    boolean printRecipe;

    @Override
    public Integer call() throws IOException {
        var stdout = spec.commandLine().getOut();
        var stderr = spec.commandLine().getErr();
        if (printRecipe) {
            Recipes.Preset preset = Recipes.preset(recipe == null ? "small-grayscale" : recipe);
            printRecipe(preset.recipe().with(overrides()), preset, stdout);
            return 0;
        }
        if (out == null) {
            throw new IllegalArgumentException("--out RUN_DIR is required");
        }
        RunSettings settings;
        RunData runData;
        if (resume) {
            settings = resumeSettings();
            runData = RunData.open(settings);
        } else {
            checkNewRun();
            ImageDataset source = DataSources.open(data, false); // opened once: a folder's tree is walked once
            settings = newSettings(source.classNames().size());
            runData = RunData.open(settings, source);
        }
        ImageDataset trainSet = runData.train();
        ImageDataset validationSet = runData.validation();
        ImageDataset testSet = runData.test();
        stdout.println(String.format(Locale.ROOT, "%s on %s: %d training, %s validation, %s test images; %s, "
                        + "input %d, width ×%s", settings.architecture(), settings.data().train(), trainSet.size(),
                validationSet == null ? "no" : String.valueOf(validationSet.size()),
                testSet == null ? "no" : String.valueOf(testSet.size()), settings.recipe().name(),
                settings.options().inputSize(), settings.options().widthMultiplier()));
        if (!resume) {
            printRecipe(settings.recipe(), Recipes.preset(settings.recipe().name()), stdout);
        }
        Trainer trainer = new Trainer(settings, trainSet, validationSet, testSet, out, maxMinutes,
                new ConsoleProgress(stdout, stderr, System.console() != null)).stepsOn(steps(settings));
        Trainer.Result result = runWithInterruptHandling(trainer, resume);
        if (result.outcome() == Trainer.Outcome.COMPLETED && result.test() != null) {
            stdout.println(String.format(Locale.ROOT, "test accuracy %.2f%% (%d images)", 100 * result.test().accuracy(),
                    result.test().count()));
        }
        stdout.println("report: " + out.resolve("report.html") + "; model: " + out.resolve(Trainer.MODEL));
        return 0;
    }

    /**
     * Where the training steps run: in this process; {@code inception-spark train} overrides it to run them on
     * replicas across a cluster.
     */
    protected StepExecutor.Factory steps(RunSettings settings) {
        return StepExecutor.LOCAL;
    }

    /** Ctrl-C (SIGINT/SIGTERM) asks the trainer to checkpoint and stop; the JVM waits for it to finish. */
    static Trainer.Result runWithInterruptHandling(Trainer trainer, boolean resume) throws IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try {
                finished.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "inception-train-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return trainer.run(resume);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of the signal; the hook is already running
            }
        }
    }

    private void checkNewRun() {
        if (model == null || data == null) {
            throw new IllegalArgumentException("--model and --data are required (or --resume an existing run)");
        }
        if (Trainer.hasCheckpoint(out)) {
            throw new IllegalArgumentException(out + " already holds a training run; use --resume to continue it "
                    + "or choose another --out");
        }
    }

    private RunSettings newSettings(int numClasses) {
        Architecture arch = Architecture.byName(model);
        Recipe r = Recipes.byName(recipe == null ? "small-grayscale" : recipe).with(overrides());
        ModelOptions o = modelOptions.resolve(arch).withNumClasses(numClasses);
        if (modelOptions.inputSize == null && r.run().inputSize() > 0) {
            o = o.withInputSize(r.run().inputSize());
        }
        r = r.with(Map.of("inputSize", String.valueOf(o.inputSize())));
        arch.spec(o); // refuses inadmissible sizes before anything is written
        if (noTest && testData != null) {
            throw new IllegalArgumentException("--no-test and --test-data contradict each other: give one");
        }
        String test = noTest ? null : testData != null ? testData : DataSources.hasTestSplit(data) ? data : null;
        return new RunSettings(arch.cliName(), o, r,
                new RunSettings.Data(data, validationData, test, loaderThreads, strictImages, splitSeed), init,
                freezeBackbone, seed);
    }

    private RunSettings resumeSettings() {
        if (model != null || data != null || recipe != null || !overrides.isEmpty() || init != null
                || splitSeed != null) {
            throw new IllegalArgumentException("--resume takes model, data and recipe from " + out.resolve(
                    RunSettings.FILE) + "; only --epochs, --max-minutes and --loader-threads may be given");
        }
        RunSettings s = RunSettings.read(out);
        if (epochs != null) {
            s = s.withRecipe(s.recipe().with(Map.of("epochs", String.valueOf(epochs))));
        }
        return s;
    }

    private Map<String, String> overrides() {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        if (epochs != null) {
            all.put("epochs", String.valueOf(epochs));
        }
        if (batchSize != null) {
            all.put("batchSize", String.valueOf(batchSize));
        }
        return all;
    }

    /**
     * Every setting of {@code r}, each with the reason {@code preset} gives for its value; a value changed from the
     * preset's (--set, --epochs, --input-size) is marked with the preset's value instead, as the reason was for that.
     */
    static void printRecipe(Recipe r, Recipes.Preset preset, java.io.PrintWriter out) {
        out.println("recipe " + r.name() + ": " + r.summary());
        Map<String, String> presetValues = preset.recipe().settings();
        int width = r.settings().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, String> e : r.settings().entrySet()) {
            String presetValue = presetValues.get(e.getKey());
            String source = presetValue != null && !presetValue.equals(e.getValue())
                    ? "changed; the recipe has " + presetValue : preset.sources().get(e.getKey());
            out.println(String.format(Locale.ROOT, "  %-" + width + "s  %-20s%s", e.getKey(), e.getValue(),
                    source == null ? "" : "  # " + source));
        }
    }
}
