package io.github.inception4j.spec;

import java.util.List;

/**
 * A fully connected layer on the flattened input (C·H·W features), with bias, optionally followed by ReLU.
 * Weight shape is (units, in) as in torch.
 */
public record Linear(String name, int units, boolean relu, Init weightInit, Init biasInit) implements LayerSpec {

    public Linear {
        if (units < 1) {
            throw new IllegalArgumentException("linear " + name + ": units must be positive, was " + units);
        }
    }

    @Override
    public String type() {
        return "linear";
    }

    @Override
    public String patch() {
        return "";
    }

    @Override
    public Shape3 outputShape(Shape3 in) {
        return new Shape3(units, 1, 1);
    }

    @Override
    public long macs(Shape3 in) {
        return in.elements() * units;
    }

    @Override
    public int depth() {
        return 1;
    }

    @Override
    public List<ParameterSpec> parameters(String path, Shape3 in) {
        String p = LayerSpec.join(path, name);
        return List.of(
                new ParameterSpec(p + ".weight", ParameterSpec.Kind.WEIGHT, new long[] {units, in.elements()},
                        weightInit, true),
                new ParameterSpec(p + ".bias", ParameterSpec.Kind.BIAS, new long[] {units}, biasInit, true));
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.linear(this);
    }
}
