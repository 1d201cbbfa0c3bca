package io.github.inception4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_ATTR_SCALES;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MULTIPLE_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;
import static org.bytedeco.dnnl.global.dnnl.dnnl_concat_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_inner_product_forward_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_lrn_across_channels;
import static org.bytedeco.dnnl.global.dnnl.dnnl_lrn_forward_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_matmul_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_avg_exclude_padding;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_avg_include_padding;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_forward_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_max;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_s8;

import io.github.inception4j.onnx.Calibration;
import io.github.inception4j.spec.AdaptiveAvgPool;
import io.github.inception4j.spec.Concat;
import io.github.inception4j.spec.Conv;
import io.github.inception4j.spec.Dropout;
import io.github.inception4j.spec.FusedConcat;
import io.github.inception4j.spec.InputTransform;
import io.github.inception4j.spec.LayerSpec;
import io.github.inception4j.spec.Linear;
import io.github.inception4j.spec.LocalResponseNorm;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.Pool;
import io.github.inception4j.spec.Sequential;
import io.github.inception4j.spec.Shape3;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Compiles a network's eval path (main logits; BatchNorm already folded) into a {@link Plan} for one batch size:
 * one oneDNN primitive per layer, ReLU fused into each convolution, activations in one layout chosen for the whole
 * network, and the branches of a concatenation writing into their channel slice of its output: in place where
 * their primitive writes a slice (blocked convolutions on the channel block; channels-last 1×1 convolutions run as
 * matrix products), else copied in by a reorder; a concat primitive only for blocked widths off the block. The
 * stem runs image by image ({@link #stem}).
 */
final class PlanCompiler {

    /**
     * Images per tile of the stem: one (googlenet's conv1 and pool1 on 8 images: 6.2–7.4 ms a batch, 5.5 image by
     * image or in pairs; the whole network 2% faster, inception-v3 no different; docs/benchmarks.md).
     */
    private static final int STEM_TILE = 1;

    /** A pooling window: (H, W) pairs; the right/bottom padding may exceed the left/top one (ceil mode). */
    private record Window(long[] kernel, long[] strides, long[] padLeft, long[] padRight) {
    }

    private final PlanBuilder build;
    private final Dnnl.Handles handles;
    private final dnnl_engine engine;
    private final Weights weights;
    private final Precision precision;
    private final Map<String, Calibration.Range> ranges;
    private final float imageScale;
    private final int layoutTag;
    private final int block;
    private final boolean channelsLast;
    private Tensor input;

    private PlanCompiler(Plan plan, OneDnnNetwork.Context context) {
        this.build = new PlanBuilder(plan, context);
        this.handles = context.handles();
        this.engine = context.engine();
        this.weights = context.weights();
        this.precision = context.precision();
        this.ranges = context.ranges();
        this.imageScale = context.imageScale();
        this.layoutTag = context.layout().tag();
        this.block = context.layout().concatBlock();
        this.channelsLast = context.layout() == Layout.NHWC;
    }

    /** The plan of {@code spec}'s eval path at {@code batch}, its input an (N, C, H, W) f32 image batch. */
    static Plan compile(NetworkSpec spec, int batch, OneDnnNetwork.Context context) {
        Plan plan = new Plan(batch, context.handles(), context.engine());
        PlanCompiler compiler = new PlanCompiler(plan, context);
        Shape3 in = spec.input();
        Tensor image = compiler.build.tensor(new long[] {batch, in.channels(), in.height(), in.width()}, dnnl_f32,
                dnnl_nchw);
        List<LayerSpec> layers = spec.layers();
        int stem = 0;
        while (stem < layers.size() && layers.get(stem).accept(new StemLayer())) {
            stem++;
        }
        Tensor x = compiler.stem(image, layers.subList(0, stem), STEM_TILE);
        compiler.input = image;
        for (LayerSpec layer : layers.subList(stem, layers.size())) {
            x = layer.accept(compiler.new Emit("", x, null));
        }
        if (x.dims().length != 2 || x.dims()[1] != spec.numClasses() || x.type() != dnnl_f32) {
            throw new UnsupportedOperationException("oneDNN backend: the network must end in a fully connected layer "
                    + "giving " + spec.numClasses() + " logits, got " + Arrays.toString(x.dims()));
        }
        plan.keep(x.buffer());
        plan.layout(compiler.input.buffer(), x.buffer());
        return plan;
    }

    /**
     * The stem (the layers before the first concatenation) run {@code tile} images at a time, each tile's output
     * copied into the whole batch's: the stem's activations are the network's largest (googlenet's conv1 writes
     * 3.2 MB an image), and a tile's stay in cache for the next layer where a whole batch's go out to memory
     * and back (measured in docs/benchmarks.md). The rest of the network runs on the whole batch, which its
     * weights are worth reusing over.
     */
    private Tensor stem(Tensor image, List<LayerSpec> layers, int tile) {
        long batch = image.dims()[0];
        if (layers.isEmpty() || tile >= batch) {
            input = image;
            Tensor x = image;
            for (LayerSpec layer : layers) {
                x = layer.accept(new Emit("", x, null));
            }
            return x;
        }
        Tensor out = null;
        for (long start = 0; start < batch; start += tile) {
            long images = Math.min(tile, batch - start);
            input = build.images(image, dnnl_nchw, start, images);
            Tensor x = input;
            for (LayerSpec layer : layers) {
                x = layer.accept(new Emit("", x, null));
            }
            if (out == null) {
                long[] dims = x.dims().clone();
                dims[0] = batch;
                out = build.tensor(dims, x.type(), layoutTag).withScale(x.scale());
            }
            build.convert("stem", x, build.images(out, layoutTag, start, images));
        }
        return out;
    }

    /** Whether a layer runs image by image (no concatenation, no classifier): a layer of the stem. */
    private static final class StemLayer implements LayerSpec.Visitor<Boolean> {
        @Override
        public Boolean conv(Conv conv) {
            return true;
        }

        @Override
        public Boolean pool(Pool pool) {
            return true;
        }

        @Override
        public Boolean adaptiveAvgPool(AdaptiveAvgPool pool) {
            return false;
        }

        @Override
        public Boolean localResponseNorm(LocalResponseNorm norm) {
            return true;
        }

        @Override
        public Boolean dropout(Dropout dropout) {
            return false;
        }

        @Override
        public Boolean linear(Linear linear) {
            return false;
        }

        @Override
        public Boolean inputTransform(InputTransform transform) {
            return true;
        }

        @Override
        public Boolean sequential(Sequential sequential) {
            return sequential.layers().stream().allMatch(layer -> layer.accept(this));
        }

        @Override
        public Boolean concat(Concat concat) {
            return false;
        }

        @Override
        public Boolean fusedConcat(FusedConcat concat) {
            return false;
        }
    }

    /** The uint8 step of activation {@code name} as calibrated. */
    private float scaleOf(String name) {
        Calibration.Range range = ranges.get(name);
        if (range == null) {
            throw new IllegalArgumentException("the calibration has no range for '" + name + "'; calibrate this "
                    + "network (same architecture and options) again");
        }
        return range.scale();
    }

    /** Emits one layer reading {@code input}, writing into {@code target} when given (a concat's slice). */
    private final class Emit implements LayerSpec.Visitor<Tensor> {
        private final String path;
        private final Tensor in;
        private final Tensor target;

        Emit(String path, Tensor in, Tensor target) {
            this.path = path;
            this.in = in;
            this.target = target;
        }

        /**
         * Where a layer that writes {@code shape} puts it: the target slice when there is one and the layer's
         * primitive writes a strided slice ({@code writesSlices}), else a tensor of its own that the branch holding it
         * copies into the target.
         */
        private Tensor destination(Shape3 shape, boolean writesSlices) {
            long[] dims = {in.dims()[0], shape.channels(), shape.height(), shape.width()};
            if (target != null && writesSlices) {
                if (!Arrays.equals(dims, target.dims())) {
                    throw new IllegalStateException("a branch gives " + Arrays.toString(dims) + " for a slice of "
                            + Arrays.toString(target.dims()));
                }
                return target;
            }
            return build.tensor(dims, precision.activations(), layoutTag);
        }

        /**
         * The output of any other layer: a tensor of its own (oneDNN's pooling and LRN fall back to their reference
         * code when writing into a slice), copied into the target by the branch that holds it.
         */
        private Tensor own(Tensor src, Shape3 shape) {
            return build.tensor(new long[] {src.dims()[0], shape.channels(), shape.height(), shape.width()}, src.type(),
                    layoutTag).withScale(src.scale());
        }

        @Override
        public Tensor conv(Conv c) {
            String name = LayerSpec.join(path, c.name());
            if (c.style().batchNorm()) {
                throw new IllegalStateException("BatchNorm must be folded before compiling (layer " + name + ")");
            }
            Conv.Names n = new Conv.Names(name);
            Conv.Window w = c.window();
            if (channelsLast && target != null && w.kernelH() == 1 && w.kernelW() == 1 && w.strideH() == 1
                    && w.strideW() == 1 && w.padH() == 0 && w.padW() == 0) {
                return pointwise(c, name, n);
            }
            Shape3 from = in.shape();
            long[] weightDims = {c.filters(), from.channels(), w.kernelH(), w.kernelW()};
            // oneDNN's blocked convolutions write a block-aligned channel slice; its channels-last ones do not.
            Tensor dst = destination(c.outputShape(from), !channelsLast);
            // The image is plain f32 NCHW: the convolution picks the layout it reads best and a reorder feeds it.
            boolean image = in == input;
            boolean int8 = precision == Precision.INT8;
            // int8: the image enters as signed codes (it has negative values), every later input is a ReLU's uint8.
            int imageType = int8 ? dnnl_s8 : precision.activations();
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            Dnnl.check(dnnl_convolution_forward_primitive_desc_create(pd, engine, dnnl_forward_inference,
                    dnnl_convolution_direct,
                    image ? handles.desc(in.dims(), imageType, dnnl_format_tag_any) : in.desc(),
                    handles.desc(weightDims, precision.weights(), dnnl_format_tag_any),
                    handles.desc(new long[] {c.filters()}, dnnl_f32, org.bytedeco.dnnl.global.dnnl.dnnl_a),
                    dst.desc(), new long[] {w.strideH(), w.strideW()}, new long[] {0, 0},
                    new long[] {w.padH(), w.padW()}, new long[] {w.padH(), w.padW()}, int8
                            ? Attributes.of(handles, true, DNNL_ARG_SRC, 0, DNNL_ARG_WEIGHTS, 1, DNNL_ARG_DST, 0)
                            : Attributes.of(handles, true)), "convolution " + name);
            Tensor src = in;
            dnnl_memory_desc wanted = dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0);
            if (image && dnnl_memory_desc_equal(wanted, in.desc()) == 0) {
                src = build.convert(name, in, build.tensor(handles.copy(wanted), in.dims(), imageType)
                        .withScale(int8 ? imageScale : 1f));
            }
            dnnl_memory_desc weightDesc = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
            dnnl_memory weight = int8 ? weights.quantized(n.weight(), weightDims, weightDesc)
                    : weights.get(n.weight(), weightDims, weightDesc);
            dnnl_memory bias = c.style().bias() ? weights.bias(n.bias()) : weights.zeros(name, c.filters());
            List<Object> args = new ArrayList<>(List.of(DNNL_ARG_SRC, src.memory(), DNNL_ARG_WEIGHTS, weight,
                    DNNL_ARG_BIAS, bias, DNNL_ARG_DST, dst.memory()));
            float dstScale = int8 ? int8Scales(args, src, c, n) : 1f;
            build.step(name, pd, args.toArray(), src);
            return dst.withScale(dstScale);
        }

        /**
         * Adds an int8 convolution's runtime scales to {@code args} and returns its output's step:
         * dst = ReLU(scale(src) · scale(w) · Σ src·w + bias) / scale(dst), rounded and saturated to uint8.
         */
        private float int8Scales(List<Object> args, Tensor src, Conv c, Conv.Names n) {
            float dstScale = scaleOf(n.unit());
            args.addAll(List.of(DNNL_ARG_ATTR_SCALES | DNNL_ARG_SRC, weights.scalar(src.scale()),
                    DNNL_ARG_ATTR_SCALES | DNNL_ARG_WEIGHTS, weights.channelScaleMemory(n.weight(), c.filters()),
                    DNNL_ARG_ATTR_SCALES | DNNL_ARG_DST, weights.scalar(dstScale)));
            return dstScale;
        }

        /**
         * A 1×1 convolution over channels-last activations that ends a concatenation's branch, as the matrix product
         * (pixels × C_in)·(C_in × C_out): oneDNN's matmul writes rows a stride apart, so the result goes straight
         * into the concatenation's channel slice, where its channels-last convolutions would need a copy.
         */
        private Tensor pointwise(Conv c, String name, Conv.Names n) {
            Tensor dst = destination(c.outputShape(in.shape()), true);
            Tensor a = build.pixels(in);
            Tensor b = build.pixels(dst);
            long inputs = in.dims()[1];
            boolean int8 = precision == Precision.INT8;
            dnnl_memory_desc bias = c.style().bias()
                    ? handles.desc(new long[] {1, c.filters()}, dnnl_f32, dnnl_ab) : null;
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            // int8 weight scales: one per column of the (C_in, C_out) matrix, i.e. mask 1 << 1.
            Dnnl.check(dnnl_matmul_primitive_desc_create(pd, engine, a.desc(),
                    handles.desc(new long[] {inputs, c.filters()}, precision.weights(), dnnl_format_tag_any), bias,
                    b.desc(), int8 ? Attributes.of(handles, true, DNNL_ARG_SRC, 0, DNNL_ARG_WEIGHTS, 2, DNNL_ARG_DST, 0)
                            : Attributes.of(handles, true)), "1×1 convolution (matmul) " + name);
            dnnl_memory_desc weightDesc = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
            List<Object> args = new ArrayList<>(List.of(DNNL_ARG_SRC, a.memory(), DNNL_ARG_WEIGHTS, int8
                    ? weights.quantizedMatrix(n.weight(), inputs, c.filters(), weightDesc)
                    : weights.matrix(n.weight(), inputs, c.filters(), weightDesc), DNNL_ARG_DST, b.memory()));
            if (bias != null) {
                args.addAll(List.of(DNNL_ARG_BIAS, weights.row(n.bias())));
            }
            float dstScale = int8 ? int8Scales(args, in, c, n) : 1f;
            build.step(name, pd, args.toArray(), in);
            return dst.withScale(dstScale);
        }

        @Override
        public Tensor pool(Pool pool) {
            String name = LayerSpec.join(path, pool.name());
            Shape3 from = in.shape();
            Shape3 out = pool.outputShape(from);
            int k = pool.kernel();
            int s = pool.stride();
            int p = pool.padding();
            // PyTorch's ceil mode lets the last window run past the padding: oneDNN is told so as padding on the right.
            long padBottom = Math.max(p, (long) (out.height() - 1) * s + k - from.height() - p);
            long padRight = Math.max(p, (long) (out.width() - 1) * s + k - from.width() - p);
            int algorithm = pool.kind() == Pool.Kind.MAX ? dnnl_pooling_max
                    : pool.countIncludePad() ? dnnl_pooling_avg_include_padding : dnnl_pooling_avg_exclude_padding;
            if (algorithm == dnnl_pooling_avg_include_padding && (padBottom > p || padRight > p)) {
                throw new UnsupportedOperationException("oneDNN backend: average pooling " + name + " in ceil mode "
                        + "counting padding (PyTorch does not count the windows' overhang; oneDNN would)");
            }
            // Pooling keeps int8 codes at their input's step (a max or a mean of codes is a code).
            return pooling(name, algorithm, in, own(in, out), new Window(new long[] {k, k}, new long[] {s, s},
                    new long[] {p, p}, new long[] {padBottom, padRight}));
        }

        @Override
        public Tensor adaptiveAvgPool(AdaptiveAvgPool pool) {
            String name = LayerSpec.join(path, pool.name());
            if (!pool.isGlobal()) {
                throw new UnsupportedOperationException("oneDNN backend: adaptive pooling to " + pool.outputHeight()
                        + "×" + pool.outputWidth() + " (layer " + name + ")");
            }
            Shape3 from = in.shape();
            long[] window = {from.height(), from.width()};
            Tensor src = build.dequantized(name, in); // the classifier runs in float
            return pooling(name, dnnl_pooling_avg_exclude_padding, src, own(src, pool.outputShape(from)),
                    new Window(window, window, new long[] {0, 0}, new long[] {0, 0}));
        }

        private Tensor pooling(String name, int algorithm, Tensor src, Tensor dst, Window w) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            Dnnl.check(dnnl_pooling_forward_primitive_desc_create(pd, engine, dnnl_forward_inference, algorithm,
                    src.desc(), dst.desc(), w.strides(), w.kernel(), new long[] {0, 0}, w.padLeft(), w.padRight(),
                    Attributes.of(handles, false)), "pooling " + name);
            build.step(name, pd, new Object[] {DNNL_ARG_SRC, src.memory(), DNNL_ARG_DST, dst.memory()}, src);
            return dst;
        }

        @Override
        public Tensor localResponseNorm(LocalResponseNorm norm) {
            String name = LayerSpec.join(path, norm.name());
            Tensor src = build.dequantized(name, in); // LRN has no integer kernel
            Tensor dst = own(src, src.shape());
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            // oneDNN's across-channel LRN is Caffe's and PyTorch's: x / (k + α/size · Σ x²)^β.
            Dnnl.check(dnnl_lrn_forward_primitive_desc_create(pd, engine, dnnl_forward_inference,
                    dnnl_lrn_across_channels, src.desc(), dst.desc(), norm.size(), (float) norm.alpha(),
                    (float) norm.beta(), (float) norm.k(), Attributes.of(handles, false)), "LRN " + name);
            build.step(name, pd, new Object[] {DNNL_ARG_SRC, src.memory(), DNNL_ARG_DST, dst.memory()}, src);
            return src == in ? dst : build.convert(name, dst, build.tensor(dst.dims(), in.type(), layoutTag)
                    .withScale(scaleOf(name)));
        }

        @Override
        public Tensor dropout(Dropout d) {
            return in; // the eval graph: dropout is the identity
        }

        @Override
        public Tensor linear(Linear l) {
            String name = LayerSpec.join(path, l.name());
            Tensor in = build.dequantized(name, this.in);
            long[] weightDims = in.dims().clone();
            weightDims[0] = l.units();
            long[] dims = {in.dims()[0], l.units()};
            Tensor dst = build.tensor(dims, dnnl_f32, dnnl_nc);
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            Dnnl.check(dnnl_inner_product_forward_primitive_desc_create(pd, engine, dnnl_forward_inference,
                    in.desc(), handles.desc(weightDims, precision == Precision.INT8 ? dnnl_f32 : precision.weights(),
                            dnnl_format_tag_any),
                    handles.desc(new long[] {l.units()}, dnnl_f32, org.bytedeco.dnnl.global.dnnl.dnnl_a), dst.desc(),
                    Attributes.of(handles, l.relu())), "fully connected " + name);
            dnnl_memory weight = weights.get(name + ".weight", weightDims,
                    dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0));
            build.step(name, pd, new Object[] {DNNL_ARG_SRC, in.memory(), DNNL_ARG_WEIGHTS, weight, DNNL_ARG_BIAS,
                    weights.bias(name + ".bias"), DNNL_ARG_DST, dst.memory()}, in);
            return dst;
        }

        @Override
        public Tensor inputTransform(InputTransform t) {
            if (in != input || !path.isEmpty()) {
                throw new UnsupportedOperationException("oneDNN backend: an input transform inside the network ("
                        + LayerSpec.join(path, t.name()) + ")");
            }
            return in; // applied to the image as it is copied in (OneDnnNetwork)
        }

        @Override
        public Tensor sequential(Sequential s) {
            String inner = LayerSpec.join(path, s.name());
            Tensor x = in;
            List<LayerSpec> layers = s.layers();
            for (int i = 0; i < layers.size(); i++) {
                x = layers.get(i).accept(new Emit(inner, x, i == layers.size() - 1 ? target : null));
            }
            return into(inner, x, target);
        }

        /** {@code x}, or a copy of it in {@code to} when that is given and {@code x} was not written there. */
        private Tensor into(String layer, Tensor x, Tensor to) {
            return to != null && x.memory() != to.memory() ? build.convert(layer, x, to.withScale(x.scale())) : x;
        }

        @Override
        public Tensor concat(Concat c) {
            String inner = LayerSpec.join(path, c.name());
            Shape3 from = in.shape();
            Tensor out = destination(c.outputShape(from), true); // its branches write it
            List<Integer> widths = c.branches().stream().map(b -> b.outputShape(from).channels()).toList();
            boolean inPlace = block > 0 && widths.stream().allMatch(width -> width % block == 0);
            List<Tensor> parts = new ArrayList<>();
            long offset = 0;
            for (int i = 0; i < widths.size(); i++) {
                Tensor slice = inPlace ? build.slice(out, offset, widths.get(i)) : null;
                parts.add(into(inner, c.branches().get(i).accept(new Emit(inner, in, slice)), slice));
                offset += widths.get(i);
            }
            if (!inPlace) {
                concatenate(inner, parts, out);
            }
            float scale = parts.get(0).scale();
            if (parts.stream().anyMatch(t -> t.scale() != scale)) {
                throw new IllegalArgumentException("the branches of " + inner + " were calibrated to different "
                        + "ranges; a concatenation's inputs share one (calibrate with `inception quantize` again)");
            }
            return out.withScale(scale);
        }

        private void concatenate(String name, List<Tensor> parts, Tensor out) {
            try (PointerPointer<dnnl_memory_desc> sources = new PointerPointer<>(parts.size())) {
                List<Object> args = new ArrayList<>();
                for (int i = 0; i < parts.size(); i++) {
                    sources.put(i, parts.get(i).desc());
                    args.add(DNNL_ARG_MULTIPLE_SRC + i);
                    args.add(parts.get(i).memory());
                }
                args.add(DNNL_ARG_DST);
                args.add(out.memory());
                // Only the pointer-to-pointer form of this call takes an array of sources.
                try (PointerPointer<dnnl_primitive_desc> created = new PointerPointer<>(1)) {
                    Dnnl.check(dnnl_concat_primitive_desc_create(created, engine, out.desc(), parts.size(), 1,
                            sources, Attributes.of(handles, false)), "concat " + name);
                    build.step(name + " (concat)", new dnnl_primitive_desc(created.get(0)), args.toArray(),
                            parts.toArray(Tensor[]::new));
                }
            }
        }

        @Override
        public Tensor fusedConcat(FusedConcat c) {
            throw new UnsupportedOperationException("oneDNN backend: fused 1×1 convolutions ("
                    + LayerSpec.join(path, c.name()) + "); compile the network before "
                    + "InferenceOptimizer.fusePointwise");
        }
    }
}
