package io.github.inception4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_scratchpad_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

import java.util.Arrays;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;

/**
 * The CPU's achievable throughput per precision through the same library (benchdnn-style): one large convolution,
 * 3×3, 256 → 256 channels at 28×28, batch 8 (1.85 G multiply-adds), every tensor in the layout oneDNN prefers,
 * the fastest of repeated runs. A whole network's achieved rate is stated as a fraction of it.
 */
public final class PeakProbe {

    private static final long BATCH = 8;
    private static final long CHANNELS = 256;
    private static final long SIDE = 28;
    private static final long MACS = BATCH * CHANNELS * CHANNELS * 9 * SIDE * SIDE;

    private PeakProbe() {
    }

    /**
     * Giga operations per second (2 per multiply-add) of the probe convolution; for int8 uint8 source and
     * destination and int8 weights, as the int8 networks run (integer operations, not floating point).
     *
     * @throws UnsupportedOperationException for bf16 on a CPU without bf16 instructions
     */
    public static double gflops(Precision precision, int threads) {
        if (precision == Precision.BF16 && !Dnnl.hasBf16()) {
            throw new UnsupportedOperationException("oneDNN bf16 needs AVX512-BF16 or AMX, which this CPU lacks");
        }
        Dnnl.threads(threads);
        try (Dnnl.Handles handles = new Dnnl.Handles()) {
            dnnl_engine engine = new dnnl_engine();
            Dnnl.check(dnnl_engine_create(engine, dnnl_cpu, 0), "create CPU engine");
            handles.add(engine, () -> dnnl_engine_destroy(engine));
            dnnl_stream stream = new dnnl_stream();
            Dnnl.check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "create stream");
            handles.add(stream, () -> dnnl_stream_destroy(stream));
            long[] activation = {BATCH, CHANNELS, SIDE, SIDE};
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            Dnnl.check(dnnl_convolution_forward_primitive_desc_create(pd, engine, dnnl_forward_inference,
                    dnnl_convolution_direct, handles.desc(activation, precision.activations(), dnnl_format_tag_any),
                    handles.desc(new long[] {CHANNELS, CHANNELS, 3, 3}, precision.weights(), dnnl_format_tag_any),
                    handles.desc(new long[] {CHANNELS}, dnnl_f32, dnnl_a),
                    handles.desc(activation, precision.activations(), dnnl_format_tag_any), new long[] {1, 1},
                    new long[] {0, 0}, new long[] {1, 1}, new long[] {1, 1}, Attributes.of(handles, true)),
                    "probe convolution");
            int[] ids = {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST, DNNL_ARG_SCRATCHPAD};
            int[] queries = {dnnl_query_src_md, dnnl_query_weights_md, -1, dnnl_query_dst_md, dnnl_query_scratchpad_md};
            dnnl_exec_arg_t args = new dnnl_exec_arg_t(ids.length);
            for (int i = 0; i < ids.length; i++) {
                dnnl_memory_desc md = queries[i] < 0 ? handles.desc(new long[] {CHANNELS}, dnnl_f32, dnnl_a)
                        : dnnl_primitive_desc_query_md(pd, queries[i], 0);
                dnnl_memory memory = new dnnl_memory();
                Dnnl.check(dnnl_memory_create(memory, md, engine, new Dnnl.Address(-1)), "probe memory");
                handles.add(memory, () -> dnnl_memory_destroy(memory));
                args.position(i).arg(ids[i]).memory(memory);
            }
            dnnl_primitive primitive = new dnnl_primitive();
            Dnnl.check(dnnl_primitive_create(primitive, pd), "probe primitive");
            handles.add(primitive, () -> dnnl_primitive_destroy(primitive));
            dnnl_primitive_desc_destroy(pd);
            double[] seconds = new double[30];
            for (int i = -5; i < seconds.length; i++) {
                long start = System.nanoTime();
                Dnnl.check(dnnl_primitive_execute(primitive, stream, ids.length, args.position(0)), "probe");
                Dnnl.check(dnnl_stream_wait(stream), "probe");
                if (i >= 0) {
                    seconds[i] = (System.nanoTime() - start) / 1e9;
                }
            }
            // The fastest run: a peak is what the CPU can do, not what it did on average beside other work.
            return 2.0 * MACS / Arrays.stream(seconds).min().orElseThrow() / 1e9;
        }
    }
}
