package io.github.inception4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalars for arithmetic that autograd differentiates. DJL's {@code mul(Number)}, {@code div(Number)} and
 * {@code pow(Number)} wrap the number in a tensor over a Java direct buffer and close it as soon as the op returns,
 * while the graph keeps that tensor for the backward pass: once a garbage collection has freed the buffer, the
 * gradient is multiplied by whatever the memory holds by then (measured: the gradient of 3·x read 6.9e-41 after one
 * GC; random NaN in training). These scalars live in memory libtorch allocates, which the graph's reference keeps.
 */
public final class Scalars {

    private Scalars() {
    }

    /** {@code value} as a 0-d tensor of {@code like}'s type, in {@code like}'s manager. */
    public static NDArray of(double value, NDArray like) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }
}
