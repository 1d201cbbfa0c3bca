package io.github.inception4j.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A convolution unit: conv (the {@link Window}) → optional BN → ReLU.
 */
public record Conv(String name, int filters, Window window, ConvStyle style) implements LayerSpec {

    /**
     * Kernel, stride and symmetric zero padding per axis. Output size per axis: ⌊(in + 2·pad − kernel) / stride⌋ + 1.
     */
    public record Window(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {

        public Window {
            if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
                throw new IllegalArgumentException("kernel and stride must be positive and padding non-negative, got "
                        + kernelH + "×" + kernelW + "/" + strideH + "×" + strideW + " pad " + padH + "×" + padW);
            }
        }

        /** A square kernel with the same stride and padding on both axes. */
        public static Window square(int kernel, int stride, int pad) {
            return new Window(kernel, kernel, stride, stride, pad, pad);
        }

        /** Stride 1 with "same" padding for odd kernels: 1×7, 7×1, 3×3, ... keep the spatial size. */
        public static Window same(int kernelH, int kernelW) {
            return new Window(kernelH, kernelW, 1, 1, kernelH / 2, kernelW / 2);
        }

        /** 1×1, stride 1, no padding: a per-pixel linear map of the channels. */
        public boolean pointwise() {
            return equals(square(1, 1, 0));
        }

        /** "3×3/2", or "1×7/1"; strides that differ per axis as "3×3/2×1". */
        public String text() {
            String stride = strideH == strideW ? String.valueOf(strideH) : strideH + "×" + strideW;
            return kernelH + "×" + kernelW + "/" + stride;
        }
    }

    public Conv {
        if (filters < 1) {
            throw new IllegalArgumentException("conv " + name + ": filters must be positive, was " + filters);
        }
    }

    /** A square kernel with the same stride and padding on both axes. */
    public static Conv square(String name, int filters, int kernel, int stride, int pad, ConvStyle style) {
        return new Conv(name, filters, Window.square(kernel, stride, pad), style);
    }

    /** A stride-1 convolution that keeps the spatial size ("same" padding, odd kernels): 1×7, 7×1, 3×3, ... */
    public static Conv same(String name, int filters, int kernelH, int kernelW, ConvStyle style) {
        return new Conv(name, filters, Window.same(kernelH, kernelW), style);
    }

    /** This convolution with another style (same name, filters and window). */
    public Conv withStyle(ConvStyle other) {
        return new Conv(name, filters, window, other);
    }

    @Override
    public String type() {
        return "convolution";
    }

    @Override
    public String patch() {
        return window.text();
    }

    @Override
    public Shape3 outputShape(Shape3 in) {
        Window k = window;
        int h = in.height() + 2 * k.padH() - k.kernelH();
        int w = in.width() + 2 * k.padW() - k.kernelW();
        if (h < 0 || w < 0) {
            throw new ShapeException("layer '" + name + "' (" + patch() + " convolution) needs at least "
                    + k.kernelH() + "×" + k.kernelW() + " after padding but gets " + in.height() + "×" + in.width());
        }
        return new Shape3(filters, h / k.strideH() + 1, w / k.strideW() + 1);
    }

    @Override
    public long macs(Shape3 in) {
        Shape3 out = outputShape(in);
        return (long) in.channels() * window.kernelH() * window.kernelW() * out.elements();
    }

    @Override
    public int depth() {
        return 1;
    }

    /**
     * The parameter-name grammar of a conv unit, torchvision's ({@code inception3a.3x3_reduce.conv.weight},
     * {@code conv1.bn.running_var}): the one place it is written. The block, BN folding, the ONNX export and the
     * Keras mapping all name parameters through it.
     *
     * @param unit the unit's full dotted name
     */
    public record Names(String unit) {

        private static final String CONV = ".conv";
        private static final String BN = ".bn";

        /** The unit a conv weight or bias belongs to, or null for any other parameter. */
        public static String unitOf(String parameter) {
            for (String suffix : List.of(CONV + ".weight", CONV + ".bias")) {
                if (parameter.endsWith(suffix)) {
                    return parameter.substring(0, parameter.length() - suffix.length());
                }
            }
            return null;
        }

        /** Whether the parameter is a conv unit's weight. */
        public static boolean isWeight(String parameter) {
            return parameter.endsWith(CONV + ".weight");
        }

        public String convolution() {
            return unit + CONV;
        }

        public String weight() {
            return convolution() + ".weight";
        }

        public String bias() {
            return convolution() + ".bias";
        }

        public String batchNorm() {
            return unit + BN;
        }

        public String gamma() {
            return batchNorm() + ".weight";
        }

        public String beta() {
            return batchNorm() + ".bias";
        }

        public String runningMean() {
            return batchNorm() + ".running_mean";
        }

        public String runningVar() {
            return batchNorm() + ".running_var";
        }
    }

    @Override
    public List<ParameterSpec> parameters(String path, Shape3 in) {
        Names n = new Names(LayerSpec.join(path, name));
        List<ParameterSpec> list = new ArrayList<>();
        list.add(new ParameterSpec(n.weight(), ParameterSpec.Kind.WEIGHT,
                new long[] {filters, in.channels(), window.kernelH(), window.kernelW()}, style.weightInit(), true));
        if (style.bias()) {
            list.add(new ParameterSpec(n.bias(), ParameterSpec.Kind.BIAS, new long[] {filters},
                    style.biasInit(), true));
        }
        if (style.batchNorm()) {
            long[] c = {filters};
            list.add(new ParameterSpec(n.gamma(), ParameterSpec.Kind.BN_GAMMA, c, Init.constant(1),
                    style.bnScale()));
            list.add(new ParameterSpec(n.beta(), ParameterSpec.Kind.BN_BETA, c, Init.constant(0), true));
            list.add(new ParameterSpec(n.runningMean(), ParameterSpec.Kind.BN_RUNNING_MEAN, c,
                    Init.constant(0), false));
            list.add(new ParameterSpec(n.runningVar(), ParameterSpec.Kind.BN_RUNNING_VAR, c,
                    Init.constant(1), false));
        }
        return list;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.conv(this);
    }
}
