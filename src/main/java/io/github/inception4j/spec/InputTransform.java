package io.github.inception4j.spec;

import java.util.Arrays;

/**
 * A fixed per-channel affine map, x_c · scale_c + shift_c, with no parameters. Exists for torchvision's
 * {@code transform_input}, which turns ImageNet-normalised input back into the [−1, 1] range the TF-ported
 * weights were trained on.
 */
public record InputTransform(String name, double[] scale, double[] shift) implements ParameterFreeLayer {

    private static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};
    private static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};

    public InputTransform {
        if (scale.length != shift.length || scale.length == 0) {
            throw new IllegalArgumentException("input transform " + name + ": one scale and one shift per channel");
        }
        scale = scale.clone();
        shift = shift.clone();
    }

    /** torchvision's {@code transform_input}: x_c·(std_c/0.5) + (mean_c − 0.5)/0.5 with ImageNet mean/std. */
    public static InputTransform torchvisionToTf(String name) {
        double[] scale = new double[3];
        double[] shift = new double[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = IMAGENET_STD[c] / 0.5;
            shift[c] = (IMAGENET_MEAN[c] - 0.5) / 0.5;
        }
        return new InputTransform(name, scale, shift);
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }

    @Override
    public double[] shift() {
        return shift.clone();
    }

    @Override
    public String type() {
        return "input transform";
    }

    @Override
    public String patch() {
        return "";
    }

    @Override
    public Shape3 outputShape(Shape3 in) {
        if (in.channels() != scale.length) {
            throw new ShapeException("layer '" + name + "' maps " + scale.length + " channels but the input has "
                    + in.channels());
        }
        return in;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.inputTransform(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputTransform t && name.equals(t.name) && Arrays.equals(scale, t.scale)
                && Arrays.equals(shift, t.shift);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "InputTransform[" + name + ", scale " + Arrays.toString(scale) + ", shift " + Arrays.toString(shift) + "]";
    }

    /** The per-channel scale as float32, what the engines multiply by. */
    public float[] scaleFloats() {
        return toFloats(scale);
    }

    /** The per-channel shift as float32. */
    public float[] shiftFloats() {
        return toFloats(shift);
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
