package io.github.inception4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.nn.InferenceOptimizer;
import io.github.inception4j.nn.LogitsSession;
import io.github.inception4j.onednn.OneDnnNetwork;
import io.github.inception4j.onednn.PeakProbe;
import io.github.inception4j.onednn.Precision;
import io.github.inception4j.onnx.Calibration;
import io.github.inception4j.onnx.Calibrator;
import io.github.inception4j.onnx.OnnxRuntimeSession;
import io.github.inception4j.onnx.QuantizedExporter;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.train.Recipe;
import io.github.inception4j.train.Recipes;
import io.github.inception4j.train.TrainingStep;
import java.util.HashSet;
import java.util.Set;
import io.github.inception4j.weights.ModelLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Times inference or one training step the way {@code shared/bench/torchvision_bench.py} does (same warm-up,
 * same iteration count, median), so the two can run side by side. The training step is the one {@code train}
 * runs ({@link TrainingStep}) with the anchor's settings: SGD (lr 0.01, momentum 0.9, torch semantics) on
 * cross-entropy plus the auxiliary losses (0.3 per head for GoogLeNet, 0.4 for Inception-v3).
 */
public final class Benchmark {

    /**
     * What to time.
     *
     * @param inputSize square input; 0 for the architecture's default
     * @param train time a training step instead of inference
     */
    public record Settings(Architecture architecture, int batch, int inputSize, boolean train, Repeats repeats,
                           Execution execution) {
        public Settings {
            if (train && (execution.rewrites().any() || execution.backend() != InferenceBackend.DJL)) {
                throw new IllegalArgumentException("folding BatchNorm, fusing 1×1 convolutions and ONNX Runtime "
                        + "are for inference only");
            }
        }
    }

    /** Untimed warm-up iterations, then timed ones (the median is reported). */
    public record Repeats(int warmup, int iters) {
        public Repeats {
            if (warmup < 0 || iters < 1) {
                throw new IllegalArgumentException("warm-up must be ≥ 0 and iterations ≥ 1");
            }
        }
    }

    /** Where the network runs: the backend, the rewrites applied to the spec first, and the backend's threads. */
    public record Execution(int threads, InferenceOptimizer.Rewrites rewrites, InferenceBackend backend) {
    }

    private Benchmark() {
    }

