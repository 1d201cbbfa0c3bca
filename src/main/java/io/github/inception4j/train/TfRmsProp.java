package io.github.inception4j.train;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RMSProp as TensorFlow 1 defines it (paper-facts §2.8), used for Inception-v3 (P2 §8: decay 0.9, ε 1.0;
 * momentum 0.9 in the code): ms ← ρ·ms + (1 − ρ)·g²; mom ← μ·mom + lr·g/√(ms + ε); w ← w − mom, with ms
 * initialised to 1 and mom to 0. ε sits inside the square root: torch's RMSprop puts it outside (√v + ε) and
 * starts v at 0, which with ε = 1 is a different optimiser. DJL's PyTorch engine has no RMSProp at all.
 */
public record TfRmsProp(float decay, float momentum, float epsilon, Map<String, NDArray> state)
        implements Optimizer {

    public TfRmsProp(float decay, float momentum, float epsilon) {
        this(decay, momentum, epsilon, new LinkedHashMap<>());
    }

    public TfRmsProp {
        if (decay < 0 || decay >= 1 || momentum < 0 || momentum >= 1 || epsilon <= 0) {
            throw new IllegalArgumentException("RMSProp needs decay and momentum in [0, 1) and epsilon > 0");
        }
    }

    @Override
    public void update(String name, NDArray weight, NDArray gradient, float lr) {
        NDArray ms = state.computeIfAbsent(name + "/ms", k -> SgdMomentum.unscoped(weight.onesLike()));
        NDArray mom = state.computeIfAbsent(name + "/momentum", k -> SgdMomentum.unscoped(weight.zerosLike()));
        ms.muli(decay).addi(gradient.square().muli(1 - decay));
        NDArray step = gradient.div(ms.add(epsilon).sqrt()).muli(lr);
        mom.muli(momentum).addi(step);
        weight.subi(mom);
    }

    @Override
    public void loadState(Map<String, float[]> values, Map<String, NDArray> weights) {
        OptimizerState.restore(state, values, weights, "ms", "momentum");
    }
}
