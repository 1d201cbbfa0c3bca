package io.github.inception4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InceptionOutputs;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.weights.LoadReport;
import io.github.inception4j.weights.Preprocessing;
import io.github.inception4j.weights.Safetensors;
import io.github.inception4j.weights.Tensor;
import io.github.inception4j.weights.WeightFiles;
import io.github.inception4j.weights.WeightLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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

    public static final String CHECKPOINT = "checkpoint";
    public static final String MODEL = "model";

    /** The smallest batch a training step runs on; smaller ones (a last batch of one) are dropped. */
    public static final int MIN_BATCH = 2;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

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
        if (train.size() < settings.recipe().batchSize()) {
            throw new IllegalArgumentException("the training split has " + train.size() + " images, fewer than one "
                    + "batch of " + settings.recipe().batchSize() + "; add images or lower the batch size "
                    + "(--set batchSize=" + Math.max(MIN_BATCH, train.size()) + ")");
        }
        int classes = settings.options().numClasses();
        if (train.classNames().size() != classes) {
            throw new IllegalArgumentException("the data has " + train.classNames().size() + " classes, the model "
                    + classes);
        }
    }

    /** Asks the run to stop at the next batch boundary, after writing a checkpoint (Ctrl-C, time limits). */
    public void requestStop() {
        stopRequested = true;
    }

    public static boolean hasCheckpoint(Path runDir) {
        return Files.isRegularFile(runDir.resolve(CHECKPOINT).resolve(TrainingState.FILE));
    }

    /** The preprocessing a model trained with this recipe expects ([−1, 1] unless torchvision's transform_input). */
    public static Preprocessing preprocessing(ModelOptions options, Recipe recipe) {
        double[] mean = options.transformInput() ? new double[] {0.485, 0.456, 0.406} : new double[] {0.5, 0.5, 0.5};
        double[] std = options.transformInput() ? new double[] {0.229, 0.224, 0.225} : new double[] {0.5, 0.5, 0.5};
        return new Preprocessing(options.transformInput() ? "torchvision-normalised" : "inception-[-1,1]",
                options.inputSize(), 0, recipe.evalCropFraction(), mean, std, false, "bilinear");
    }

    /**
     * Trains from scratch (or from {@code settings.init()}), or resumes from the run's checkpoint.
     *
     * @throws TrainingDivergedException on a non-finite loss or gradient; the last checkpoint is kept
     */
    public Result run(boolean resume) throws IOException {
        Recipe recipe = settings.recipe();
        ModelOptions options = settings.options();
        NetworkSpec spec = settings.arch().spec(options);
        Preprocessing preprocessing = preprocessing(options, recipe);
        ImagePipeline pipeline = new ImagePipeline(recipe.augmentation(), preprocessing);
        int size = options.inputSize();
        Files.createDirectories(runDir);
        if (!resume) {
            Checkpoint.writeAtomically(runDir.resolve(RunSettings.FILE),
                    settings.toJson().getBytes(StandardCharsets.UTF_8));
        }
        try (NDManager manager = NDManager.newBaseManager();
             DataLoader trainLoader = new DataLoader(train, recipe.batchSize(), true, pipeline.trainTransform(),
                     pipeline.sampleLength(), settings.seed(), settings.loaderThreads(),
                     2 * settings.loaderThreads(), settings.strictImages())) {
            JniUtils.setGradMode(false);
            Engine.getInstance().setRandomSeed((int) settings.seed());
            InceptionNetwork net = new InceptionNetwork(spec);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
            Map<String, NDArray> weights = new LinkedHashMap<>();
            for (ParameterSpec p : spec.parameters()) {
                weights.put(p.name(), net.parameter(p.name()).getArray());
            }
            Set<String> trainable = trainableNames(spec);
            Optimizer optimizer = recipe.newOptimizer();
            Ema ema = null;
            TrainingState state;
            if (resume) {
                state = restore(net, weights, optimizer);
                if (recipe.emaDecay() > 0) {
                    ema = new Ema(recipe.emaDecay(), recipe.emaWarmup(), weights, manager);
                    ema.load(floats(runDir.resolve(CHECKPOINT).resolve(TrainingState.EMA)), state.emaUpdates());
                }
                listener.message("resuming " + runDir + " at epoch " + (state.nextEpoch() + 1) + ", batch "
                        + state.nextBatch() + " (step " + state.step() + ")");
            } else {
                if (settings.init() != null) {
                    initialise(net, Path.of(settings.init()));
                }
                if (recipe.emaDecay() > 0) {
                    ema = new Ema(recipe.emaDecay(), recipe.emaWarmup(), weights, manager);
                }
                state = new TrainingState(1, 0, 0, 0, 0, 0, TrainingState.Partial.EMPTY, List.of(), "running");
                // A checkpoint exists from the start, so even a run that diverges at once leaves a usable one.
                saveCheckpoint(net, weights, optimizer, ema, state, preprocessing);
            }
            if (settings.freezeBackbone()) {
                for (ParameterSpec p : spec.parameters()) {
                    if (p.trainable() && !trainable.contains(p.name())) {
                        net.parameter(p.name()).freeze(true);
                    }
                }
            }
            try {
                return loop(net, weights, trainable, optimizer, ema, state, trainLoader, pipeline, preprocessing,
                        manager);
            } finally {
                if (ema != null) {
                    ema.close();
                }
            }
        }
    }

    /** The parameters weight decay applies to: all trainable ones, or only weights (not BN γ/β, not biases). */
    static Set<String> decayed(NetworkSpec spec, Recipe recipe) {
        Set<String> names = new HashSet<>();
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable() && (recipe.decayBatchNormAndBias() || p.kind() == ParameterSpec.Kind.WEIGHT)) {
                names.add(p.name());
            }
        }
        return names;
    }

    private Set<String> trainableNames(NetworkSpec spec) {
        Set<String> names = new HashSet<>();
        List<String> heads = spec.classifierParameterNames();
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable() && (!settings.freezeBackbone() || heads.contains(p.name()))) {
                names.add(p.name());
            }
        }
        return names;
    }

    private void initialise(InceptionNetwork net, Path init) {
        if (Files.isDirectory(init)) {
            Checkpoint.verify(init);
        }
        Path file = Files.isDirectory(init) ? init.resolve(Checkpoint.WEIGHTS) : init;
        LoadReport report = WeightLoader.load(net, file, WeightLoader.Mode.LENIENT);
        listener.message("initialised from " + init + ": " + report.loaded() + " arrays loaded"
                + (report.mismatched().isEmpty() ? "" : "; kept fresh (other shape): " + report.mismatched())
                + (report.missing().isEmpty() ? "" : "; not in the file: " + report.missing()));
    }

    private Result loop(InceptionNetwork net, Map<String, NDArray> weights, Set<String> trainable,
                        Optimizer optimizer, Ema ema, TrainingState state, DataLoader loader, ImagePipeline pipeline,
                        Preprocessing preprocessing, NDManager manager) throws IOException {
        Recipe recipe = settings.recipe();
        ParameterStore store = new ParameterStore(manager, false);
        int batches = loader.batchesPerEpoch();
        int size = pipeline.inputSize();
        List<EpochMetrics> history = new ArrayList<>(state.history());
        long step = state.step();
        double elapsedBefore = state.elapsedSeconds();
        long sessionStart = System.nanoTime();
        long imagesThisSession = 0;
        Map<String, Double> auxWeights = new LinkedHashMap<>();
        net.spec().auxHeads().forEach(h -> auxWeights.put(h.name(), recipe.auxWeight()));
        Set<String> decayed = decayed(net.spec(), recipe);
        for (int epoch = state.nextEpoch(); epoch < recipe.epochs(); epoch++) {
            int firstBatch = epoch == state.nextEpoch() ? state.nextBatch() : 0;
            TrainingState.Partial partial = epoch == state.nextEpoch() ? state.partial() : TrainingState.Partial.EMPTY;
            double lossSum = partial.lossSum();
            long correct = partial.correct();
            long count = partial.count();
            double gradNormSum = partial.gradNormSum();
            long steps = partial.steps();
            double epochSeconds = partial.seconds();
            double lr = 0;
            try (DataLoader.EpochIterator it = loader.epoch(epoch, firstBatch)) {
                for (int b = firstBatch; it.hasNext(); b++) {
                    double sessionMinutes = (System.nanoTime() - sessionStart) / 6e10;
                    if (stopRequested || (maxMinutes > 0 && sessionMinutes >= maxMinutes)) {
                        String why = stopRequested ? "stop requested" : "time limit of " + maxMinutes + " min";
                        TrainingState stopped = new TrainingState(1, epoch, b, step, ema == null ? 0 : ema.updates(),
                                elapsedBefore + (System.nanoTime() - sessionStart) / 1e9,
                                new TrainingState.Partial(lossSum, correct, count, gradNormSum, steps, epochSeconds),
                                history, "stopped");
                        saveCheckpoint(net, weights, optimizer, ema, stopped, preprocessing);
                        writeOutputs(history, null, "stopped at epoch " + (epoch + 1) + ", batch " + b + " (" + why
                                + "); continue with --resume");
                        listener.message(why + ": checkpoint written at epoch " + (epoch + 1) + ", batch " + b
                                + "; continue with --resume");
                        return new Result(Outcome.STOPPED, history, null, runDir);
                    }
                    long t0 = System.nanoTime();
                    DataLoader.Batch batch = it.next();
                    if (batch.count() < MIN_BATCH) {
                        // Batch norm cannot estimate statistics from one image (libtorch refuses a 1 × C × 1 × 1
                        // input in training mode): a last batch of one, or one that refusals shrank, is dropped.
                        if (batch.count() > 0) {
                            listener.message("dropped a batch of " + batch.count() + " image (epoch " + (epoch + 1)
                                    + ", batch " + (b + 1) + "): batch norm needs at least " + MIN_BATCH);
                        }
                        continue;
                    }
                    lr = recipe.schedule().rate(recipe.lr(), epoch + (double) b / batches, recipe.epochs());
                    Engine.getInstance().setRandomSeed((int) (mixSeed(settings.seed(), step) & 0x7fffffff));
                    StepResult r;
                    try {
                        r = step(net, store, manager, batch, size, (float) lr, auxWeights, weights, trainable,
                                decayed, optimizer, epoch, b);
                    } catch (TrainingDivergedException e) {
                        writeOutputs(history, null, e.getMessage());
                        throw e;
                    }
                    if (ema != null) {
                        ema.update(weights);
                    }
                    step++;
                    lossSum += r.loss() * batch.count();
                    correct += r.correct();
                    count += batch.count();
                    gradNormSum += r.gradNorm();
                    steps++;
                    imagesThisSession += batch.count();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    epochSeconds += seconds;
                    double sessionSeconds = (System.nanoTime() - sessionStart) / 1e9;
                    double rate = imagesThisSession / sessionSeconds;
                    // Batches still to run in this run, from the position: (epochs − epoch)·batches − (b + 1).
                    long remaining = ((long) (recipe.epochs() - epoch) * batches - (b + 1)) * recipe.batchSize();
                    listener.batch(epoch + 1, recipe.epochs(), b + 1, batches, lossSum / count, rate,
                            remaining / Math.max(rate, 1e-9));
                }
            }
            Evaluation val = null;
            if (validation != null) {
                val = averaged(ema, weights, () -> evaluate(net, validation, pipeline, manager));
            }
            EpochMetrics m = new EpochMetrics(epoch + 1, lr, lossSum / count, (double) correct / count,
                    val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(),
                    val == null ? Double.NaN : val.top5(), gradNormSum / Math.max(steps, 1), epochSeconds,
                    count / Math.max(epochSeconds, 1e-9), loader.skipped(), ema != null);
            history.add(m);
            TrainingState done = new TrainingState(1, epoch + 1, 0, step, ema == null ? 0 : ema.updates(),
                    elapsedBefore + (System.nanoTime() - sessionStart) / 1e9, TrainingState.Partial.EMPTY, history,
                    epoch + 1 == recipe.epochs() ? "completed" : "running");
            saveCheckpoint(net, weights, optimizer, ema, done, preprocessing);
            writeOutputs(history, null, null);
            listener.epoch(m);
        }
        Evaluation testResult = null;
        if (test != null) {
            testResult = averaged(ema, weights, () -> evaluate(net, test, pipeline, manager));
            writeOutputs(history, testResult, null);
            Checkpoint.writeAtomically(runDir.resolve("test.json"), GSON.toJson(Map.of("accuracy",
                    testResult.accuracy(), "loss", testResult.loss(), "count", testResult.count(), "confusion",
                    testResult.confusion(), "classNames", testResult.classNames())).getBytes(StandardCharsets.UTF_8));
        }
        return new Result(Outcome.COMPLETED, history, testResult, runDir);
    }

    private record StepResult(double loss, long correct, double gradNorm) {
    }

    private StepResult step(InceptionNetwork net, ParameterStore store, NDManager manager, DataLoader.Batch batch,
                            int size, float lr, Map<String, Double> auxWeights, Map<String, NDArray> weights,
                            Set<String> trainable, Set<String> decayed, Optimizer optimizer, int epoch,
                            int b) {
        Recipe recipe = settings.recipe();
        try (NDManager stepManager = manager.newSubManager()) {
            NDArray x = Evaluator.images(batch, size, stepManager);
            NDArray y = Evaluator.labels(batch, stepManager);
            double lossValue;
            long correct;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                InceptionOutputs out = InceptionOutputs.of(net.forward(store, new NDList(x), true));
                NDArray loss = Losses.total(out, y, recipe.labelSmoothing(), auxWeights);
                lossValue = loss.getFloat();
                if (!Double.isFinite(lossValue)) {
                    throw diverged("loss", lossValue, epoch, b, lr);
                }
                correct = out.logits().argMax(1).eq(y).sum().getLong();
                collector.backward(loss);
            }
            double norm;
            try (NDScope scope = new NDScope()) {
                Map<String, NDArray> grads = new LinkedHashMap<>();
                for (String name : trainable) {
                    NDArray g = weights.get(name).getGradient();
                    if (recipe.weightDecay() > 0 && decayed.contains(name)) {
                        g.addi(weights.get(name).mul((float) recipe.weightDecay()));
                    }
                    grads.put(name, g);
                }
                norm = GradientClipping.clipByGlobalNorm(grads.values(), recipe.clipNorm());
                if (!Double.isFinite(norm)) {
                    throw diverged("gradient norm", norm, epoch, b, lr);
                }
                for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                    optimizer.update(e.getKey(), weights.get(e.getKey()), e.getValue(), lr);
                    e.getValue().muli(0);
                }
            }
            return new StepResult(lossValue, correct, norm);
        }
    }

    private TrainingDivergedException diverged(String what, double value, int epoch, int batch, double lr) {
        Path checkpoint = runDir.resolve(CHECKPOINT);
        String message = "training diverged: the " + what + " became " + value + " at epoch " + (epoch + 1)
                + ", batch " + batch + " (learning rate " + lr + "); that step was not applied. The last good "
                + "checkpoint is " + checkpoint + "; lower the learning rate (--set lr=…) or enable clipping "
                + "(--set clipNorm=2) and start again, or --resume from it.";
        return new TrainingDivergedException(message, checkpoint);
    }

    /** The action run with the averaged weights when averaging is on. */
    private static <T> T averaged(Ema ema, Map<String, NDArray> weights, Ema.Action<T, RuntimeException> action) {
        return ema == null ? action.run() : ema.withShadowWeights(weights, action);
    }

    /** Evaluates the network (eval mode) on a labelled set with the evaluation transform. */
    Evaluation evaluate(InceptionNetwork net, ImageDataset data, ImagePipeline pipeline, NDManager manager) {
        try (DataLoader loader = new DataLoader(data, Math.max(settings.recipe().batchSize(), 64), false,
                pipeline.evalTransform(), pipeline.sampleLength(), 0, settings.loaderThreads(),
                2 * settings.loaderThreads(), settings.strictImages())) {
            return Evaluator.evaluate(net, loader, pipeline.inputSize(), manager);
        }
    }

    private TrainingState restore(InceptionNetwork net, Map<String, NDArray> weights, Optimizer optimizer) {
        Path dir = runDir.resolve(CHECKPOINT);
        if (!hasCheckpoint(runDir)) {
            throw new IllegalArgumentException("nothing to resume: " + dir + " has no " + TrainingState.FILE);
        }
        Checkpoint.verify(dir);
        TrainingState state;
        try {
            state = GSON.fromJson(Files.readString(dir.resolve(TrainingState.FILE)), TrainingState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(TrainingState.FILE), e);
        }
        Checkpoint.loadInto(net, dir);
        optimizer.loadState(floats(dir.resolve(TrainingState.OPTIMIZER)), weights);
        if (state.nextEpoch() >= settings.recipe().epochs()) {
            throw new IllegalArgumentException("the run in " + runDir + " has finished its " + state.nextEpoch()
                    + " epochs; to train longer, resume with a larger --epochs");
        }
        return state;
    }

    private static Map<String, float[]> floats(Path file) {
        Map<String, float[]> out = new LinkedHashMap<>();
        WeightFiles.read(file).forEach((name, tensor) -> out.put(name, tensor.toFloats()));
        return out;
    }

    private void saveCheckpoint(InceptionNetwork net, Map<String, NDArray> weights, Optimizer optimizer, Ema ema,
                                TrainingState state, Preprocessing preprocessing) throws IOException {
        Map<String, byte[]> extra = new LinkedHashMap<>();
        extra.put(TrainingState.FILE, GSON.toJson(state).getBytes(StandardCharsets.UTF_8));
        extra.put(TrainingState.OPTIMIZER, safetensors(optimizer.state()));
        if (ema != null) {
            extra.put(TrainingState.EMA, safetensors(ema.shadow()));
        }
        Checkpoint.Metadata metadata = metadata(preprocessing);
        Checkpoint.save(runDir.resolve(CHECKPOINT), net, metadata, extra);
        if (ema == null) {
            Checkpoint.save(runDir.resolve(MODEL), net, metadata);
        } else {
            ema.withShadowWeights(weights, () -> {
                Checkpoint.save(runDir.resolve(MODEL), net, metadata);
                return null;
            });
        }
    }

    private Checkpoint.Metadata metadata(Preprocessing preprocessing) {
        return new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, settings.architecture(), settings.options(),
                train.classNames(), preprocessing, new Checkpoint.Provenance("training run " + runDir.toAbsolutePath(),
                        null, Instant.now().toString(), "inception4j train"));
    }

    private static byte[] safetensors(Map<String, NDArray> arrays) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        arrays.forEach((name, a) -> tensors.add(Tensor.ofFloats(name, a.getShape().getShape(), a.toFloatArray())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, tensors, Map.of("format", "inception4j-training-state"));
        return out.toByteArray();
    }

    private void writeOutputs(List<EpochMetrics> history, Evaluation test, String status) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        StringBuilder csv = new StringBuilder(EpochMetrics.CSV_HEADER).append('\n');
        Gson line = new GsonBuilder().serializeSpecialFloatingPointValues().create();
        for (EpochMetrics m : history) {
            jsonl.append(line.toJson(m)).append('\n');
            csv.append(m.csv()).append('\n');
        }
        Checkpoint.writeAtomically(runDir.resolve("metrics.jsonl"), jsonl.toString().getBytes(StandardCharsets.UTF_8));
        Checkpoint.writeAtomically(runDir.resolve("metrics.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        Checkpoint.writeAtomically(runDir.resolve("report.html"), Report.html(settings, history, test, status)
                .getBytes(StandardCharsets.UTF_8));
    }

    static long mixSeed(long seed, long step) {
        long z = seed * 0x9e3779b97f4a7c15L + step;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
