package io.github.inception4j.spec;

/**
 * Max or average pooling with a square window, PyTorch's size rule: ⌊(in + 2·pad − k) / s⌋ + 1, or with
 * {@code ceilMode} ⌈·⌉ + 1 less one when the last window would start past the input (Caffe's default rounding,
 * which P1's 112 → 56 → 28 → 14 → 7 chain relies on).
 *
 * @param countIncludePad for average pooling: whether padded zeros count in the divisor (torchvision: yes;
 *     TF and Keras "SAME": no)
 */
public record Pool(String name, Kind kind, int kernel, int stride, int padding, boolean ceilMode,
                   boolean countIncludePad) implements ParameterFreeLayer {

    public enum Kind { MAX, AVG }

    public Pool {
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("pool " + name + ": kernel and stride must be positive and padding at "
                    + "most half the kernel");
        }
    }

    public static Pool max(String name, int kernel, int stride, int padding, boolean ceilMode) {
        return new Pool(name, Kind.MAX, kernel, stride, padding, ceilMode, true);
    }

    public static Pool avg(String name, int kernel, int stride, int padding, boolean ceilMode,
                           boolean countIncludePad) {
        return new Pool(name, Kind.AVG, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    public String type() {
        return kind == Kind.MAX ? "max pool" : "avg pool";
    }

    @Override
    public String patch() {
        return kernel + "×" + kernel + "/" + stride;
    }

    @Override
    public Shape3 outputShape(Shape3 in) {
        return new Shape3(in.channels(), outputSize(in.height(), in), outputSize(in.width(), in));
    }

    private int outputSize(int size, Shape3 in) {
        // PyTorch's pooling_output_shape: in ceil mode a window may run past the input as long as it starts
        // inside it, so a 2×2 input still gives one output under a 3×3/2 ceil-mode pool.
        int out = Math.floorDiv(size + 2 * padding - kernel + (ceilMode ? stride - 1 : 0), stride) + 1;
        if (ceilMode && (long) (out - 1) * stride >= size + padding) {
            out--;
        }
        if (out < 1) {
            throw new ShapeException("layer '" + name + "' (" + patch() + " " + type() + ") gets " + in.height()
                    + "×" + in.width() + ", too small for its window");
        }
        return out;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.pool(this);
    }
}
