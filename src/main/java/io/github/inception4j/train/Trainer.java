package io.github.inception4j.train;

import io.github.inception4j.report.Evaluation;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.weights.LoadReport;
import io.github.inception4j.weights.LoadedModel;
import io.github.inception4j.weights.ModelLoader;
import io.github.inception4j.data.Preprocessing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a training run in a directory, our own loop rather than DJL's Trainer/EasyTrain (which has no hook between
 * backward and step for clipping and averaging, no way to persist optimizer state, and an evaluator path that
 * breaks on auxiliary outputs). Per step: forward in training mode, smoothed loss with weighted auxiliary heads,
 * backward, weight decay added to the gradients, global-norm clipping, the optimizer's update, the EMA update.
 * Per epoch: validation (with the averaged weights when averaging is on), metrics, report, and an atomic
 * checkpoint holding everything a resumed run needs. Dropout masks are seeded per step and data per
 * (seed, epoch, example), so a run resumed from a checkpoint continues exactly as it would have.
 *
 * <p>Run directory: {@code run.json}, {@code checkpoint/} (resume state), {@code model/} (the weights to use:
 * averaged when averaging is on), {@code metrics.jsonl}, {@code metrics.csv}, {@code report.html}.
 */
public final class Trainer {

    /** The run directory's checkpoint with everything a resumed run needs. */
    public static final String CHECKPOINT = TrainingCheckpoint.CHECKPOINT;
    /** The run directory's checkpoint of the weights to use (averaged when averaging is on). */
    public static final String MODEL = TrainingCheckpoint.MODEL;

    /** The smallest batch a training step runs on; smaller ones (a last batch of one) are dropped. */
    public static final int MIN_BATCH = 2;

    /** How a run ended. */
    public enum Outcome { COMPLETED, STOPPED }

    /**
     * @param test final evaluation of the model (averaged weights) on the test set, or null
     */
    public record Result(Outcome outcome, List<EpochMetrics> history, Evaluation test, Path runDir) {
    }

    private final RunSettings settings;
    private final ImageDataset train;
    private final ImageDataset validation;
    private final ImageDataset test;
    private final Path runDir;
    private final double maxMinutes;
    private final TrainingListener listener;
    private final RunOutputs outputs;
    private StepExecutor.Factory executors = StepExecutor.LOCAL;
    private volatile boolean stopRequested;

    /**
     * @param validation may be null (no validation metrics)
     * @param test may be null
     * @param maxMinutes stop (with a checkpoint) after this much training in this session; 0 for no limit
     */
    public Trainer(RunSettings settings, ImageDataset train, ImageDataset validation, ImageDataset test, Path runDir,
                   double maxMinutes, TrainingListener listener) {
        this.settings = settings;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.runDir = runDir;
        this.maxMinutes = maxMinutes;
        this.listener = listener;
        this.outputs = new RunOutputs(runDir, settings);
        if (train.size() < settings.recipe().run().batchSize()) {
            throw new IllegalArgumentException("the training split has " + train.size() + " images, fewer than one "
                    + "batch of " + settings.recipe().run().batchSize() + "; add images or lower the batch size "
                    + "(--set batchSize=" + Math.max(MIN_BATCH, train.size()) + ")");
        }
        int classes = settings.options().numClasses();
        if (train.classNames().size() != classes) {
            throw new IllegalArgumentException("the data has " + train.classNames().size() + " classes, the model "
                    + classes);
        }
    }

    /**
     * Runs the training steps through {@code executors} (replicas on a cluster, say) instead of in this process;
     * the loop, the run directory and its checkpoints stay this trainer's.
     */
    public Trainer stepsOn(StepExecutor.Factory executors) {
        this.executors = executors;
        return this;
    }

    /** Asks the run to stop at the next batch boundary, after writing a checkpoint (Ctrl-C, time limits). */
    public void requestStop() {
        stopRequested = true;
    }

    public static boolean hasCheckpoint(Path runDir) {
        return TrainingCheckpoint.exists(runDir);
    }

