package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Updates checked against the formulas of paper-facts §2.8 (TF RMSProp) and torch.optim.SGD, in double. */
class OptimizerTest {

    @Test
    void tfRmsPropFollowsTheFormulaWithEpsilonInsideTheRootAndMeanSquareStartingAtOne() {
        double rho = 0.9;
        double mu = 0.9;
        double eps = 1.0;
        double lr = 0.1;
        double[] g = {-5, 10};
        double[] w = {1, 1};
        double[] ms = {1, 1};
        double[] mom = {0, 0};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray weight = m.create(new float[] {1, 1});
            TfRmsProp opt = new TfRmsProp((float) rho, (float) mu, (float) eps);
            for (int step = 0; step < 3; step++) {
                for (int i = 0; i < 2; i++) {
                    ms[i] = rho * ms[i] + (1 - rho) * g[i] * g[i];
                    mom[i] = mu * mom[i] + lr * g[i] / Math.sqrt(ms[i] + eps);
                    w[i] -= mom[i];
                }
                opt.update("w", weight, m.create(new float[] {-5, 10}), (float) lr);
                assertArrayEquals(new float[] {(float) w[0], (float) w[1]}, weight.toFloatArray(), 1e-6f);
            }
            // First step by hand: ms = (3.4, 10.9); w = 1 − 0.1·g/√(ms + 1) = (1.238366, 0.710114).
            NDArray fresh = m.create(new float[] {1, 1});
            new TfRmsProp(0.9f, 0.9f, 1f).update("w", fresh, m.create(new float[] {-5, 10}), 0.1f);
            assertArrayEquals(new float[] {1.238366f, 0.710114f}, fresh.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void sgdMomentumKeepsTheLearningRateOutsideTheBuffer() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray weight = m.create(new float[] {1, -2});
            SgdMomentum sgd = new SgdMomentum(0.9f);
            // v1 = g1 = (1, 2); w = (1, −2) − 0.1·v1 = (0.9, −2.2)
            sgd.update("w", weight, m.create(new float[] {1, 2}), 0.1f);
            assertArrayEquals(new float[] {0.9f, -2.2f}, weight.toFloatArray(), 1e-6f);
            // lr changes to 0.01: v2 = 0.9·v1 + g2 = (0.9 + 3, 1.8 − 1); w −= 0.01·v2 (DJL would give another value)
            sgd.update("w", weight, m.create(new float[] {3, -1}), 0.01f);
            assertArrayEquals(new float[] {0.9f - 0.039f, -2.2f - 0.008f}, weight.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void stateRoundTripsThroughItsNamedArrays() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray weight = m.create(new float[] {1, 1});
            TfRmsProp opt = new TfRmsProp(0.9f, 0.9f, 1f);
            opt.update("conv.weight", weight, m.create(new float[] {-5, 10}), 0.1f);
            Map<String, float[]> saved = new LinkedHashMap<>();
            opt.state().forEach((k, v) -> saved.put(k, v.toFloatArray()));
            TfRmsProp restored = new TfRmsProp(0.9f, 0.9f, 1f);
            NDArray w2 = weight.duplicate();
            restored.loadState(saved, Map.of("conv.weight", w2));
            opt.update("conv.weight", weight, m.create(new float[] {1, 1}), 0.1f);
            restored.update("conv.weight", w2, m.create(new float[] {1, 1}), 0.1f);
            assertArrayEquals(weight.toFloatArray(), w2.toFloatArray(), 0f);
            assertThrows(IllegalArgumentException.class,
                    () -> new SgdMomentum(0.9f).loadState(saved, Map.of("conv.weight", w2)));
        }
    }
}
