package io.github.inception4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_u8;

import ai.djl.ndarray.NDManager;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InferenceOptimizer;
import io.github.inception4j.nn.LogitsSession;
import io.github.inception4j.onnx.Calibration;
import io.github.inception4j.spec.InputTransform;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.spec.Shape3;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Inference on oneDNN, compiled from the spec rather than from a model file: each layer of the eval path (main
 * logits) becomes one oneDNN primitive, BatchNorm folded into the convolutions and ReLU fused into them, weights
 * reordered once into the layout their primitive reads best, activations in one layout for the whole network and
 * concatenations written in place (see {@link PlanCompiler}). A plan is compiled per batch size when first asked
 * for; all plans share one activation arena sized for the largest (buffers placed by lifetime, {@link Plan}).
 *
 * <p>Threads: oneDNN's OpenMP pool takes its size from the calling thread's setting, which each run sets. Runs are
 * serialised (one arena); the server's batching is what feeds several requests through at once.
 */
public final class OneDnnNetwork implements LogitsSession {

    /**
     * What a compiler needs from the network it compiles for; for int8, the calibrated ranges of the activations
     * (by their ONNX export names) and the step of the image's int8 codes.
     */
    record Context(Dnnl.Handles handles, dnnl_engine engine, Weights weights, Precision precision, Layout layout,
                   Map<String, Calibration.Range> ranges, float imageScale) {
    }

    private final NetworkSpec spec;
    private final Context context;
    private final dnnl_stream stream;
    private final int threads;
    private final float[] inputScale;
    private final float[] inputShift;
    private final Map<Integer, Plan> plans = new HashMap<>();
    private dnnl_memory arena;
    private Pointer arenaBase;
    private long arenaBytes;

