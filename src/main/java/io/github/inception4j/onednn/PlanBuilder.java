package io.github.inception4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_ATTR_SCALES;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.dnnl_data_type_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_create_with_strides;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_scratchpad_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;

/**
 * The steps and tensors of a {@link Plan} under construction: new tensors and channel slices over its buffers, a
 * primitive added as the next step with its scratchpad, and conversions between precisions and scales.
 */
final class PlanBuilder {

    private final Plan plan;
    private final Dnnl.Handles handles;
    private final dnnl_engine engine;
    private final Weights weights;
    private final int layoutTag;

    PlanBuilder(Plan plan, OneDnnNetwork.Context context) {
        this.plan = plan;
        this.handles = context.handles();
        this.engine = context.engine();
        this.weights = context.weights();
        this.layoutTag = context.layout().tag();
    }

    Tensor tensor(long[] dims, int type, int tag) {
        return tensor(handles.desc(dims, type, tag), dims, type);
    }

    Tensor tensor(dnnl_memory_desc desc, long[] dims, int type) {
        int buffer = plan.buffer(dnnl_memory_desc_get_size(desc));
        return new Tensor(plan.memory(desc, buffer), desc, buffer, dims, type, 1f, dims.length > 1 ? dims[1] : 0, 0);
    }

    /**
     * Images [start, start + count) of {@code batch}, whose layout is {@code tag} (the image index outermost, as
     * in every layout here): a view over its buffer.
     */
    Tensor images(Tensor batch, int tag, long start, long count) {
        long[] dims = batch.dims().clone();
        dims[0] = 1;
        long bytesPerImage = dnnl_memory_desc_get_size(handles.desc(dims, batch.type(), tag));
        dims[0] = count;
        dnnl_memory_desc desc = handles.desc(dims, batch.type(), tag);
        return new Tensor(plan.memory(desc, batch.buffer(), start * bytesPerImage), desc, batch.buffer(), dims,
                batch.type(), batch.scale(), batch.pixelStride(), batch.channelOffset());
    }

    /** Channels [offset, offset + channels) of {@code base}: a view writing into its buffer. */
    Tensor slice(Tensor base, long offset, long channels) {
        long[] dims = base.dims().clone();
        dims[1] = channels;
        dnnl_memory_desc desc = handles.slice(base.desc(), dims, new long[] {0, offset, 0, 0});
        return new Tensor(plan.memory(desc, base.buffer()), desc, base.buffer(), dims, base.type(), base.scale(),
                base.pixelStride(), base.channelOffset() + offset);
    }

    /**
     * A channels-last (N, C, H, W) tensor seen as the (N·H·W, C) matrix of its pixels, rows {@code pixelStride}
     * apart: the operand of a 1×1 convolution run as a matrix product (a view, no copy; a slice stays strided).
     * The view starts at the slice's first element: oneDNN's matmul ignores a descriptor's offset.
     */
    Tensor pixels(Tensor t) {
        long[] d = t.dims();
        long[] dims = {d[0] * d[2] * d[3], d[1]};
        dnnl_memory_desc view = new dnnl_memory_desc();
        Dnnl.check(dnnl_memory_desc_create_with_strides(view, 2, dims, t.type(), new long[] {t.pixelStride(), 1}),
                "matrix view");
        handles.add(view, () -> dnnl_memory_desc_destroy(view));
        long bytes = t.channelOffset() * dnnl_data_type_size(t.type());
        return new Tensor(plan.memory(view, t.buffer(), bytes), view, t.buffer(), dims, t.type(), t.scale(),
                t.pixelStride(), t.channelOffset());
    }

    /**
     * Adds the primitive of {@code pd} as the next step, with a scratchpad when it needs one, and destroys
     * {@code pd}. {@code args} alternate DNNL_ARG_* ids and memories; {@code reads} are the tensors it reads.
     */
    void step(String layer, dnnl_primitive_desc pd, Object[] args, Tensor... reads) {
        List<Object> all = new ArrayList<>(Arrays.asList(args));
        dnnl_memory_desc scratch = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
        long scratchBytes = scratch == null || scratch.isNull() ? 0 : dnnl_memory_desc_get_size(scratch);
        if (scratchBytes > 0) {
            all.add(DNNL_ARG_SCRATCHPAD);
            all.add(plan.scratchpad(scratch, scratchBytes));
        }
        dnnl_primitive primitive = new dnnl_primitive();
        Dnnl.check(dnnl_primitive_create(primitive, pd), "create primitive for " + layer);
        handles.add(primitive, () -> dnnl_primitive_destroy(primitive));
        String implementation = Dnnl.implementation(pd);
        dnnl_primitive_desc_destroy(pd);
        int count = all.size() / 2;
        dnnl_exec_arg_t exec = new dnnl_exec_arg_t(count);
        for (int i = 0; i < count; i++) {
            exec.position(i).arg((Integer) all.get(2 * i)).memory((dnnl_memory) all.get(2 * i + 1));
        }
        exec.position(0);
        for (Tensor t : reads) {
            plan.read(t.buffer());
        }
        plan.add(new Plan.Step(layer, implementation, primitive, exec, count));
    }

    /**
     * {@code from} written into {@code to}, rescaled where their steps differ: a reorder computes
     * to = from · scale(from) / scale(to), which dequantizes, quantizes (rounding, saturating) or just copies.
     */
    Tensor convert(String layer, Tensor from, Tensor to) {
        boolean scaled = from.scale() != to.scale();
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        Dnnl.check(dnnl_reorder_primitive_desc_create(pd, from.desc(), engine, to.desc(), engine,
                scaled ? Attributes.of(handles, false, DNNL_ARG_SRC, 0, DNNL_ARG_DST, 0) : Attributes.of(handles,
                        false)), "reorder for " + layer);
        List<Object> args = new ArrayList<>(List.of(DNNL_ARG_SRC, from.memory(), DNNL_ARG_DST, to.memory()));
        if (scaled) {
            args.addAll(List.of(DNNL_ARG_ATTR_SCALES | DNNL_ARG_SRC, weights.scalar(from.scale()),
                    DNNL_ARG_ATTR_SCALES | DNNL_ARG_DST, weights.scalar(to.scale())));
        }
        step(layer + " (reorder)", pd, args.toArray(), from);
        return to;
    }

    /** An int8 tensor in float32 (same layout): for the layers oneDNN has no integer kernel for. */
    Tensor dequantized(String layer, Tensor from) {
        if (from.type() == dnnl_f32 || from.type() == org.bytedeco.dnnl.global.dnnl.dnnl_bf16) {
            return from;
        }
        return convert(layer, from, tensor(from.dims(), dnnl_f32, layoutTag));
    }
}
