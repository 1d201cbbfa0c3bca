package io.github.inception4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Its constants must outlive a garbage collection until the backward pass (see {@link Scalars}). */
    @Test
    void localResponseNormGradientSurvivesAGarbageCollectionBeforeBackward() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, -2, 3, 0.5f, 4, -1, 2, 0}, new Shape(1, 8, 1, 1));
            java.util.function.UnaryOperator<NDArray> lrn = v -> Ops.localResponseNorm(v, 5, 1e-1f, 0.75f, 2f);
            float[] expected = FreedMemory.gradient(x, lrn, false);
            for (int trial = 0; trial < 3; trial++) {
                assertArrayEquals(expected, FreedMemory.gradient(x, lrn, true), "trial " + trial);
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
    void convolutionWithAnOddChannelCountIgnoresWhateverFreedMemoryHolds() {
        // libtorch 2.7.1 reads past 72 input channels; freed infinities used to turn every output into NaN.
        for (int run = 0; run < 40; run++) {
            try (NDManager m = NDManager.newBaseManager()) {
                m.ones(new Shape(4096)).mul(Float.POSITIVE_INFINITY).close();
                NDArray x = m.randomNormal(new Shape(2, 72, 35, 35));
                NDArray w = m.randomNormal(0, 0.1f, new Shape(32, 72, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
                NDArray y = Ops.conv2d(x, w, null, new Shape(1, 1), new Shape(0, 0));
                assertEquals(0, y.isNaN().sum().getLong() + y.isInfinite().sum().getLong(), "run " + run);
            }
        }
    }

    @Test
    void gradientsThroughAnOddOutputChannelCountStayFinite() {
        // The backward pass reduces over the output channels: 24 of them used to read freed infinities.
        for (int run = 0; run < 20; run++) {
            try (NDManager m = NDManager.newBaseManager()) {
                m.ones(new Shape(4096)).mul(Float.POSITIVE_INFINITY).close();
                NDArray x = m.randomNormal(new Shape(2, 16, 35, 35));
                NDArray w = m.randomNormal(0, 0.1f, new Shape(24, 16, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
                x.setRequiresGradient(true);
                w.setRequiresGradient(true);
                try (ai.djl.training.GradientCollector c = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    NDArray y = Ops.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1));
                    assertArrayEquals(new long[] {2, 24, 35, 35}, y.getShape().getShape());
                    c.backward(y.square().mean());
                }
                for (NDArray g : new NDArray[] {x.getGradient(), w.getGradient()}) {
                    assertEquals(0, g.isNaN().sum().getLong() + g.isInfinite().sum().getLong(), "run " + run);
                }
            }
        }
    }

    @Test
    void paddedConvolutionEqualsTheSumOfItsChannelGroups() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 24, 9, 9));
            NDArray w = m.randomNormal(new Shape(8, 24, 3, 3));
            NDArray b = m.randomNormal(new Shape(8));
            Shape s = new Shape(2, 2);
            Shape p = new Shape(1, 1);
            NDArray y = Ops.conv2d(x, w, b, s, p);
            // 16 + 8 input channels: both counts are outside the affected range, so this is independent.
            NDArray low = ai.djl.nn.convolutional.Conv2d.conv2d(x.get(":, 0:16"), w.get(":, 0:16"), b, s, p).head();
            NDArray high = ai.djl.nn.convolutional.Conv2d.conv2d(x.get(":, 16:24"), w.get(":, 16:24"), null, s, p)
                    .head();
            assertTrue(y.allClose(low.add(high), 1e-4, 1e-4, false));
        }
    }

    @Test
    void separableMaxPoolEqualsMaxPool2dIncludingCeilMode() {
        try (NDManager m = NDManager.newBaseManager()) {
            // (size, kernel, stride, pad, ceil): GoogLeNet's ceil-mode pools, the modules' 3×3/1, v3's floor pools.
            int[][] cases = {{112, 3, 2, 0, 1}, {28, 3, 1, 1, 1}, {14, 2, 2, 0, 1}, {147, 3, 2, 0, 0}, {13, 3, 2, 1, 1},
                    {2, 3, 2, 0, 1}};
            for (int[] c : cases) {
                NDArray x = m.randomNormal(new Shape(2, 5, c[0], c[0]));
                NDArray expected = ai.djl.nn.pooling.Pool.maxPool2d(x, new Shape(c[1], c[1]), new Shape(c[2], c[2]),
                        new Shape(c[3], c[3]), c[4] == 1);
                NDArray actual = Ops.maxPool2d(x, c[1], c[2], c[3], (int) expected.getShape().get(2),
                        (int) expected.getShape().get(3));
                assertTrue(expected.contentEquals(actual), java.util.Arrays.toString(c));
            }
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
