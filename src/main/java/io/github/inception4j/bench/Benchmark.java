package io.github.inception4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.nn.InferenceOptimizer;
import io.github.inception4j.nn.InceptionOutputs;
import io.github.inception4j.onnx.OnnxRuntimeSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Times inference or one training step the way {@code shared/bench/torchvision_bench.py} does (same warm-up,
 * same iteration count, median), so the two can run side by side. Training is SGD (lr 0.01, momentum 0.9, torch
 * semantics) on cross-entropy plus the auxiliary losses (0.3 per head for GoogLeNet, 0.4 for Inception-v3).
 * Tensors stay native: only the loss scalar and the timings cross into Java.
 */
public final class Benchmark {

    /** What to time. */
    public record Settings(Architecture architecture, int batch, boolean train, int threads, int iters, int warmup,
                           int inputSize, InferenceOptimizer.Rewrites rewrites, InferenceBackend backend) {
        public Settings {
            if (train && (rewrites.any() || backend != InferenceBackend.DJL)) {
                throw new IllegalArgumentException("folding BatchNorm, fusing 1×1 convolutions and ONNX Runtime "
                        + "are for inference only");
            }
        }
    }

    private Benchmark() {
    }

    public static Map<String, Object> run(Settings s) {
        ModelOptions options = s.architecture().defaultOptions().withAuxHeads(s.train())
                .withInputSize(s.inputSize() > 0 ? s.inputSize() : s.architecture().defaultOptions().inputSize());
        InceptionNetwork net = new InceptionNetwork(s.architecture().spec(options));
        int size = options.inputSize();
        List<Double> times = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(0);
            net.initialize(manager, DataType.FLOAT32, new Shape(s.batch(), 3, size, size));
            net = s.rewrites().apply(net, manager);
            NDArray x = manager.randomNormal(new Shape(s.batch(), 3, size, size));
            if (s.backend() == InferenceBackend.ONNXRUNTIME) {
                timeOnnxRuntime(net, x, s, times);
            } else {
                timeDjl(net, x, options, s, manager, times);
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
        result.put("backend", s.backend().id());
        result.put("fold_bn", s.rewrites().foldBatchNorm());
        result.put("fuse_1x1", s.rewrites().fusePointwise());
        result.put("batch", s.batch());
        result.put("size", size);
        result.put("threads", s.threads());
        result.put("iters", s.iters());
        result.put("median_ms", Math.round(median * 100) / 100.0);
        result.put("min_ms", Math.round(sorted.get(0) * 100) / 100.0);
        result.put("images_per_s", Math.round(s.batch() / median * 1e5) / 100.0);
        result.put("params", net.spec().params());
        result.put("peak_rss_mb", peakRssMb());
        // The allocator settings change training speed about 2x (docs/decisions.md #22): record them with the result.
        result.put("glibc_tunables", Objects.requireNonNullElse(System.getenv("GLIBC_TUNABLES"), ""));
        return result;
    }

    private static void timeDjl(InceptionNetwork net, NDArray x, ModelOptions options, Settings s,
                                NDManager manager, List<Double> times) {
        NDArray y = manager.randomInteger(0, options.numClasses(), new Shape(s.batch()), DataType.INT64);
        ParameterStore store = new ParameterStore(manager, false);
        float auxWeight = s.architecture().paper() == Architecture.Paper.P1 ? 0.3f : 0.4f;
        Map<Parameter, NDArray> momentum = new HashMap<>();
        for (int i = 0; i < s.warmup() + s.iters(); i++) {
            long start = System.nanoTime();
            try (NDManager step = manager.newSubManager()) {
                NDArray input = x.duplicate();
                input.attach(step);
                if (s.train()) {
                    trainStep(net, store, input, y, auxWeight, momentum, step);
                } else {
                    net.forward(store, new NDList(input), false).head().getFloat(0, 0); // wait for the result
                }
            }
            if (i >= s.warmup()) {
                times.add((System.nanoTime() - start) / 1e6);
            }
        }
    }

    /** The same input, read in place from a direct buffer; the session is opened (graph optimised) before timing. */
    private static void timeOnnxRuntime(InceptionNetwork net, NDArray x, Settings s, List<Double> times) {
        try (OnnxRuntimeSession session = OnnxRuntimeSession.of(net, s.threads())) {
            FloatBuffer input = session.allocateInput(s.batch());
            input.put(x.toFloatArray()).flip();
            for (int i = 0; i < s.warmup() + s.iters(); i++) {
                long start = System.nanoTime();
                session.logits(input.duplicate());
                if (i >= s.warmup()) {
                    times.add((System.nanoTime() - start) / 1e6);
                }
            }
        }
    }

    static void trainStep(InceptionNetwork net, ParameterStore store, NDArray x, NDArray y, float auxWeight,
                          Map<Parameter, NDArray> momentum, NDManager step) {
        // Index arrays made while picking labels belong to the labels' manager: keep them in this step's.
        NDArray labels = y.duplicate();
        labels.attach(step);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            InceptionOutputs out = InceptionOutputs.of(net.forward(store, new NDList(x), true));
            NDArray loss = crossEntropy(out.logits(), labels);
            for (String head : out.auxNames()) {
                loss = loss.add(crossEntropy(out.aux(head), labels).mul(auxWeight));
            }
            collector.backward(loss);
        }
        // torch.optim.SGD: v ← 0.9·v + g; w ← w − 0.01·v, in place. Every op whose first operand is a parameter
        // (or its gradient or momentum) would leave scalars and temporaries in the model's manager, so the update
        // runs in a scope that closes them; the momentum buffers themselves are kept out of it.
        try (NDScope scope = new NDScope()) {
            for (Parameter p : net.getParameters().values()) {
                if (!p.requiresGradient()) {
                    continue;
                }
                NDArray w = p.getArray();
                NDArray grad = w.getGradient();
                NDArray v = momentum.computeIfAbsent(p, k -> {
                    NDArray zeros = w.zerosLike();
                    NDScope.unregister(zeros);
                    return zeros;
                });
                v.muli(0.9f).addi(grad);
                w.subi(v.mul(0.01f));
                grad.muli(0);
            }
        }
    }

    /** Mean negative log-likelihood of the true class. */
    static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logp = logits.logSoftmax(1);
        return logp.get(new NDIndex().addAllDim().addPickDim(labels)).neg().mean();
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