    public static Map<String, Object> run(Settings s) {
        ModelOptions options = s.architecture().defaultOptions().withAuxHeads(s.train())
                .withInputSize(s.inputSize() > 0 ? s.inputSize() : s.architecture().defaultOptions().inputSize());
        int size = options.inputSize();
        List<Double> times = new ArrayList<>();
        long params;
        long macs;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(0);
            InceptionNetwork fresh = ModelLoader.fresh(s.architecture(), options).load(manager).network();
            InceptionNetwork net = s.execution().rewrites().apply(fresh, manager);
            params = net.spec().params();
            macs = net.spec().macs();
            NDArray x = manager.randomNormal(new Shape(s.batch(), 3, size, size));
            if (s.execution().backend() == InferenceBackend.DJL) {
                timeDjl(net, x, options, s, manager, times);
            } else {
                timeSession(open(s.execution().backend(), net, x, s.execution().threads(), manager), x, s, times);
            }
        }
        List<Double> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("impl", "inception4j");
        result.put("model", s.architecture().cliName());
        result.put("mode", s.train() ? "train" : "infer");
        result.put("backend", s.execution().backend().id());
        result.put("fold_bn", s.execution().rewrites().foldBatchNorm());
        result.put("fuse_1x1", s.execution().rewrites().fusePointwise());
        result.put("batch", s.batch());
        result.put("size", size);
        result.put("threads", s.execution().threads());
        result.put("iters", s.repeats().iters());
        result.put("median_ms", Math.round(median * 100) / 100.0);
        result.put("min_ms", Math.round(sorted.get(0) * 100) / 100.0);
        result.put("images_per_s", Math.round(s.batch() / median * 1e5) / 100.0);
        result.put("params", params);
        result.put("peak_rss_mb", peakRssMb());
        // The allocator settings change training speed about 2x (docs/decisions.md #22): record them with the result.
        result.put("glibc_tunables", Objects.requireNonNullElse(System.getenv("GLIBC_TUNABLES"), ""));
        // After the peak RSS is read: the probe's buffers are not the network's.
        if (!s.train()) {
            // Achieved throughput (2 operations a multiply-add) against the CPU's probed peak in the same precision.
            double gflops = 2.0 * macs * s.batch() / (median / 1e3) / 1e9;
            result.put("gflops", Math.round(gflops * 10) / 10.0);
            Precision peakPrecision = switch (s.execution().backend()) {
                case ONNXRUNTIME_INT8, ONEDNN_INT8 -> Precision.INT8;
                case ONEDNN_BF16 -> Precision.BF16;
                default -> Precision.FP32;
            };
            double peak = PeakProbe.gflops(peakPrecision, s.execution().threads());
            result.put("peak_gflops", Math.round(peak * 10) / 10.0);
            result.put("peak_precision", peakPrecision.id());
            result.put("fraction_of_peak", Math.round(gflops / peak * 1000) / 1000.0);
        }
        return result;
    }

    private static void timeDjl(InceptionNetwork net, NDArray x, ModelOptions options, Settings s,
                                NDManager manager, List<Double> times) {
        if (s.train()) {
            timeTrainingStep(net, x, options, s, manager, times);
            return;
        }
        ParameterStore store = new ParameterStore(manager, false);
        for (int i = 0; i < s.repeats().warmup() + s.repeats().iters(); i++) {
            long start = System.nanoTime();
            try (NDManager step = manager.newSubManager()) {
                NDArray input = x.duplicate();
                input.attach(step);
                net.forward(store, new NDList(input), false).head().getFloat(0, 0); // wait for the result
            }
            if (i >= s.repeats().warmup()) {
                times.add((System.nanoTime() - start) / 1e6);
            }
        }
    }

    /**
     * The training step {@code train} runs ({@link TrainingStep}), with the anchor's settings: SGD at lr 0.01 and
     * momentum 0.9 (torch semantics), plain cross-entropy plus the auxiliary losses (0.3 a head for GoogLeNet, 0.4
     * for Inception-v3), no decay, clipping or averaging. Random images and labels, fixed across iterations.
     */
    private static void timeTrainingStep(InceptionNetwork net, NDArray x, ModelOptions options, Settings s,
                                         NDManager manager, List<Double> times) {
        Recipe recipe = Recipes.byName("googlenet-2014").with(Map.of("optimizer", "sgd", "lr", "0.01",
                "momentum", "0.9", "weightDecay", "0", "labelSmoothing", "0", "clipNorm", "0", "emaDecay", "0",
                "auxWeight", s.architecture().paper() == Architecture.Paper.P1 ? "0.3" : "0.4"));
        int[] labels = new java.util.Random(0).ints(s.batch(), 0, options.numClasses()).toArray();
        DataLoader.Batch batch = new DataLoader.Batch(0, 0, s.batch(), x.toFloatArray(), labels);
        Set<String> trainable = new HashSet<>();
        net.spec().parameters().stream().filter(ParameterSpec::trainable).forEach(p -> trainable.add(p.name()));
        try (TrainingStep step = new TrainingStep(net, recipe, trainable, 0, manager)) {
            for (int i = 0; i < s.repeats().warmup() + s.repeats().iters(); i++) {
                long start = System.nanoTime();
                step.run(batch, (float) recipe.optimization().lr());
                if (i >= s.repeats().warmup()) {
                    times.add((System.nanoTime() - start) / 1e6);
                }
            }
        }
    }

    /**
     * Ranges for the int8 backends, calibrated (min/max) on the benchmark's own random input: the same graph and
     * kernels as a calibrated model, so the same speed, but not its accuracy.
     */
    private static Calibration calibrate(InceptionNetwork folded, NDArray x, int threads) {
        float[] values = x.toFloatArray();
        Calibrator.Batches input = batch -> batch.accept(ByteBuffer.allocateDirect(values.length * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer().put(values).flip());
        return Calibrator.calibrate(folded, input, Calibration.Method.MINMAX, "random normal input", threads);
    }

    /**
     * {@code backend}'s session on {@code net}, compiled (graph optimised, weights reordered) and ready to time; the
     * int8 backends are calibrated (min/max) on {@code x}. Not for {@link InferenceBackend#DJL}, which runs the
     * network itself.
     */
    public static LogitsSession open(InferenceBackend backend, InceptionNetwork net, NDArray x, int threads,
                                     NDManager manager) {
        return switch (backend) {
            case DJL -> throw new IllegalArgumentException("DJL runs the network itself, not a session");
            case ONNXRUNTIME -> OnnxRuntimeSession.of(net, threads);
            case ONNXRUNTIME_INT8, ONEDNN_INT8 -> {
                // Folding a folded network copies it: the int8 paths want BN folded either way.
                InceptionNetwork folded = InferenceOptimizer.foldBatchNorm(net, manager);
                Calibration calibration = calibrate(folded, x, threads);
                yield backend == InferenceBackend.ONEDNN_INT8 ? OneDnnNetwork.compileInt8(folded, calibration, threads)
                        : OnnxRuntimeSession.of(QuantizedExporter.export(folded, calibration, 0), folded.spec(),
                                threads);
            }
            case ONEDNN -> OneDnnNetwork.compile(net, Precision.FP32, threads);
            case ONEDNN_BF16 -> OneDnnNetwork.compile(net, Precision.BF16, threads);
        };
    }

    /** The same input, from a direct buffer; the session is opened (graph optimised, compiled) before timing. */
    private static void timeSession(LogitsSession opened, NDArray x, Settings s, List<Double> times) {
        try (LogitsSession session = opened) {
            FloatBuffer input = session.allocateInput(s.batch());
            input.put(x.toFloatArray()).flip();
            for (int i = 0; i < s.repeats().warmup() + s.repeats().iters(); i++) {
                long start = System.nanoTime();
                session.logits(input.duplicate());
                if (i >= s.repeats().warmup()) {
                    times.add((System.nanoTime() - start) / 1e6);
                }
            }
        }
    }

    /** Peak resident set of this process (VmHWM), in MiB; -1 where /proc is not available. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
