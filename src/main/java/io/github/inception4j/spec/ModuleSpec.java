package io.github.inception4j.spec;

import java.util.List;

/**
 * A module the papers name and tabulate (an Inception module, an auxiliary head, ...). Its record fields are
 * the table's columns; {@link #structure()} expands them into plain layers, and every arithmetic, name and
 * builder question is answered by that expansion.
 */
public non-sealed interface ModuleSpec extends LayerSpec {

    /** The expansion: a {@link Concat} or {@link Sequential} with this module's name. */
    LayerSpec structure();

    @Override
    default Shape3 outputShape(Shape3 in) {
        return structure().outputShape(in);
    }

    @Override
    default long macs(Shape3 in) {
        return structure().macs(in);
    }

    @Override
    default int depth() {
        return structure().depth();
    }

    @Override
    default List<ParameterSpec> parameters(String path, Shape3 in) {
        return structure().parameters(path, in);
    }

    @Override
    default <R> R accept(Visitor<R> visitor) {
        return structure().accept(visitor);
    }
}
