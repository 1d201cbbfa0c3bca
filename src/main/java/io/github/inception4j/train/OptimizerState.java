package io.github.inception4j.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** Restoring an optimizer's named state arrays. */
final class OptimizerState {

    private OptimizerState() {
    }

    static void restore(Map<String, NDArray> state, Map<String, float[]> values, Map<String, NDArray> weights,
                        String... slots) {
        state.clear();
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            int slash = e.getKey().lastIndexOf('/');
            String parameter = slash < 0 ? "" : e.getKey().substring(0, slash);
            String slot = e.getKey().substring(slash + 1);
            NDArray weight = weights.get(parameter);
            if (weight == null || !java.util.List.of(slots).contains(slot)) {
                throw new IllegalArgumentException("optimizer state '" + e.getKey() + "' belongs to no parameter "
                        + "of this network or to another optimizer");
            }
            if (e.getValue().length != weight.size()) {
                throw new IllegalArgumentException("optimizer state '" + e.getKey() + "' has " + e.getValue().length
                        + " values, the parameter " + weight.size());
            }
            NDArray array = weight.getManager().create(e.getValue(), weight.getShape());
            array.detach();
            state.put(e.getKey(), array);
        }
    }
}
