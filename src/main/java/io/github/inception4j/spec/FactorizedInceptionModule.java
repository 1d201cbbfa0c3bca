package io.github.inception4j.spec;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The 35×35 module, P2 Fig. 5 (torchvision {@code InceptionA}, TF-slim {@code Mixed_5b..5d}). Branches:
 * 1×1 | 1×1 → k×k | 1×1 → 3×3 → 3×3 | 3×3/1 avg pool → 1×1.
 *
 * <p>Fig. 5 replaces every 5×5 by two 3×3 (k = 3 in the second branch); the released code keeps a true 5×5
 * there (k = 5, torchvision issue #798) beside the double-3×3 branch. Branch names follow torchvision with the
 * kernel in them ({@code branch5x5_1} for k = 5, {@code branch3x3_1} for k = 3).
 */
public record FactorizedInceptionModule(String name, Widths widths, int poolProj, int middleKernel,
                                        boolean poolCountsPadding, ConvStyle style) implements ModuleSpec {

    /** The filter counts of the three convolution branches (the pool projection varies by layout). */
    public record Widths(int n1x1, int middleReduce, int middle, int doubleReduce, int double3x3) {

        /** Every count mapped through {@code depth} (a width multiplier). */
        public Widths scaled(IntUnaryOperator depth) {
            return new Widths(depth.applyAsInt(n1x1), depth.applyAsInt(middleReduce), depth.applyAsInt(middle),
                    depth.applyAsInt(doubleReduce), depth.applyAsInt(double3x3));
        }
    }

    @Override
    public LayerSpec structure() {
        Widths w = widths;
        String k = "branch" + middleKernel + "x" + middleKernel;
        return new Concat(name, List.of(
                Conv.square("branch1x1", w.n1x1(), 1, 1, 0, style),
                Sequential.anonymous(
                        Conv.square(k + "_1", w.middleReduce(), 1, 1, 0, style),
                        Conv.same(k + "_2", w.middle(), middleKernel, middleKernel, style)),
                Sequential.anonymous(
                        Conv.square("branch3x3dbl_1", w.doubleReduce(), 1, 1, 0, style),
                        Conv.same("branch3x3dbl_2", w.double3x3(), 3, 3, style),
                        Conv.same("branch3x3dbl_3", w.double3x3(), 3, 3, style)),
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
