package io.github.inception4j.spec;

import java.util.Map;

/**
 * P1 Table 1's second "convolution" row: a 1×1 reduction followed by a 3×3/1 convolution, depth 2
 * (Caffe: {@code conv2/3x3_reduce}, {@code conv2/3x3}; torchvision: {@code conv2}, {@code conv3}).
 */
public record ReducedConv(String name, int reduce, int filters, ConvStyle style) implements ModuleSpec {

    @Override
    public LayerSpec structure() {
        return Sequential.anonymous(
                Conv.square("3x3_reduce", reduce, 1, 1, 0, style),
                Conv.same("3x3", filters, 3, 3, style)).named(name);
    }

    @Override
    public String type() {
        return "convolution";
    }

    @Override
    public String patch() {
        return "3×3/1";
    }

    @Override
    public Map<P1Column, Integer> p1Columns() {
        return Map.of(P1Column.N3X3_REDUCE, reduce, P1Column.N3X3, filters);
    }
}
