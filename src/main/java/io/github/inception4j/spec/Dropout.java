package io.github.inception4j.spec;

/** Inverted dropout: in training each activation is zeroed with probability {@code rate}; identity in eval. */
public record Dropout(String name, double rate) implements ParameterFreeLayer {

    public Dropout {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate of " + name + " must be in [0, 1), was " + rate);
        }
    }

    @Override
    public String type() {
        return "dropout (" + Math.round(rate * 100) + "%)";
    }

    @Override
    public String patch() {
        return "";
    }

    @Override
    public Shape3 outputShape(Shape3 in) {
        return in;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.dropout(this);
    }
}
