package io.github.inception4j.spec;

/**
 * How a parameter is initialised, as data, so that the spec (not the engine's defaults) decides.
 *
 * <ul>
 *   <li>{@link Kind#NORMAL}: N(0, value²). torchvision's {@code trunc_normal_(std, a=-2, b=2)} truncates at
 *       ±2 <em>absolute</em>, i.e. at ±200σ for std 0.01: it is a plain normal in practice.
 *   <li>{@link Kind#XAVIER_FAN_IN}: Caffe's {@code xavier} filler, U(−√(3/fan_in), √(3/fan_in)).
 *   <li>{@link Kind#CONSTANT}: every element equals value (Caffe's bias filler 0.2, BN γ = 1, β = 0).
 * </ul>
 */
public record Init(Kind kind, double value) {

    public enum Kind { NORMAL, XAVIER_FAN_IN, CONSTANT }

    public static Init normal(double std) {
        return new Init(Kind.NORMAL, std);
    }

    public static Init xavierFanIn() {
        return new Init(Kind.XAVIER_FAN_IN, 3.0);
    }

    public static Init constant(double value) {
        return new Init(Kind.CONSTANT, value);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NORMAL -> "normal(std " + value + ")";
            case XAVIER_FAN_IN -> "xavier (Caffe, fan-in)";
            case CONSTANT -> "constant " + value;
        };
    }
}
