package io.github.inception4j.spec;

import java.util.List;

/**
 * Efficient grid-size reduction 35×35 → 17×17, P2 Fig. 10 as released (torchvision {@code InceptionB}, TF-slim
 * {@code Mixed_6a}): parallel stride-2 branches, concatenated. Branches: 3×3/2 | 1×1 → 3×3 → 3×3/2 |
 * 3×3/2 max pool (passes the input depth). All stride-2 layers are unpadded.
 */
public record GridReduction35To17(String name, int n3x3, int doubleReduce, int double3x3, ConvStyle style)
        implements ModuleSpec {

    @Override
    public LayerSpec structure() {
        return new Concat(name, List.of(
                Conv.square("branch3x3", n3x3, 3, 2, 0, style),
                Sequential.anonymous(
                        Conv.square("branch3x3dbl_1", doubleReduce, 1, 1, 0, style),
                        Conv.same("branch3x3dbl_2", double3x3, 3, 3, style),
                        Conv.square("branch3x3dbl_3", double3x3, 3, 2, 0, style)),
                Pool.max("pool", 3, 2, 0, false)));
    }

    @Override
    public String type() {
        return "grid reduction";
    }

    @Override
    public String patch() {
        return "As in figure 10 (35 → 17)";
    }
}
