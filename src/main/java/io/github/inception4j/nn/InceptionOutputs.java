package io.github.inception4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A typed view of what {@link InceptionNetwork} returns: the main logits first, always, named
 * {@value #LOGITS}; then, only in training mode with auxiliary heads built, each head's logits under the head's
 * name ({@code aux1}, {@code aux2}, {@code AuxLogits}). Never positional: read auxiliary outputs by name.
 */
public final class InceptionOutputs {

    public static final String LOGITS = "logits";

    private final NDList outputs;

    private InceptionOutputs(NDList outputs) {
        this.outputs = outputs;
    }

    public static InceptionOutputs of(NDList outputs) {
        if (outputs.isEmpty() || !LOGITS.equals(outputs.head().getName())) {
            throw new IllegalArgumentException("not an Inception network output: the first array must be named '"
                    + LOGITS + "'");
        }
        return new InceptionOutputs(outputs);
    }

    /** (N, classes) main classifier logits. */
    public NDArray logits() {
        return outputs.head();
    }

    /** The names of the auxiliary outputs present (empty in eval mode or without heads). */
    public List<String> auxNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i < outputs.size(); i++) {
            names.add(outputs.get(i).getName());
        }
        return names;
    }

    /** (N, classes) logits of one auxiliary head. */
    public NDArray aux(String name) {
        NDArray array = outputs.get(name);
        if (array == null || array == outputs.head()) {
            throw new NoSuchElementException("no auxiliary output '" + name + "'; present: " + auxNames());
        }
        return array;
    }
}
