package io.github.inception4j.spec;

import java.util.List;
import java.util.Map;

/**
 * The naive Inception module, P1 Fig. 2(a): 1×1 | 3×3 | 5×5 | 3×3/1 max pool, concatenated, with no dimension
 * reductions. Its output depth grows by the input depth at every module (the pool branch passes the input
 * through), which is the blow-up P1 §4 introduces the 1×1 reductions to avoid. Kept for ablations.
 */
public record NaiveInceptionModule(String name, int n1x1, int n3x3, int n5x5, ConvStyle style)
        implements ModuleSpec {

    @Override
    public LayerSpec structure() {
        return new Concat(name, List.of(
                Conv.square("1x1", n1x1, 1, 1, 0, style),
                Conv.same("3x3", n3x3, 3, 3, style),
                Conv.same("5x5", n5x5, 5, 5, style),
                Pool.max("pool", 3, 1, 1, true)));
    }

    @Override
    public String type() {
        return "inception (naive)";
    }

    @Override
    public String patch() {
        return "";
    }

    @Override
    public Map<P1Column, Integer> p1Columns() {
        return Map.of(P1Column.N1X1, n1x1, P1Column.N3X3, n3x3, P1Column.N5X5, n5x5);
    }
}
