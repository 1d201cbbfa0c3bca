package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void scalesEveryGradientByThresholdOverGlobalNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {3, -4});
            NDArray b = m.create(new float[] {12});
            double norm = GradientClipping.clipByGlobalNorm(List.of(a, b), 2.0);
            assertEquals(13, norm, 1e-6);
            assertArrayEquals(new float[] {6f / 13, -8f / 13}, a.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {24f / 13}, b.toFloatArray(), 1e-6f);
            assertEquals(2.0, GradientClipping.globalNorm(List.of(a, b)), 1e-6);
        }
    }

    @Test
    void leavesSmallGradientsAloneAndClipsNegativeOnesToo() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray small = m.create(new float[] {0.3f, -0.4f});
            assertEquals(0.5, GradientClipping.clipByGlobalNorm(List.of(small), 2.0), 1e-6);
            assertArrayEquals(new float[] {0.3f, -0.4f}, small.toFloatArray(), 0f);
            // DJL's optClipGrad(1) would leave −30 as it is (clamp_max); the direction must be kept instead.
            NDArray big = m.create(new float[] {-30, 40});
            GradientClipping.clipByGlobalNorm(List.of(big), 5);
            assertArrayEquals(new float[] {-3, 4}, big.toFloatArray(), 1e-5f);
            NDArray off = m.create(new float[] {-30, 40});
            GradientClipping.clipByGlobalNorm(List.of(off), 0);
            assertArrayEquals(new float[] {-30, 40}, off.toFloatArray(), 0f);
        }
    }
}
