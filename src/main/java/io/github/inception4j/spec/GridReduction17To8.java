package io.github.inception4j.spec;

import java.util.List;

/**
 * Efficient grid-size reduction 17×17 → 8×8, P2 Fig. 10 as released (torchvision {@code InceptionD}, TF-slim
 * {@code Mixed_7a}). Branches: 1×1 → 3×3/2 | 1×1 → 1×7 → 7×1 → 3×3/2 | 3×3/2 max pool.
 */
public record GridReduction17To8(String name, int reduce, int n3x3, int n7x7, ConvStyle style)
        implements ModuleSpec {

    @Override
    public LayerSpec structure() {
        return new Concat(name, List.of(
                Sequential.anonymous(
                        Conv.square("branch3x3_1", reduce, 1, 1, 0, style),
                        Conv.square("branch3x3_2", n3x3, 3, 2, 0, style)),
                Sequential.anonymous(
                        Conv.square("branch7x7x3_1", reduce, 1, 1, 0, style),
                        Conv.same("branch7x7x3_2", n7x7, 1, 7, style),
                        Conv.same("branch7x7x3_3", n7x7, 7, 1, style),
                        Conv.square("branch7x7x3_4", n7x7, 3, 2, 0, style)),
                Pool.max("pool", 3, 2, 0, false)));
    }

    @Override
    public String type() {
        return "grid reduction";
    }

    @Override
    public String patch() {
        return "As in figure 10 (17 → 8)";
    }
}
