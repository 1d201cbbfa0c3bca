package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmaTest {

    @Test
    void warmUpUsesTheSmallerOfDecayAndOnePlusTOverTenPlusT() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {2, -2});
            Map<String, NDArray> weights = Map.of("w", w);
            try (Ema ema = new Ema(0.9999, true, weights, m)) {
                assertEquals(0.1, ema.currentDecay(), 1e-12);            // (1 + 0)/(10 + 0)
                w.set(new float[] {4, 0});
                ema.update(weights);                                      // 0.1·(2, −2) + 0.9·(4, 0)
                assertArrayEquals(new float[] {3.8f, -0.2f}, ema.shadow().get("w").toFloatArray(), 1e-6f);
                assertEquals(2 / 11.0, ema.currentDecay(), 1e-12);
                w.set(new float[] {0, 0});
                ema.update(weights);
                assertArrayEquals(new float[] {3.8f * 2 / 11, -0.2f * 2 / 11}, ema.shadow().get("w").toFloatArray(),
                        1e-6f);
                assertEquals(2, ema.updates());
            }
            try (Ema plain = new Ema(0.9999, false, Map.of("w", m.create(new float[] {2})), m)) {
                plain.update(Map.of("w", m.create(new float[] {4})));
                assertEquals(2.0002f, plain.shadow().get("w").toFloatArray()[0], 1e-6f);
            }
        }
    }

    @Test
    void shadowWeightsAreSwappedInAndTheTrainedOnesRestored() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, 1});
            Map<String, NDArray> weights = Map.of("w", w);
            try (Ema ema = new Ema(0.5, false, weights, m)) {
                w.set(new float[] {3, 5});
                ema.update(weights);                                      // shadow (2, 3)
                float[][] seen = new float[1][];
                ema.withShadowWeights(weights, () -> seen[0] = w.toFloatArray());
                assertArrayEquals(new float[] {2, 3}, seen[0], 0f);
                assertArrayEquals(new float[] {3, 5}, w.toFloatArray(), 0f);
                ema.load(Map.of("w", new float[] {7, 8}), 5);
                assertArrayEquals(new float[] {7, 8}, ema.shadow().get("w").toFloatArray(), 0f);
                assertEquals(5, ema.updates());
            }
        }
    }
}
