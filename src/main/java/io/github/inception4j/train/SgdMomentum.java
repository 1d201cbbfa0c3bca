package io.github.inception4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with momentum as torch.optim.SGD and TF's MomentumOptimizer define it: v ← μ·v + g; w ← w − lr·v (v starts
 * at 0). DJL's Sgd keeps lr inside the buffer (v ← μ·v + lr·g), which differs right after every learning-rate
 * change, i.e. on every step of a decaying schedule.
 */
public record SgdMomentum(float momentum, Map<String, NDArray> state) implements Optimizer {

    public SgdMomentum(float momentum) {
        this(momentum, new LinkedHashMap<>());
    }

    public SgdMomentum {
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
    }

    @Override
    public void update(String name, NDArray weight, NDArray gradient, float lr) {
        if (momentum == 0) {
            weight.subi(gradient.mul(lr));
            return;
        }
        NDArray v = state.computeIfAbsent(name + "/momentum", k -> unscoped(weight.zerosLike()));
        v.muli(momentum).addi(gradient);
        weight.subi(v.mul(lr));
    }

    @Override
    public void loadState(Map<String, float[]> values, Map<String, NDArray> weights) {
        OptimizerState.restore(state, values, weights, "momentum");
    }

    static NDArray unscoped(NDArray array) {
        NDScope.unregister(array);
        return array;
    }
}
