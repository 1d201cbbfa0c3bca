package io.github.inception4j.spec;

/**
 * Local response normalisation across channels, Caffe's formula: b = a / (k + (α/n)·Σ a²)^β, the sum over the
 * n channels centred on a's channel, zero-padded at the ends. GoogLeNet uses n 5, α 1e-4, β 0.75, k 1.
 */
public record LocalResponseNorm(String name, int size, double alpha, double beta, double k) implements ParameterFreeLayer {

    public LocalResponseNorm {
        if (size < 1 || size % 2 == 0 || !(alpha >= 0) || !(beta >= 0) || !(k > 0)) {
            throw new IllegalArgumentException("LRN " + name + ": size must be odd and positive, α and β non-negative, k > 0");
        }
    }

    /** The setting of P1 / Caffe bvlc_googlenet: size 5, α 1e-4, β 0.75, k 1. */
    public static LocalResponseNorm googlenet(String name) {
        return new LocalResponseNorm(name, 5, 1e-4, 0.75, 1.0);
    }

    @Override
    public String type() {
        return "local response norm";
    }

    @Override
    public String patch() {
        return "size " + size;
    }

    @Override
    public Shape3 outputShape(Shape3 in) {
        return in;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.localResponseNorm(this);
    }
}
