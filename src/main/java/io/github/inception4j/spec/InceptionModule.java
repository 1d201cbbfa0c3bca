package io.github.inception4j.spec;

import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The Inception module with dimension reductions, P1 Fig. 2(b); its fields are the filter columns of P1 Table 1.
 * Branches, concatenated in this order: 1×1 | 1×1 → 3×3 | 1×1 → 5×5 | 3×3/1 max pool → 1×1 ("pool proj").
 *
 * <p>{@code fiveByFiveKernel} is 5 in the paper. torchvision (after TF-slim) uses 3 there; the branch keeps its
 * paper name {@code 5x5} so the deviation stays visible instead of being renamed away.
 */
public record InceptionModule(String name, Widths widths, int fiveByFiveKernel, ConvStyle style)
        implements ModuleSpec {

    /** One row of P1 Table 1: the module's filter counts, with the table's column headers as names. */
    public record Widths(int n1x1, int n3x3Reduce, int n3x3, int n5x5Reduce, int n5x5, int poolProj) {

        /** Every count mapped through {@code depth} (a width multiplier). */
        public Widths scaled(IntUnaryOperator depth) {
            return new Widths(depth.applyAsInt(n1x1), depth.applyAsInt(n3x3Reduce), depth.applyAsInt(n3x3),
                    depth.applyAsInt(n5x5Reduce), depth.applyAsInt(n5x5), depth.applyAsInt(poolProj));
        }
    }

    public InceptionModule {
        if (fiveByFiveKernel % 2 == 0) {
            throw new IllegalArgumentException("the '5×5' branch of " + name + " needs an odd kernel, was "
                    + fiveByFiveKernel);
        }
    }

    @Override
    public LayerSpec structure() {
        Widths w = widths;
        return new Concat(name, List.of(
                Conv.square("1x1", w.n1x1(), 1, 1, 0, style),
                Sequential.anonymous(
                        Conv.square("3x3_reduce", w.n3x3Reduce(), 1, 1, 0, style),
                        Conv.same("3x3", w.n3x3(), 3, 3, style)),
                Sequential.anonymous(
                        Conv.square("5x5_reduce", w.n5x5Reduce(), 1, 1, 0, style),
                        Conv.same("5x5", w.n5x5(), fiveByFiveKernel, fiveByFiveKernel, style)),
                Sequential.anonymous(
                        Pool.max("pool", 3, 1, 1, true),
                        Conv.square("pool_proj", w.poolProj(), 1, 1, 0, style))));
    }

    @Override
    public String type() {
        return "inception";
    }

    @Override
    public String patch() {
        return "";
    }

    @Override
    public Map<P1Column, Integer> p1Columns() {
        Widths w = widths;
        return Map.of(P1Column.N1X1, w.n1x1(), P1Column.N3X3_REDUCE, w.n3x3Reduce(), P1Column.N3X3, w.n3x3(),
                P1Column.N5X5_REDUCE, w.n5x5Reduce(), P1Column.N5X5, w.n5x5(), P1Column.POOL_PROJ, w.poolProj());
    }
}
