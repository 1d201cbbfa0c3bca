package io.github.inception4j.spec;

import java.util.List;

/**
 * An auxiliary classifier (P1 §5, P2 Fig. 8): a small head on an intermediate layer whose logits are added,
 * weighted, to the training loss and discarded at inference.
 *
 * @param attachedTo the name of the top-level layer whose output feeds the head (GoogLeNet: 4a and 4d)
 */
public record AuxHead(String name, String attachedTo, List<LayerSpec> layers) implements ModuleSpec {

    public AuxHead {
        layers = List.copyOf(layers);
    }

    @Override
    public LayerSpec structure() {
        return new Sequential(name, layers);
    }

    @Override
    public String type() {
        return "auxiliary classifier";
    }

    @Override
    public String patch() {
        return "on " + attachedTo;
    }
}
