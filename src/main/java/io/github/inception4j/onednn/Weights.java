package io.github.inception4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;
import static org.bytedeco.dnnl.global.dnnl.dnnl_abcd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ba;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_s8;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The network's parameters in the layouts and precision its primitives asked for, each reordered once when first
 * asked and shared by every plan that asks for the same layout (plans of other batch sizes usually do).
 */
final class Weights {

    private record Reordered(dnnl_memory_desc desc, dnnl_memory memory) {
    }

    private final Map<String, float[]> values;
    private final Dnnl.Handles handles;
    private final dnnl_engine engine;
    private final dnnl_stream stream;
    private final Map<String, List<Reordered>> reordered = new HashMap<>();
    private final Map<String, dnnl_memory> vectors = new HashMap<>();

    Weights(Map<String, float[]> values, Dnnl.Handles handles, dnnl_engine engine, dnnl_stream stream) {
        this.values = values;
        this.handles = handles;
        this.engine = engine;
        this.stream = stream;
    }

    /** Parameter {@code name}, of PyTorch shape {@code dims} (OIHW or OI), in the layout of {@code wanted}. */
    dnnl_memory get(String name, long[] dims, dnnl_memory_desc wanted) {
        return reorder(name, plain(dims, dnnl_f32), () -> new FloatPointer(require(name)), wanted);
    }

    /**
     * The weight {@code name} of a 1×1 convolution, (outputs, inputs, 1, 1) in PyTorch, as the (inputs, outputs)
     * right operand of a matrix product, in the layout of {@code wanted}: the same bytes read transposed.
     */
    dnnl_memory matrix(String name, long inputs, long outputs, dnnl_memory_desc wanted) {
        return reorder(name, handles.desc(new long[] {inputs, outputs}, dnnl_f32, dnnl_ba),
                () -> new FloatPointer(require(name)), wanted);
    }

    /** {@link #matrix} as int8 codes, quantized as {@link #quantized} does (per output channel). */
    dnnl_memory quantizedMatrix(String name, long inputs, long outputs, dnnl_memory_desc wanted) {
        return reorder(name, handles.desc(new long[] {inputs, outputs}, dnnl_s8, dnnl_ba),
                () -> codes(name, (int) outputs), wanted);
    }

    /**
     * Parameter {@code name} as int8, symmetric per output channel (code = round(w / scale), scale = max |w| / 127
     * of the channel: the rule of the ONNX int8 model), in the layout of {@code wanted}.
     */
    dnnl_memory quantized(String name, long[] dims, dnnl_memory_desc wanted) {
        return reorder(name, plain(dims, dnnl_s8), () -> codes(name, (int) dims[0]), wanted);
    }

    private Pointer codes(String name, int channels) {
        float[] w = require(name);
        float[] scales = channelScales(name, channels);
        int perChannel = w.length / scales.length;
        byte[] codes = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            codes[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / scales[i / perChannel])));
        }
        return new BytePointer(codes);
    }

    private dnnl_memory_desc plain(long[] dims, int type) {
        return handles.desc(dims, type, dims.length == 4 ? dnnl_abcd : dnnl_ab);
    }

    /** The int8 step of each of the {@code channels} output channels of weight {@code name}, as a f32 vector. */
    dnnl_memory channelScaleMemory(String name, int channels) {
        return vectors.computeIfAbsent(name + "(scales)", k -> vector(channelScales(name, channels)));
    }

    /** A one-value f32 vector: a per-tensor scale. */
    dnnl_memory scalar(float value) {
        return vectors.computeIfAbsent("(scale " + Float.floatToIntBits(value) + ")", k -> vector(new float[] {value}));
    }

    private float[] channelScales(String name, int channels) {
        float[] w = require(name);
        float[] scales = new float[channels];
        int perChannel = w.length / channels;
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            scales[c] = max > 0 ? max / 127f : 1f;
        }
        return scales;
    }

    /** {@code data} (made only when no earlier reorder of {@code name} has the wanted layout) in that layout. */
    private dnnl_memory reorder(String name, dnnl_memory_desc plain, Supplier<Pointer> data,
                                dnnl_memory_desc wanted) {
        for (Reordered r : reordered.getOrDefault(name, List.of())) {
            if (dnnl_memory_desc_equal(r.desc(), wanted) != 0) {
                return r.memory();
            }
        }
        dnnl_memory target = allocate(wanted);
        try (Pointer source = data.get()) {
            dnnl_memory user = new dnnl_memory();
            Dnnl.check(dnnl_memory_create(user, plain, engine, source), "memory for " + name);
            try {
                copy(name, plain, user, wanted, target);
            } finally {
                dnnl_memory_destroy(user);
            }
        }
        reordered.computeIfAbsent(name, k -> new ArrayList<>()).add(new Reordered(handles.copy(wanted), target));
        return target;
    }

    /** A bias, f32 (every precision accumulates and adds it in f32). */
    dnnl_memory bias(String name) {
        return vectors.computeIfAbsent(name, k -> vector(require(name)));
    }

    /** A bias as the (1, N) row a matrix product adds to each of its rows. */
    dnnl_memory row(String name) {
        return vectors.computeIfAbsent(name + "(row)", k -> {
            float[] floats = require(name);
            dnnl_memory memory = allocate(handles.desc(new long[] {1, floats.length}, dnnl_f32, dnnl_ab));
            new FloatPointer(Dnnl.data(memory)).put(floats);
            return memory;
        });
    }

    /** A bias of zeros, for a convolution without one. */
    dnnl_memory zeros(String layer, int length) {
        return vectors.computeIfAbsent(layer + ".bias(zero)", k -> vector(new float[length]));
    }

    private dnnl_memory vector(float[] floats) {
        dnnl_memory memory = allocate(handles.desc(new long[] {floats.length}, dnnl_f32, dnnl_a));
        new FloatPointer(Dnnl.data(memory)).put(floats);
        return memory;
    }

    private float[] require(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("oneDNN backend: the network has no parameter " + name);
        }
        return v;
    }

    private dnnl_memory allocate(dnnl_memory_desc desc) {
        dnnl_memory memory = new dnnl_memory();
        Dnnl.check(dnnl_memory_create(memory, desc, engine, new Dnnl.Address(-1)), "allocate memory");
        return handles.add(memory, () -> dnnl_memory_destroy(memory));
    }

    private void copy(String name, dnnl_memory_desc fromDesc, dnnl_memory from, dnnl_memory_desc toDesc,
                      dnnl_memory to) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        Dnnl.check(dnnl_reorder_primitive_desc_create(pd, fromDesc, engine, toDesc, engine, null), "reorder " + name);
        dnnl_primitive reorder = new dnnl_primitive();
        try {
            Dnnl.check(dnnl_primitive_create(reorder, pd), "reorder " + name);
        } finally {
            dnnl_primitive_desc_destroy(pd);
        }
        try (dnnl_exec_arg_t args = new dnnl_exec_arg_t(2)) {
            args.position(0).arg(DNNL_ARG_FROM).memory(from);
            args.position(1).arg(DNNL_ARG_TO).memory(to);
            Dnnl.check(dnnl_primitive_execute(reorder, stream, 2, args.position(0)), "reorder " + name);
            Dnnl.check(dnnl_stream_wait(stream), "reorder " + name);
        } finally {
            dnnl_primitive_destroy(reorder);
        }
    }
}
