package io.github.inception4j.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * An update rule over named parameters, run in place on the live weights with gradient mode off. Its state
 * (momentum, mean squares) is named "{@code <parameter>/<slot>}" so a checkpoint can persist and restore it;
 * DJL's optimizers keep theirs private, so a resumed run could not continue them.
 */
public sealed interface Optimizer permits SgdMomentum, TfRmsProp {

    /** {@code weight ← update(weight, gradient)} at learning rate {@code lr}; temporaries must be scoped. */
    void update(String name, NDArray weight, NDArray gradient, float lr);

    /** The state arrays by "parameter/slot", live (not copies). */
    Map<String, NDArray> state();

    /** Restores state saved from {@link #state()}; shapes must match the weights they belong to. */
    void loadState(Map<String, float[]> values, Map<String, NDArray> weights);
}