    /** The preprocessing a model trained with this recipe expects ([−1, 1] unless torchvision's transform_input). */
    public static Preprocessing preprocessing(ModelOptions options, Recipe recipe) {
        return options.transformInput()
                ? Preprocessing.centralCrop("torchvision-normalised", options.inputSize(),
                        recipe.run().evalCropFraction(), Preprocessing.Normalization.IMAGENET)
                : Preprocessing.centralCrop("inception-[-1,1]", options.inputSize(), recipe.run().evalCropFraction(),
                        Preprocessing.Normalization.MINUS_ONE_TO_ONE);
    }

    /**
     * Trains from scratch (or from {@code settings.init()}), or resumes from the run's checkpoint.
     *
     * @throws TrainingDivergedException on a non-finite loss or gradient; the last checkpoint is kept
     */
    public Result run(boolean resume) throws IOException {
        Recipe recipe = settings.recipe();
        Preprocessing preprocessing = preprocessing(settings.options(), recipe);
        ImagePipeline pipeline = new ImagePipeline(recipe.augmentation(), preprocessing);
        Files.createDirectories(runDir);
        if (!resume) {
            Checkpoint.writeAtomically(runDir.resolve(RunSettings.FILE),
                    settings.toJson().getBytes(StandardCharsets.UTF_8));
        }
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(runDir, settings, train.classNames(), preprocessing);
        try (NDManager manager = NDManager.newBaseManager();
             DataLoader trainLoader = trainingLoader(settings, train);
             StepExecutor executor = executors.create(settings, trainLoader);
             TrainingStep step = new TrainingStep(network(resume, manager), recipe, trainableNames(settings),
                     settings.seed(), manager)) {
            TrainingState state;
            if (resume) {
                state = checkpoint.restore(step, recipe.run().epochs());
                TrainingState.Position at = state.position();
                listener.message("resuming " + runDir + " at epoch " + (at.nextEpoch() + 1) + ", batch "
                        + at.nextBatch() + " (step " + at.step() + ")");
            } else {
                state = TrainingState.start();
                // A checkpoint exists from the start, so even a run that diverges at once leaves a usable one.
                checkpoint.save(step, state);
            }
            try {
                return loop(step, state, trainLoader, executor, pipeline, checkpoint, manager);
            } finally {
                String summary = executor.summary();
                if (summary != null) {
                    listener.message(summary);
                }
            }
        }
    }

    /** The network, initialised from the run's seed (and from --init when not resuming), by the one loader. */
    private InceptionNetwork network(boolean resume, NDManager manager) {
        JniUtils.setGradMode(false);
        Engine.getInstance().setRandomSeed((int) settings.seed());
        ModelLoader loader = ModelLoader.fresh(settings.arch(), settings.options());
        if (!resume && settings.init() != null) {
            loader = loader.initialisedFrom(Path.of(settings.init()));
        }
        LoadedModel model = loader.load(manager);
        LoadReport report = model.origin().report();
        if (report != null) {
            listener.message("initialised from " + settings.init() + ": " + report.loaded() + " arrays loaded"
                    + (report.mismatched().isEmpty() ? "" : "; kept fresh (other shape): " + report.mismatched())
                    + (report.missing().isEmpty() ? "" : "; not in the file: " + report.missing()));
        }
        return model.network();
    }

    /**
     * The training loader of a run over its training split: what batch b of epoch e holds (a permutation drawn from
     * the run's seed, each example's distortions from (seed, epoch, example)), the same in every process.
     */
    public static DataLoader trainingLoader(RunSettings settings, ImageDataset train) {
        Recipe recipe = settings.recipe();
        ImagePipeline pipeline = new ImagePipeline(recipe.augmentation(), preprocessing(settings.options(), recipe));
        return new DataLoader(train, recipe.run().batchSize(), true, pipeline.trainTransform(),
                pipeline.sampleLength(), settings.seed(),
                DataLoader.Workers.of(settings.data().loaderThreads(), settings.data().strictImages()));
    }

