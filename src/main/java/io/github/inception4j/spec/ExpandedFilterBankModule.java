package io.github.inception4j.spec;

import java.util.List;

/**
 * The 8×8 module with expanded filter bank outputs, P2 Fig. 7 (torchvision {@code InceptionE}, TF-slim
 * {@code Mixed_7b, 7c}): the 3×3 outputs are split into parallel 1×3 and 3×1 halves, widening the output.
 * Branches: 1×1 | 1×1 → [1×3 ‖ 3×1] | 1×1 → 3×3 → [1×3 ‖ 3×1] | 3×3/1 avg pool → 1×1.
 */
public record ExpandedFilterBankModule(String name, int n1x1, int reduce, int split, int doubleReduce,
                                       int double3x3, int poolProj, boolean poolCountsPadding, ConvStyle style)
        implements ModuleSpec {

    @Override
    public LayerSpec structure() {
        return new Concat(name, List.of(
                Conv.square("branch1x1", n1x1, 1, 1, 0, style),
                Sequential.anonymous(
                        Conv.square("branch3x3_1", reduce, 1, 1, 0, style),
                        new Concat("", List.of(
                                Conv.same("branch3x3_2a", split, 1, 3, style),
                                Conv.same("branch3x3_2b", split, 3, 1, style)))),
                Sequential.anonymous(
                        Conv.square("branch3x3dbl_1", doubleReduce, 1, 1, 0, style),
                        Conv.same("branch3x3dbl_2", double3x3, 3, 3, style),
                        new Concat("", List.of(
                                Conv.same("branch3x3dbl_3a", split, 1, 3, style),
                                Conv.same("branch3x3dbl_3b", split, 3, 1, style)))),
                Sequential.poolProjection(poolProj, poolCountsPadding, style)));
    }

    @Override
    public String type() {
        return "inception";
    }

    @Override
    public String patch() {
        return "As in figure 7";
    }
}
