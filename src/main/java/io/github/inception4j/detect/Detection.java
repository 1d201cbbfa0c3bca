package io.github.inception4j.detect;

/** One detected object: box, class (0-based) and confidence. */
public record Detection(Box box, int label, double score) {
    public Detection {
        if (box == null || label < 0 || !Double.isFinite(score)) {
            throw new IllegalArgumentException("a detection needs a box, a class ≥ 0 and a finite score");
        }
    }
}
