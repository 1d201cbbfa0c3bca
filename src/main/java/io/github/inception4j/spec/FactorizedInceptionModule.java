package io.github.inception4j.spec;

import java.util.List;

/**
 * The 35×35 module, P2 Fig. 5 (torchvision {@code InceptionA}, TF-slim {@code Mixed_5b..5d}). Branches:
 * 1×1 | 1×1 → k×k | 1×1 → 3×3 → 3×3 | 3×3/1 avg pool → 1×1.
 *
 * <p>Fig. 5 replaces every 5×5 by two 3×3 (k = 3 in the second branch); the released code keeps a true 5×5
 * there (k = 5, torchvision issue #798) beside the double-3×3 branch. Branch names follow torchvision with the
 * kernel in them ({@code branch5x5_1} for k = 5, {@code branch3x3_1} for k = 3).
 */
public record FactorizedInceptionModule(String name, int n1x1, int middleReduce, int middle, int middleKernel,
                                        int doubleReduce, int double3x3, int poolProj, boolean poolCountsPadding,
                                        ConvStyle style)
        implements ModuleSpec {

    @Override
    public LayerSpec structure() {
        String k = "branch" + middleKernel + "x" + middleKernel;
        return new Concat(name, List.of(
                Conv.square("branch1x1", n1x1, 1, 1, 0, style),
                Sequential.anonymous(
                        Conv.square(k + "_1", middleReduce, 1, 1, 0, style),
                        Conv.same(k + "_2", middle, middleKernel, middleKernel, style)),
                Sequential.anonymous(
                        Conv.square("branch3x3dbl_1", doubleReduce, 1, 1, 0, style),
                        Conv.same("branch3x3dbl_2", double3x3, 3, 3, style),
                        Conv.same("branch3x3dbl_3", double3x3, 3, 3, style)),
                Sequential.poolProjection(poolProj, poolCountsPadding, style)));
    }

    @Override
    public String type() {
        return "inception";
    }

    @Override
    public String patch() {
        return "As in figure 5";
    }
}
