package io.github.inception4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/** The operations DJL's PyTorch engine lacks or gets wrong, built from operations it has (see djl.md). */
final class Ops {

    /** oneDNN's channel block; see {@link #conv2d}. */
    private static final int CHANNEL_BLOCK = 16;

    private Ops() {
    }

    /**
     * A 2-D convolution that never reads uninitialised memory.
     *
     * <p>libtorch 2.7.1's CPU convolution (oneDNN, AVX-512) reads past the end of the channels it reduces over
     * when their number is above 16 and not a multiple of 16 (17, 20, 24, 28, 72, ...): the input channels in
     * the forward pass, the output channels when it propagates gradients back. The extra values meet zero
     * weights, so the result is right unless that memory happens to hold inf or NaN (freed buffers often do:
     * max pooling pads with −inf), and then the output is NaN. Measured: 200 of 200 runs NaN for 72 input
     * channels after a buffer of infinities was freed; none once the channels are zero-padded to a multiple of
     * 16. GoogLeNet's 24-channel 5×5 reductions (4b, 4c) and most width-multiplied networks hit it. So both
     * channel counts are padded here where affected, and the padded outputs cut off again; gradients flow
     * through the padding and the cut unchanged.
     */
    static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape pad) {
        long inChannels = x.getShape().get(1);
        long outChannels = weight.getShape().get(0);
        long inExtra = paddingFor(inChannels);
        long outExtra = paddingFor(outChannels);
        if (inExtra > 0) {
            // NDArray.pad takes (before, after) pairs from the last axis backwards: W, H, then C.
            x = x.pad(new Shape(0, 0, 0, 0, 0, inExtra), 0);
        }
        // The padded copies of a parameter would belong to the parameter's (the model's) manager and live as
        // long as the model: give them to the input's manager, which the caller closes after the step.
        if (inExtra > 0 || outExtra > 0) {
            weight = weight.pad(new Shape(0, 0, 0, 0, 0, inExtra, 0, outExtra), 0);
            weight.attach(x.getManager());
        }
        if (outExtra > 0 && bias != null) {
            bias = bias.pad(new Shape(0, outExtra), 0);
            bias.attach(x.getManager());
        }
        NDArray y = Conv2d.conv2d(x, weight, bias, stride, pad, new Shape(1, 1), 1).head();
        return outExtra > 0 ? y.get(new NDIndex(":, 0:{}", outChannels)) : y;
    }

    private static long paddingFor(long channels) {
        return channels > CHANNEL_BLOCK && channels % CHANNEL_BLOCK != 0
                ? CHANNEL_BLOCK - channels % CHANNEL_BLOCK : 0;
    }

    /**
     * Max pooling as two separable passes: the maximum of k strided row slices, then of k strided column slices
     * of the (−inf padded) input. Exactly max_pool2d's values, ceil mode included (the padding covers the last
     * window), with 2(k−1) elementwise maxima instead of libtorch's NCHW kernel, which is slow on this CPU:
     * measured 46.8 → 6.7 ms for a 3×3/1 pool over (8, 480, 28, 28), 31.0 → 20.9 ms for 3×3/2 over
     * (8, 64, 112, 112). Gradients go to one maximum of each window, as max_pool2d's do.
     */
    static NDArray maxPool2d(NDArray x, int kernel, int stride, int pad, int outH, int outW) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        long spanH = (long) (outH - 1) * stride + kernel;
        long spanW = (long) (outW - 1) * stride + kernel;
        // (left, right, top, bottom) padding of the last two axes; the right/bottom side reaches the last window.
        // Unpadded floor-mode pools (all of Inception-v3's) need no copy: the slices stay inside the input.
        boolean needsPadding = pad > 0 || spanH > h || spanW > w;
        NDArray padded = needsPadding
                ? x.pad(new Shape(pad, spanW - w - pad, pad, spanH - h - pad), Float.NEGATIVE_INFINITY) : x;
        NDArray rows = null;
        for (int j = 0; j < kernel; j++) {
            NDArray slice = padded.get(new NDIndex(":, :, {}:{}:{}", j, j + spanH - kernel + 1, stride));
            rows = rows == null ? slice : rows.maximum(slice);
        }
        NDArray out = null;
        for (int j = 0; j < kernel; j++) {
            NDArray slice = rows.get(new NDIndex(":, :, :, {}:{}:{}", j, j + spanW - kernel + 1, stride));
            out = out == null ? slice : out.maximum(slice);
        }
        return out;
    }

    /**
     * Caffe LRN across channels on NCHW: x / (k + α/n · Σ_{n channels} x²)^β, the window zero-padded at the ends.
     * The window sum adds n shifted channel slices of the padded squares.
     */
    static NDArray localResponseNorm(NDArray x, int size, float alpha, float beta, float k) {
        long channels = x.getShape().get(1);
        // NDArray.pad takes (before, after) pairs from the last axis backwards: W, H, then C.
        NDArray squares = x.square().pad(new Shape(0, 0, 0, 0, size / 2, size / 2), 0);
        NDArray sum = null;
        for (int j = 0; j < size; j++) {
            NDArray slice = squares.get(new NDIndex(":, {}:{}", j, j + channels));
            sum = sum == null ? slice : sum.add(slice);
        }
        return x.div(sum.div(Scalars.of(size, sum)).mul(Scalars.of(alpha, sum)).add(Scalars.of(k, sum))
                .pow(Scalars.of(beta, sum)));
    }

    /**
     * Average pooling that leaves padded zeros out of the divisor (TF / Keras "SAME"). DJL's JNI ignores
     * {@code count_include_pad=false}, so divide the padded sum by the pooled fraction of real pixels instead.
     */
    static NDArray avgPoolExcludingPad(NDArray x, Shape kernel, Shape stride, Shape pad, boolean ceilMode) {
        NDArray sum = Pool.avgPool2d(x, kernel, stride, pad, ceilMode, true);
        Shape s = x.getShape();
        NDArray ones = x.getManager().ones(new Shape(1, 1, s.get(2), s.get(3)), x.getDataType());
        NDArray fraction = Pool.avgPool2d(ones, kernel, stride, pad, ceilMode, true);
        return sum.div(fraction);
    }

    /**
     * PyTorch's adaptive average pooling to (outH, outW) on NCHW: cell (i, j) averages rows ⌊i·H/outH⌋ to
     * ⌈(i+1)·H/outH⌉ − 1 and the matching columns (windows may overlap when the size does not divide).
     */
    static NDArray adaptiveAvgPool(NDArray x, int outH, int outW) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        if (h % outH == 0 && w % outW == 0) { // includes global pooling (1×1)
            Shape window = new Shape(h / outH, w / outW);
            return Pool.avgPool2d(x, window, window, new Shape(0, 0), false, true);
        }
        NDList rows = new NDList(outH);
        for (int i = 0; i < outH; i++) {
            long top = Math.floorDiv(i * h, outH);
            long bottom = -Math.floorDiv(-(i + 1) * h, outH);
            NDList cells = new NDList(outW);
            for (int j = 0; j < outW; j++) {
                long left = Math.floorDiv(j * w, outW);
                long right = -Math.floorDiv(-(j + 1) * w, outW);
                // Rows of a cell have equal length, so the mean of row means is the cell mean (PtNDArray.mean
                // takes one axis at a time).
                cells.add(x.get(":, :, {}:{}, {}:{}", top, bottom, left, right).mean(new int[] {3}, true)
                        .mean(new int[] {2}, true));
            }
            rows.add(NDArrays.concat(cells, 3));
        }
        return NDArrays.concat(rows, 2);
    }
}
