package io.github.inception4j.data;

/**
 * Separable resampling of a {@link FloatImage} to an exact size. Each output pixel i of an axis of scale
 * s = in/out has its centre at (i + ½)·s in source coordinates; source pixel j (centre j + ½) gets weight
 * filter((j + ½ − centre) / max(s, 1)), and weights are normalised over the pixels inside the image (so edges
 * are not darkened). Results are clipped to [0, 1].
 */
public final class Resize {

    private Resize() {
    }

    public static FloatImage apply(FloatImage image, int height, int width, Interpolation interpolation) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("cannot resize to " + width + "×" + height);
        }
        if (image.height() == height && image.width() == width) {
            return image;
        }
        FloatImage rows = resizeWidth(image, width, interpolation);
        return resizeHeight(rows, height, interpolation);
    }

    /** Per output index: first source index and normalised weights. */
    private record Kernel(int[] start, float[][] weights) {
    }

    static Kernel kernel(int in, int out, Interpolation interpolation) {
        double scale = (double) in / out;
        int[] start = new int[out];
        float[][] weights = new float[out][];
        for (int i = 0; i < out; i++) {
            double centre = (i + 0.5) * scale;
            if (interpolation == Interpolation.NEAREST) {
                start[i] = Math.min((int) Math.floor(centre), in - 1);
                weights[i] = new float[] {1};
                continue;
            }
            double stretch = Math.max(scale, 1);
            double support = interpolation.support() * stretch;
            int lo = Math.max(0, (int) Math.floor(centre - support));
            int hi = Math.min(in, (int) Math.ceil(centre + support));
            double[] w = new double[hi - lo];
            double total = 0;
            for (int j = lo; j < hi; j++) {
                w[j - lo] = interpolation.weight((j + 0.5 - centre) / stretch);
                total += w[j - lo];
            }
            weights[i] = new float[w.length];
            for (int k = 0; k < w.length; k++) {
                weights[i][k] = (float) (w[k] / total);
            }
            start[i] = lo;
        }
        return new Kernel(start, weights);
    }

    private static FloatImage resizeWidth(FloatImage image, int width, Interpolation interpolation) {
        if (image.width() == width) {
            return image;
        }
        Kernel k = kernel(image.width(), width, interpolation);
        int rows = image.channels() * image.height();
        float[] src = image.data();
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            int base = r * image.width();
            for (int x = 0; x < width; x++) {
                float[] w = k.weights()[x];
                int s = base + k.start()[x];
                float sum = 0;
                for (int t = 0; t < w.length; t++) {
                    sum += w[t] * src[s + t];
                }
                out[r * width + x] = clip(sum);
            }
        }
        return new FloatImage(image.channels(), image.height(), width, out);
    }

    private static FloatImage resizeHeight(FloatImage image, int height, Interpolation interpolation) {
        if (image.height() == height) {
            return image;
        }
        Kernel k = kernel(image.height(), height, interpolation);
        int width = image.width();
        float[] src = image.data();
        float[] out = new float[image.channels() * height * width];
        for (int c = 0; c < image.channels(); c++) {
            int plane = c * image.height() * width;
            for (int y = 0; y < height; y++) {
                float[] w = k.weights()[y];
                int first = plane + k.start()[y] * width;
                int dst = (c * height + y) * width;
                for (int t = 0; t < w.length; t++) {
                    float wt = w[t];
                    int s = first + t * width;
                    for (int x = 0; x < width; x++) {
                        out[dst + x] += wt * src[s + x];
                    }
                }
                for (int x = 0; x < width; x++) {
                    out[dst + x] = clip(out[dst + x]);
                }
            }
        }
        return new FloatImage(image.channels(), height, width, out);
    }

    private static float clip(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    /** {height, width} after resizing so that the shorter side is {@code shorter}, keeping the aspect ratio. */
    public static int[] shorterSideSize(int height, int width, int shorter) {
        if (height <= width) {
            return new int[] {shorter, Math.max(shorter, (int) Math.round((double) width * shorter / height))};
        }
        return new int[] {Math.max(shorter, (int) Math.round((double) height * shorter / width)), shorter};
    }

    /** The image resized so that its shorter side is {@code shorter}, keeping the aspect ratio. */
    public static FloatImage toShorterSide(FloatImage image, int shorter, Interpolation method) {
        int[] hw = shorterSideSize(image.height(), image.width(), shorter);
        return apply(image, hw[0], hw[1], method);
    }

    /**
     * A side the papers and torchvision give for a 224 input (256 for the resize before the crop, P1's 256 to 352
     * scales), scaled for {@code inputSize} and rounded: 256 → 342 at 299.
     */
    public static int scaledFrom224(int sideFor224, int inputSize) {
        return (int) Math.round(sideFor224 * inputSize / 224.0);
    }
}
