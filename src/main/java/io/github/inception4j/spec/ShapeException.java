package io.github.inception4j.spec;

/** A layer cannot accept its input: the message names the layer, the input and the rule broken. */
public final class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
