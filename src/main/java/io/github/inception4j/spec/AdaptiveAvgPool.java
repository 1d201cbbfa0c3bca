package io.github.inception4j.spec;

/**
 * Average pooling to a fixed output grid, whatever the input size (PyTorch's {@code AdaptiveAvgPool2d}):
 * output cell i covers input rows ⌊i·H/out⌋ … ⌈(i+1)·H/out⌉ − 1. With a 1×1 grid it is global average pooling.
 */
public record AdaptiveAvgPool(String name, int outputHeight, int outputWidth) implements ParameterFreeLayer {

    public AdaptiveAvgPool {
        if (outputHeight < 1 || outputWidth < 1) {
            throw new IllegalArgumentException("adaptive pool " + name + ": output grid must be positive");
        }
    }

    public static AdaptiveAvgPool global(String name) {
        return new AdaptiveAvgPool(name, 1, 1);
    }

    public boolean isGlobal() {
        return outputHeight == 1 && outputWidth == 1;
    }

    @Override
    public String type() {
        return "avg pool";
    }

    @Override
    public String patch() {
        return isGlobal() ? "global" : "adaptive " + outputHeight + "×" + outputWidth;
    }

    @Override
    public Shape3 outputShape(Shape3 in) {
        return new Shape3(in.channels(), outputHeight, outputWidth);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.adaptiveAvgPool(this);
    }
}
