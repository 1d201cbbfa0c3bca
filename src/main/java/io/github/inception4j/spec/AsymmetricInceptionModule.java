package io.github.inception4j.spec;

import java.util.List;

/**
 * The 17×17 module with n×n convolutions factorised into 1×n and n×1, P2 Fig. 6 with n = 7 (torchvision
 * {@code InceptionC}, TF-slim {@code Mixed_6b..6e}). Branches: 1×1 | 1×1 → 1×n → n×1 |
 * 1×1 → n×1 → 1×n → n×1 → 1×n | 3×3/1 avg pool → 1×1. {@code inner} is torchvision's {@code channels_7x7}.
 */
public record AsymmetricInceptionModule(String name, int n, Widths widths, boolean poolCountsPadding,
                                        ConvStyle style) implements ModuleSpec {

    /** The module's filter counts: {@code inner} inside the factorised branches, {@code out} at their ends. */
    public record Widths(int n1x1, int inner, int out, int poolProj) {
    }

    public AsymmetricInceptionModule {
        if (n < 1 || n % 2 == 0) {
            throw new IllegalArgumentException("module " + name + ": n must be odd, was " + n);
        }
    }

    @Override
    public LayerSpec structure() {
        Widths w = widths;
        String b = "branch" + n + "x" + n;
        return new Concat(name, List.of(
                Conv.square("branch1x1", w.n1x1(), 1, 1, 0, style),
                Sequential.anonymous(
                        Conv.square(b + "_1", w.inner(), 1, 1, 0, style),
                        Conv.same(b + "_2", w.inner(), 1, n, style),
                        Conv.same(b + "_3", w.out(), n, 1, style)),
                Sequential.anonymous(
                        Conv.square(b + "dbl_1", w.inner(), 1, 1, 0, style),
                        Conv.same(b + "dbl_2", w.inner(), n, 1, style),
                        Conv.same(b + "dbl_3", w.inner(), 1, n, style),
                        Conv.same(b + "dbl_4", w.inner(), n, 1, style),
                        Conv.same(b + "dbl_5", w.out(), 1, n, style)),
                Sequential.poolProjection(w.poolProj(), poolCountsPadding, style)));
    }

    @Override
    public String type() {
        return "inception";
    }

    @Override
    public String patch() {
        return "As in figure 6 (n = " + n + ")";
    }
}