    /**
     * A training step over a freshly initialised network of the run, for a replica whose state comes from
     * elsewhere ({@link TrainingStep#replicaState}): the run's recipe without the weight average (the driver keeps
     * it), the run's trainable parameters, dropout seeded by {@code seed}.
     */
    public static TrainingStep replicaStep(RunSettings settings, long seed, NDManager manager) {
        InceptionNetwork network = ModelLoader.fresh(settings.arch(), settings.options()).load(manager).network();
        return new TrainingStep(network, settings.recipe().with(Map.of("emaDecay", "0")), trainableNames(settings),
                seed, manager);
    }

    private static Set<String> trainableNames(RunSettings settings) {
        NetworkSpec spec = settings.arch().spec(settings.options());
        Set<String> names = new HashSet<>();
        List<String> heads = spec.classifierParameterNames();
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable() && (!settings.freezeBackbone() || heads.contains(p.name()))) {
                names.add(p.name());
            }
        }
        return names;
    }

    /** Running sums of an epoch's training metrics, continued from a checkpoint's partial epoch. */
    private static final class EpochSums {
        double lossSum;
        long correct;
        long count;
        double gradNormSum;
        long steps;
        double seconds;

        EpochSums(TrainingState.Partial p) {
            lossSum = p.lossSum();
            correct = p.correct();
            count = p.count();
            gradNormSum = p.gradNormSum();
            steps = p.steps();
            seconds = p.seconds();
        }

        TrainingState.Partial partial() {
            return new TrainingState.Partial(lossSum, correct, count, gradNormSum, steps, seconds);
        }
    }

    private Result loop(TrainingStep step, TrainingState state, DataLoader loader, StepExecutor executor,
                        ImagePipeline pipeline, TrainingCheckpoint checkpoint, NDManager manager)
            throws IOException {
        Recipe recipe = settings.recipe();
        int batches = loader.batchesPerEpoch();
        List<EpochMetrics> history = new ArrayList<>(state.history());
        double elapsedBefore = state.elapsedSeconds();
        long sessionStart = System.nanoTime();
        long imagesThisSession = 0;
        TrainingState.Position start = state.position();
        for (int epoch = start.nextEpoch(); epoch < recipe.run().epochs(); epoch++) {
            int firstBatch = epoch == start.nextEpoch() ? start.nextBatch() : 0;
            EpochSums sums = new EpochSums(epoch == start.nextEpoch() ? state.partial()
                    : TrainingState.Partial.EMPTY);
            double lr = 0;
            for (int b = firstBatch; b < batches; ) {
                double sessionMinutes = (System.nanoTime() - sessionStart) / 6e10;
                if (stopRequested || (maxMinutes > 0 && sessionMinutes >= maxMinutes)) {
                    String why = stopRequested ? "stop requested" : "time limit of " + maxMinutes + " min";
                    TrainingState stopped = TrainingState.at(TrainingState.Position.of(epoch, b, step),
                            elapsedBefore + (System.nanoTime() - sessionStart) / 1e9, sums.partial(), history,
                            "stopped");
                    checkpoint.save(step, stopped);
                    outputs.write(history, null, "stopped at epoch " + (epoch + 1) + ", batch " + b + " (" + why
                            + "); continue with --resume");
                    listener.message(why + ": checkpoint written at epoch " + (epoch + 1) + ", batch " + b
                            + "; continue with --resume");
                    return new Result(Outcome.STOPPED, history, null, runDir);
                }
                long t0 = System.nanoTime();
                double[] lrs = new double[Math.min(executor.batchesPerCall(), batches - b)];
                for (int i = 0; i < lrs.length; i++) {
                    lrs[i] = recipe.schedule().rate(recipe.optimization().lr(), epoch + (double) (b + i) / batches,
                            recipe.run().epochs());
                }
                List<StepExecutor.Outcome> outcomes;
                try {
                    outcomes = executor.run(step, epoch, b, lrs);
                } catch (TrainingStep.NonFiniteException e) {
                    TrainingDivergedException diverged = diverged(e, epoch, b, lrs[0]);
                    outputs.write(history, null, diverged.getMessage());
                    throw diverged;
                }
                sums.seconds += (System.nanoTime() - t0) / 1e9;
                for (int i = 0; i < outcomes.size(); i++) {
                    StepExecutor.Outcome r = outcomes.get(i);
                    lr = lrs[i];
                    b++;
                    if (r.images() == 0) {
                        // Batch norm cannot estimate statistics from one image (libtorch refuses a 1 × C × 1 × 1
                        // input in training mode): a last batch of one, or one that refusals shrank, is dropped.
                        if (r.dropped() > 0) {
                            listener.message("dropped a batch of " + r.dropped() + " image (epoch " + (epoch + 1)
                                    + ", batch " + b + "): batch norm needs at least " + MIN_BATCH);
                        }
                        continue;
                    }
                    sums.lossSum += r.loss() * r.images();
                    sums.correct += r.correct();
                    sums.count += r.images();
                    sums.gradNormSum += r.gradNorm();
                    sums.steps++;
                    imagesThisSession += r.images();
                }
                double rate = imagesThisSession / ((System.nanoTime() - sessionStart) / 1e9);
                // Batches still to run in this run, from the position: (epochs − epoch)·batches − b.
                long remaining = ((long) (recipe.run().epochs() - epoch) * batches - b) * recipe.run().batchSize();
                listener.batch(epoch + 1, recipe.run().epochs(), b, batches, sums.lossSum / Math.max(sums.count, 1),
                        rate, remaining / Math.max(rate, 1e-9));
            }
            Evaluation val = validation == null ? null
                    : averaged(step, () -> evaluate(step.network(), validation, pipeline, manager));
            boolean averaged = step.ema() != null;
            EpochMetrics m = new EpochMetrics(epoch + 1, lr,
                    new EpochMetrics.Training(sums.lossSum / sums.count, (double) sums.correct / sums.count,
                            sums.gradNormSum / Math.max(sums.steps, 1), executor.skipped()),
                    val == null ? EpochMetrics.Validation.none(averaged)
                            : new EpochMetrics.Validation(val.loss(), val.accuracy(), val.top5(), averaged),
                    new EpochMetrics.Timing(sums.seconds, sums.count / Math.max(sums.seconds, 1e-9)));
            history.add(m);
            TrainingState done = TrainingState.at(TrainingState.Position.of(epoch + 1, 0, step),
                    elapsedBefore + (System.nanoTime() - sessionStart) / 1e9, TrainingState.Partial.EMPTY, history,
                    epoch + 1 == recipe.run().epochs() ? "completed" : "running");
            checkpoint.save(step, done);
            outputs.write(history, null, null);
            listener.epoch(m);
        }
        Evaluation testResult = null;
        if (test != null) {
            testResult = averaged(step, () -> evaluate(step.network(), test, pipeline, manager));
            outputs.write(history, testResult, null);
            outputs.writeTest(testResult);
        }
        return new Result(Outcome.COMPLETED, history, testResult, runDir);
    }

    private TrainingDivergedException diverged(TrainingStep.NonFiniteException e, int epoch, int batch, double lr) {
        Path checkpoint = runDir.resolve(CHECKPOINT);
        String message = "training diverged: the " + e.what() + " became " + e.value() + " at epoch " + (epoch + 1)
                + ", batch " + batch + " (learning rate " + lr + "); that step was not applied. The last good "
                + "checkpoint is " + checkpoint + "; lower the learning rate (--set lr=…) or enable clipping "
                + "(--set clipNorm=2) and start again, or --resume from it.";
        return new TrainingDivergedException(message, checkpoint);
    }

    /** The action run with the averaged weights when averaging is on. */
    private static <T> T averaged(TrainingStep step, Ema.Action<T, RuntimeException> action) {
        return step.ema() == null ? action.run() : step.ema().withShadowWeights(step.arrays(), action);
    }

    /** Evaluates the network (eval mode) on a labelled set with the evaluation transform. */
    Evaluation evaluate(InceptionNetwork net, ImageDataset data, ImagePipeline pipeline, NDManager manager) {
        try (DataLoader loader = new DataLoader(data, Math.max(settings.recipe().run().batchSize(), 64), false,
                pipeline.evalTransform(), pipeline.sampleLength(), 0,
                DataLoader.Workers.of(settings.data().loaderThreads(), settings.data().strictImages()))) {
            return Evaluator.evaluate(net, loader, pipeline.inputSize(), manager);
        }
    }
}
