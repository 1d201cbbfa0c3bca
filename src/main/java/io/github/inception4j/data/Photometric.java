package io.github.inception4j.data;

import java.util.SplittableRandom;

/**
 * Photometric distortions as TF-slim's {@code distort_color} applies them (P1 §6 credits Andrew Howard; P2 uses
 * the same code): brightness (add δ ∈ U[−b, b]), saturation (scale S of HSV by U[1−s, 1+s]), hue (shift H by
 * U[−h, h] turns) and contrast (per channel, (x − mean)·f + mean with f ∈ U[1−c, 1+c]), applied in a random order
 * and clipped to [0, 1] at the end. A zero strength leaves that distortion out. On grayscale images only
 * brightness and contrast apply.
 */
public record Photometric(double brightness, double saturation, double hue, double contrast) {

    public Photometric {
        if (brightness < 0 || saturation < 0 || saturation > 1 || hue < 0 || hue > 0.5 || contrast < 0
                || contrast > 1) {
            throw new IllegalArgumentException("photometric strengths must be brightness ≥ 0, saturation and "
                    + "contrast in [0, 1], hue in [0, 0.5]");
        }
    }

    /** No photometric distortion. */
    public static final Photometric NONE = new Photometric(0, 0, 0, 0);

    /** TF-slim's settings: brightness 32/255, saturation and contrast ±50%, hue ±0.2. */
    public static Photometric inception() {
        return new Photometric(32 / 255.0, 0.5, 0.2, 0.5);
    }

    public boolean isIdentity() {
        return brightness == 0 && saturation == 0 && hue == 0 && contrast == 0;
    }

    public FloatImage apply(FloatImage image, SplittableRandom random) {
        int[] order = {0, 1, 2, 3};
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[] x = image.data().clone();
        int plane = image.height() * image.width();
        boolean rgb = image.channels() == 3;
        for (int op : order) {
            switch (op) {
                case 0 -> {
                    if (brightness > 0) {
                        addBrightness(x, (float) uniform(random, -brightness, brightness));
                    }
                }
                case 1 -> {
                    if (saturation > 0 && rgb) {
                        adjustHsv(x, plane, 0, (float) uniform(random, 1 - saturation, 1 + saturation));
                    }
                }
                case 2 -> {
                    if (hue > 0 && rgb) {
                        adjustHsv(x, plane, (float) uniform(random, -hue, hue), 1);
                    }
                }
                default -> {
                    if (contrast > 0) {
                        adjustContrast(x, plane, (float) uniform(random, 1 - contrast, 1 + contrast));
                    }
                }
            }
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.min(1, Math.max(0, x[i]));
        }
        return new FloatImage(image.channels(), image.height(), image.width(), x);
    }

    private static double uniform(SplittableRandom random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    static void addBrightness(float[] x, float delta) {
        for (int i = 0; i < x.length; i++) {
            x[i] += delta;
        }
    }

    /** Per channel: (x − mean_c)·factor + mean_c (TF's adjust_contrast). */
    static void adjustContrast(float[] x, int plane, float factor) {
        for (int c = 0; c < x.length / plane; c++) {
            double sum = 0;
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                sum += x[i];
            }
            float mean = (float) (sum / plane);
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                x[i] = (x[i] - mean) * factor + mean;
            }
        }
    }

    /** Shifts hue by {@code hueShift} turns and scales saturation by {@code saturationFactor} (clipped to 1). */
    static void adjustHsv(float[] x, int plane, float hueShift, float saturationFactor) {
        for (int i = 0; i < plane; i++) {
            float r = x[i];
            float g = x[plane + i];
            float b = x[2 * plane + i];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float v = max;
            float delta = max - min;
            float s = max > 0 ? delta / max : 0;
            float h = 0;
            if (delta > 0) {
                if (max == r) {
                    h = (g - b) / delta / 6;
                } else if (max == g) {
                    h = ((b - r) / delta + 2) / 6;
                } else {
                    h = ((r - g) / delta + 4) / 6;
                }
            }
            h = h + hueShift;
            h -= (float) Math.floor(h);
            s = Math.min(1, Math.max(0, s * saturationFactor));
            // HSV → RGB
            float h6 = h * 6;
            int sector = (int) h6 % 6;
            float f = h6 - (float) Math.floor(h6);
            float p = v * (1 - s);
            float q = v * (1 - s * f);
            float t = v * (1 - s * (1 - f));
            float[] rgb = switch (sector) {
                case 0 -> new float[] {v, t, p};
                case 1 -> new float[] {q, v, p};
                case 2 -> new float[] {p, v, t};
                case 3 -> new float[] {p, q, v};
                case 4 -> new float[] {t, p, v};
                default -> new float[] {v, p, q};
            };
            x[i] = rgb[0];
            x[plane + i] = rgb[1];
            x[2 * plane + i] = rgb[2];
        }
    }
}
