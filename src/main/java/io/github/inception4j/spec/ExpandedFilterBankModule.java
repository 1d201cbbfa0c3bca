package io.github.inception4j.spec;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The 8×8 module with expanded filter bank outputs, P2 Fig. 7 (torchvision {@code InceptionE}, TF-slim
 * {@code Mixed_7b, 7c}): the 3×3 outputs are split into parallel 1×3 and 3×1 halves, widening the output.
 * Branches: 1×1 | 1×1 → [1×3 ‖ 3×1] | 1×1 → 3×3 → [1×3 ‖ 3×1] | 3×3/1 avg pool → 1×1.
 */
public record ExpandedFilterBankModule(String name, Widths widths, boolean poolCountsPadding, ConvStyle style)
        implements ModuleSpec {

    /** The module's filter counts; each half of a split has the width {@code split}. */
    public record Widths(int n1x1, int reduce, int split, int doubleReduce, int double3x3, int poolProj) {

        /** Every count mapped through {@code depth} (a width multiplier). */
        public Widths scaled(IntUnaryOperator depth) {
            return new Widths(depth.applyAsInt(n1x1), depth.applyAsInt(reduce), depth.applyAsInt(split),
                    depth.applyAsInt(doubleReduce), depth.applyAsInt(double3x3), depth.applyAsInt(poolProj));
        }
    }

    @Override
    public LayerSpec structure() {
        Widths w = widths;
        return new Concat(name, List.of(
                Conv.square("branch1x1", w.n1x1(), 1, 1, 0, style),
                Sequential.anonymous(
                        Conv.square("branch3x3_1", w.reduce(), 1, 1, 0, style),
                        new Concat("", List.of(
                                Conv.same("branch3x3_2a", w.split(), 1, 3, style),
                                Conv.same("branch3x3_2b", w.split(), 3, 1, style)))),
                Sequential.anonymous(
                        Conv.square("branch3x3dbl_1", w.doubleReduce(), 1, 1, 0, style),
                        Conv.same("branch3x3dbl_2", w.double3x3(), 3, 3, style),
                        new Concat("", List.of(
                                Conv.same("branch3x3dbl_3a", w.split(), 1, 3, style),
                                Conv.same("branch3x3dbl_3b", w.split(), 3, 1, style)))),
                Sequential.poolProjection(w.poolProj(), poolCountsPadding, style)));
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
