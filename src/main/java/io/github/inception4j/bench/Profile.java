package io.github.inception4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InferenceOptimizer;
import io.github.inception4j.weights.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where inference time goes: libtorch's own profiler (through DJL) aggregated by operator, counting only
 * operators our code calls (events not nested in another event of the same thread), and wall time per
 * top-level layer.
 *
 * @param byOperator operator → milliseconds per forward pass, largest first
 * @param byLayer top-level layer → milliseconds per forward pass, in network order
 */
public record Profile(Map<String, Double> byOperator, Map<String, Double> byLayer, double totalMs) {

    /** Operators that are convolutions (their share is "time in convolution"). */
    public static boolean isConvolution(String op) {
        return op.contains("conv") || op.contains("mkldnn_convolution");
    }

    public double convolutionShare() {
        return byOperator.entrySet().stream().filter(e -> isConvolution(e.getKey())).mapToDouble(Map.Entry::getValue)
                .sum() / byOperator.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    public static Profile run(Architecture architecture, int batch, int iters, InferenceOptimizer.Rewrites rewrites,
                              Path trace)
            throws IOException {
        ModelOptions options = architecture.defaultOptions().withAuxHeads(false);
        int size = options.inputSize();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(0);
            InceptionNetwork net = rewrites.apply(ModelLoader.fresh(architecture, options).load(manager).network(),
                    manager);
            NDArray x = manager.randomNormal(new Shape(batch, 3, size, size));
            ParameterStore store = new ParameterStore(manager, false);
            Map<String, Double> layers = new LinkedHashMap<>();
            for (int i = 0; i < 2 + iters; i++) { // two warm-up passes, then timed ones
                boolean timed = i >= 2;
                try (NDManager step = manager.newSubManager()) {
                    NDArray input = x.duplicate();
                    input.attach(step);
                    net.forwardEndpoints(store, input, false, (name, nanos) -> {
                        if (timed) {
                            layers.merge(name, nanos / 1e6 / iters, Double::sum);
                        }
                    });
                }
            }
            JniUtils.startProfile(false, false, false);
            for (int i = 0; i < iters; i++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray input = x.duplicate();
                    input.attach(step);
                    net.forward(store, new NDList(input), false).head().getFloat(0, 0);
                }
            }
            JniUtils.stopProfile(trace.toAbsolutePath().toString());
            Map<String, Double> ops = topLevelOperators(trace, iters);
            return new Profile(ops, layers, layers.values().stream().mapToDouble(Double::doubleValue).sum());
        }
    }

    /**
     * The convolution throughput this CPU reaches through the engine: a large 3×3 convolution (batch 8,
     * 256 → 256 channels at 28×28, 3.7 G multiply-adds), median of 10 runs after 3, in GFLOP/s (2 per MAC).
     */
    public static double convolutionPeakGflops() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(8, 256, 28, 28));
            NDArray w = m.randomNormal(new Shape(256, 256, 3, 3));
            double macs = 8.0 * 256 * 256 * 9 * 28 * 28;
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 13; i++) {
                long start = System.nanoTime();
                try (NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1),
                        new Shape(1, 1), 1).head()) {
                    y.getFloat(0, 0, 0, 0);
                }
                if (i >= 3) {
                    times.add((System.nanoTime() - start) / 1e9);
                }
            }
            times.sort(Double::compare);
            return 2 * macs / times.get(times.size() / 2) / 1e9;
        }
    }

    /** Milliseconds per pass by operator name, counting only events not inside another event on their thread. */
    static Map<String, Double> topLevelOperators(Path trace, int iters) throws IOException {
        JsonElement root = JsonParser.parseString(Files.readString(trace));
        JsonArray events = root.isJsonArray() ? root.getAsJsonArray()
                : root.getAsJsonObject().getAsJsonArray("traceEvents");
        record Event(String name, String thread, double start, double duration) {
        }
        List<Event> list = new ArrayList<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("dur") && "X".equals(o.has("ph") ? o.get("ph").getAsString() : "X")) {
                list.add(new Event(o.get("name").getAsString(), String.valueOf(o.get("tid")),
                        o.get("ts").getAsDouble(), o.get("dur").getAsDouble()));
            }
        }
        list.sort(Comparator.comparing(Event::thread).thenComparingDouble(Event::start)
                .thenComparingDouble(ev -> -ev.duration()));
        Map<String, Double> totals = new LinkedHashMap<>();
        String thread = null;
        double openUntil = Double.NEGATIVE_INFINITY;
        for (Event ev : list) {
            if (!ev.thread().equals(thread)) {
                thread = ev.thread();
                openUntil = Double.NEGATIVE_INFINITY;
            }
            if (ev.start() >= openUntil) { // not nested in the previous top-level event
                totals.merge(ev.name(), ev.duration() / 1e3 / iters, Double::sum);
                openUntil = ev.start() + ev.duration();
            }
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        totals.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
