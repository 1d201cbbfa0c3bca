package io.github.inception4j.spec;

import java.util.Arrays;

/**
 * One named parameter or buffer, as the spec defines it. Names follow torchvision's module grammar
 * ({@code inception3a.3x3_reduce.conv.weight}, {@code conv1.bn.running_mean}) with the papers' layer names.
 *
 * @param trainable false for BN running statistics and for a frozen BN γ (TF-style {@code scale=False})
 */
public record ParameterSpec(String name, Kind kind, long[] shape, Init init, boolean trainable) {

    public enum Kind { WEIGHT, BIAS, BN_GAMMA, BN_BETA, BN_RUNNING_MEAN, BN_RUNNING_VAR }

    public ParameterSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long size() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    /** {@code [64, 3, 7, 7]}, the form torch prints a shape in. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && name.equals(p.name) && kind == p.kind && Arrays.equals(shape, p.shape)
                && init.equals(p.init) && trainable == p.trainable;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + shapeString();
    }
}
