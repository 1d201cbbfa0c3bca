package io.github.inception4j.data;

/**
 * Resampling filters for {@link Resize}. Filters are evaluated at pixel centres and, when shrinking, stretched by
 * the scale factor (antialiasing, as PIL and torchvision's {@code antialias=True} do), so a 4× reduction averages
 * 4×4 neighbourhoods instead of sampling one pixel of each.
 */
public enum Interpolation {
    /** The source pixel whose centre is nearest (torch's "nearest-exact"). */
    NEAREST(0),
    /** Triangle filter: bilinear when enlarging, a tent-weighted average when shrinking. */
    BILINEAR(1),
    /** Keys cubic with a = −0.5 (PIL, torchvision antialias); may overshoot, results are clipped to [0, 1]. */
    BICUBIC(2),
    /** Box filter: the area-weighted mean of the source pixels a target pixel covers (TF's "area"). */
    AREA(0.5);

    private final double support;

    Interpolation(double support) {
        this.support = support;
    }

    /** Half-width of the filter at scale 1, in source pixels. */
    double support() {
        return support;
    }

    double weight(double x) {
        double a = Math.abs(x);
        return switch (this) {
            case NEAREST -> 1;
            case BILINEAR -> a < 1 ? 1 - a : 0;
            case BICUBIC -> a < 1 ? (1.5 * a - 2.5) * a * a + 1
                    : a < 2 ? ((-0.5 * a + 2.5) * a - 4) * a + 2 : 0;
            case AREA -> a < 0.5 ? 1 : a == 0.5 ? 0.5 : 0;
        };
    }

    /** Lower-case name, as used on the command line and in recipes. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Interpolation byId(String id) {
        for (Interpolation i : values()) {
            if (i.id().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown interpolation '" + id + "' (nearest, bilinear, bicubic, area)");
    }
}
