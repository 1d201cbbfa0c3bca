package io.github.inception4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The hand-built operations, against values computed by hand from their definitions. */
class OpsTest {

    @Test
    void localResponseNormMatchesCaffesFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            // One pixel, 4 channels a = 1, 2, 3, 4; size 3, α 0.3, β 0.75, k 2.
            float[] a = {1, 2, 3, 4};
            NDArray x = m.create(a, new Shape(1, 4, 1, 1));
            float[] out = Ops.localResponseNorm(x, 3, 0.3f, 0.75f, 2f).toFloatArray();
            for (int c = 0; c < 4; c++) {
                double sum = 0;
                for (int j = c - 1; j <= c + 1; j++) {
                    sum += j >= 0 && j < 4 ? a[j] * a[j] : 0; // zero padding at the ends
                }
                double expected = a[c] / Math.pow(2 + 0.3 / 3 * sum, 0.75);
                assertEquals(expected, out[c], 1e-6, "channel " + c);
            }
        }
    }

    @Test
    void adaptivePoolUsesPyTorchsOverlappingWindows() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 5 → 4 cells: rows [0,2), [1,3), [2,4), [3,5) — each cell averages two rows and two columns.
            float[] values = new float[25];
            for (int i = 0; i < 25; i++) {
                values[i] = i;
            }
            NDArray x = m.create(values, new Shape(1, 1, 5, 5));
            NDArray y = Ops.adaptiveAvgPool(x, 4, 4);
            assertArrayEquals(new long[] {1, 1, 4, 4}, y.getShape().getShape());
            float[] out = y.toFloatArray();
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double mean = (values[i * 5 + j] + values[i * 5 + j + 1] + values[(i + 1) * 5 + j]
                            + values[(i + 1) * 5 + j + 1]) / 4.0;
                    assertEquals(mean, out[i * 4 + j], 1e-5);
                }
            }
            assertEquals(12.0, Ops.adaptiveAvgPool(x, 1, 1).getFloat(0, 0, 0, 0), 1e-5, "global mean of 0..24");
        }
    }

    @Test
    void averagePoolCanLeavePaddingOutOfTheDivisor() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ones = m.ones(new Shape(1, 1, 4, 4));
            Shape k = new Shape(3, 3);
            Shape s = new Shape(1, 1);
            Shape p = new Shape(1, 1);
            // TF "SAME": every output is the mean of real pixels, so ones stay ones, corners included.
            float[] excluded = Ops.avgPoolExcludingPad(ones, k, s, p, false).toFloatArray();
            for (float v : excluded) {
                assertEquals(1.0, v, 1e-6);
            }
            // torchvision: the corner divides 4 real ones by 9.
            float corner = ai.djl.nn.pooling.Pool.avgPool2d(ones, k, s, p, false, true).getFloat(0, 0, 0, 0);
            assertEquals(4.0 / 9, corner, 1e-6);
        }
    }
}
