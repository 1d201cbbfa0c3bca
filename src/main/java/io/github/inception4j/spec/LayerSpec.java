package io.github.inception4j.spec;

import java.util.List;
import java.util.Map;

/**
 * One layer of a network spec: immutable, engine-free data plus the arithmetic that follows from it.
 *
 * <p>Leaves ({@link Conv}, {@link Pool}, {@link Linear}, ...) own their shape, parameter and multiply-add
 * arithmetic; {@link Sequential} and {@link Concat} fold over their children; {@link ModuleSpec}s (the papers'
 * named modules) expand into one of those two. The DJL builder, the tables, the parameter names and the
 * weight mappings all read this same data.
 */
public sealed interface LayerSpec
        permits Conv, Linear, Sequential, Concat, FusedConcat, ModuleSpec, ParameterFreeLayer {

    /** The layer's own name; a parameter's full name joins the names on its path with '.'. */
    String name();

    /** The paper's word for the layer ("convolution", "max pool", "inception", ...). */
    String type();

    /** Patch size / stride as the papers print it ({@code 7×7/2}), or "" where that means nothing. */
    String patch();

    /** The output shape for one image, or a {@link ShapeException} naming this layer. */
    Shape3 outputShape(Shape3 in);

    /** Multiply-adds for one image (convolutions and linear layers; pooling and normalisation count 0). */
    long macs(Shape3 in);

    /** Layers with parameters on the longest path through this layer (P1 Table 1's "depth" column). */
    int depth();

    /** This layer's parameters and buffers, in order, each name prefixed with {@code path}. */
    List<ParameterSpec> parameters(String path, Shape3 in);

    /** The values of the P1 Table 1 filter columns that apply to this layer (modules and the conv2 row). */
    default Map<P1Column, Integer> p1Columns() {
        return Map.of();
    }

    /** Trainable parameters (weights, biases, BN γ/β); BN running statistics are not counted. */
    default long params(Shape3 in) {
        return parameters("", in).stream().filter(ParameterSpec::trainable).mapToLong(ParameterSpec::size).sum();
    }

    <R> R accept(Visitor<R> visitor);

    /**
     * The structural kinds a builder has to know; modules reach it as their expansion. {@link FusedConcat} is
     * made only by inference rewrites.
     */
    interface Visitor<R> {
        R conv(Conv conv);

        R pool(Pool pool);

        R adaptiveAvgPool(AdaptiveAvgPool pool);

        R localResponseNorm(LocalResponseNorm norm);

        R dropout(Dropout dropout);

        R linear(Linear linear);

        R inputTransform(InputTransform transform);

        R sequential(Sequential sequential);

        R concat(Concat concat);

        R fusedConcat(FusedConcat concat);
    }

    /** Joins a path and a name with '.', leaving out empty parts (anonymous branches add no segment). */
    static String join(String path, String name) {
        if (path.isEmpty()) {
            return name;
        }
        return name.isEmpty() ? path : path + "." + name;
    }
}
