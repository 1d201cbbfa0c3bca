package io.github.inception4j.spec;

/** One top-level layer of a network at a given input size: what it receives, gives, holds and costs. */
public record LayerStats(LayerSpec layer, Shape3 input, Shape3 output, long params, long macs, boolean auxiliary) {

    public String name() {
        return layer.name();
    }
}