    private OneDnnNetwork(NetworkSpec spec, Map<String, float[]> parameters, Precision precision, Layout layout,
                          Calibration calibration, int threads) {
        this.spec = spec;
        this.threads = threads;
        Dnnl.Handles handles = new Dnnl.Handles();
        try {
            Dnnl.threads(threads);
            dnnl_engine engine = new dnnl_engine();
            Dnnl.check(dnnl_engine_create(engine, dnnl_cpu, 0), "create CPU engine");
            handles.add(engine, () -> dnnl_engine_destroy(engine));
            stream = new dnnl_stream();
            Dnnl.check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "create stream");
            handles.add(stream, () -> dnnl_stream_destroy(stream));
            Map<String, Calibration.Range> ranges = calibration == null ? Map.of() : calibration.ranges();
            context = new Context(handles, engine, new Weights(parameters, handles, engine, stream), precision, layout,
                    ranges, calibration == null ? 1f : imageScale(spec, ranges));
        } catch (RuntimeException e) {
            handles.close();
            throw e;
        }
        InputTransform transform = spec.layers().get(0) instanceof InputTransform t ? t : null;
        inputScale = transform == null ? null : transform.scaleFloats();
        inputShift = transform == null ? null : transform.shiftFloats();
    }

    /**
     * Compiles {@code network}'s current weights (BatchNorm folded on a copy; the network is left as it is) in a
     * float precision.
     *
     * @throws UnsupportedOperationException for bf16 on a CPU without bf16 instructions, or a layer the backend
     *     does not run (adaptive pooling to more than 1×1, fused 1×1 convolutions)
     */
    public static OneDnnNetwork compile(InceptionNetwork network, Precision precision, Layout layout, int threads) {
        if (precision == Precision.INT8) {
            throw new IllegalArgumentException("int8 needs the calibration of the activations: use compileInt8");
        }
        return compile(network, precision, layout, null, threads);
    }

    /**
     * {@link #compile(InceptionNetwork, Precision, Layout, int)} channels-last (the faster layout in fp32, as fast in
     * bf16, the only one with int8 kernels: docs/benchmarks.md), or blocked where some step of channels-last would
     * run oneDNN's reference code.
     */
    public static OneDnnNetwork compile(InceptionNetwork network, Precision precision, int threads) {
        if (precision == Precision.INT8) {
            throw new IllegalArgumentException("int8 needs the calibration of the activations: use compileInt8");
        }
        return compile(network, precision, null, null, threads);
    }

    /**
     * Compiles {@code network} in int8 at the activation ranges of {@code calibration} (made for this network by
     * {@code inception quantize}, or {@code Calibrator}), channels-last unless a step would run reference
     * code there.
     */
    public static OneDnnNetwork compileInt8(InceptionNetwork network, Calibration calibration, int threads) {
        return compile(network, Precision.INT8, null, calibration, threads);
    }

    /** BN folded once; {@code layout} null: channels-last, unless a step of it would run reference code. */
    private static OneDnnNetwork compile(InceptionNetwork network, Precision precision, Layout layout,
                                         Calibration calibration, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (precision == Precision.BF16 && !Dnnl.hasBf16()) {
            throw new UnsupportedOperationException("oneDNN bf16 needs AVX512-BF16 or AMX, which this CPU lacks; "
                    + "use fp32");
        }
        Map<String, float[]> parameters = new LinkedHashMap<>();
        NetworkSpec spec;
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionNetwork folded = InferenceOptimizer.foldBatchNorm(network, manager);
            spec = folded.spec();
            for (ParameterSpec p : spec.parameters()) {
                parameters.put(p.name(), folded.floats(p.name()));
            }
        }
        OneDnnNetwork compiled = new OneDnnNetwork(spec, parameters, precision,
                layout == null ? Layout.NHWC : layout, calibration, threads);
        compiled.plan(1);
        if (layout != null || compiled.implementations(1).stream().noneMatch(OneDnnNetwork::isReference)) {
            return compiled;
        }
        compiled.close();
        OneDnnNetwork blocked = new OneDnnNetwork(spec, parameters, precision, Layout.BLOCKED, calibration,
                threads);
        blocked.plan(1);
        return blocked;
    }

    /** Whether a step of {@link #implementations} runs oneDNN's reference (unoptimised) code. */
    public static boolean isReference(String step) {
        return step.contains(": ref:");
    }

    /**
     * The step of the image's int8 codes: symmetric over the calibrated range of what the first convolution reads
     * (the image, or the input transform's output where the network has one).
     */
    private static float imageScale(NetworkSpec spec, Map<String, Calibration.Range> ranges) {
        String name = spec.layers().get(0) instanceof InputTransform t ? t.name() : "input";
        Calibration.Range range = ranges.get(name);
        if (range == null) {
            throw new IllegalArgumentException("the calibration has no range for the image ('" + name + "')");
        }
        return Math.max(Math.max(-range.min(), range.max()) / 127f, Float.MIN_NORMAL);
    }

    @Override
    public FloatBuffer allocateInput(int batch) {
        Shape3 in = spec.input();
        long floats = (long) batch * in.channels() * in.height() * in.width();
        return ByteBuffer.allocateDirect(Math.toIntExact(floats * Float.BYTES)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    @Override
    public float[] logits(FloatBuffer input) {
        return run(input, null);
    }

    /**
     * Milliseconds per run that each step takes on {@code input}, the mean over {@code runs} runs after one untimed
     * run, as "layer: implementation" → ms in execution order (steps of the same name summed).
     */
    public synchronized Map<String, Double> profile(FloatBuffer input, int runs) {
        run(input, null);
        Plan plan = plan(batchOf(input));
        long[] nanos = new long[plan.steps().size()];
        for (int r = 0; r < runs; r++) {
            run(input, nanos);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        List<Plan.Step> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            out.merge(steps.get(i).layer() + ": " + steps.get(i).implementation(), nanos[i] / 1e6 / runs, Double::sum);
        }
        return out;
    }

    private int batchOf(FloatBuffer input) {
        Shape3 in = spec.input();
        int perImage = in.channels() * in.height() * in.width();
        if (input.remaining() == 0 || input.remaining() % perImage != 0) {
            throw new IllegalArgumentException("input holds " + input.remaining() + " floats, not a whole number of "
                    + in.channels() + "×" + in.height() + "×" + in.width() + " images");
        }
        return input.remaining() / perImage;
    }

    private synchronized float[] run(FloatBuffer input, long[] nanos) {
        Shape3 in = spec.input();
        int batch = batchOf(input);
        Plan plan = plan(batch);
        Pointer base = arenaBase;
        // The batch goes straight into the arena (a direct copy), and the input transform is applied there.
        FloatBuffer images = new FloatPointer(plan.input(base)).capacity(input.remaining()).asBuffer();
        images.put(input.duplicate());
        if (inputScale != null) {
            int plane = in.height() * in.width();
            for (int start = 0, c = 0; start < images.capacity(); start += plane, c = (c + 1) % in.channels()) {
                for (int i = start; i < start + plane; i++) {
                    images.put(i, images.get(i) * inputScale[c] + inputShift[c]);
                }
            }
        }
        Dnnl.threads(threads);
        plan.run(stream, base, nanos);
        float[] logits = new float[batch * spec.numClasses()];
        new FloatPointer(plan.logits(base)).get(logits);
        return logits;
    }

    /** The implementation oneDNN chose for each step at {@code batch}, as "layer: implementation". */
    public synchronized List<String> implementations(int batch) {
        return plan(batch).steps().stream().map(s -> s.layer() + ": " + s.implementation()).toList();
    }

    /** Bytes of the activation arena (the largest plan's live activations and scratchpad). */
    public synchronized long arenaBytes() {
        return arenaBytes;
    }

    private Plan plan(int batch) {
        Plan plan = plans.get(batch);
        if (plan == null) {
            Dnnl.threads(threads);
            plan = PlanCompiler.compile(spec, batch, context);
            plans.put(batch, plan);
            if (plan.arenaBytes() > arenaBytes) {
                grow(plan.arenaBytes());
            }
        }
        return plan;
    }

    private void grow(long bytes) {
        dnnl_memory larger = new dnnl_memory();
        Dnnl.check(dnnl_memory_create(larger, context.handles().desc(new long[] {bytes}, dnnl_u8, dnnl_a),
                context.engine(), new Dnnl.Address(-1)), "allocate the activation arena (" + bytes + " bytes)");
        if (arena != null) {
            dnnl_memory_destroy(arena);
        }
        arena = larger;
        arenaBase = Dnnl.data(larger);
        arenaBytes = bytes;
    }

    @Override
    public synchronized void close() {
        if (arena != null) {
            dnnl_memory_destroy(arena);
            arena = null;
        }
        plans.clear();
        context.handles().close();
    }

    @Override
    public String toString() {
        return "oneDNN " + context.precision().id() + " " + spec.name() + ", " + threads + " threads";
    }
}
