package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.inception4j.nn.FreedMemory;
import io.github.inception4j.nn.InceptionOutputs;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossesTest {

    /** −Σ_k q′_k log softmax(z)_k with q′ = (1 − ε)·one-hot + ε/K, in double, the definition of P2 §7. */
    private static double byDefinition(double[] z, int label, double eps) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double logZ = max + Math.log(sum);
        double loss = 0;
        for (int k = 0; k < z.length; k++) {
            double q = (k == label ? 1 - eps : 0) + eps / z.length;
            loss -= q * (z[k] - logZ);
        }
        return loss;
    }

    @Test
    void smoothedCrossEntropyMatchesTheDefinitionAndTheHandValue() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {1, 2, 3, 0.5f, -1, 2}, new Shape(2, 3));
            NDArray labels = m.create(new long[] {0, 2});
            // Hand value for the first row: log-softmax(1, 2, 3) = (−2.40761, −1.40761, −0.40761);
            // 0.9·2.40761 + 0.1·(2.40761 + 1.40761 + 0.40761)/3 = 2.30761.
            assertEquals(2.3076059, byDefinition(new double[] {1, 2, 3}, 0, 0.1), 1e-6);
            double expected = (byDefinition(new double[] {1, 2, 3}, 0, 0.1)
                    + byDefinition(new double[] {0.5, -1, 2}, 2, 0.1)) / 2;
            assertEquals(expected, Losses.smoothedCrossEntropy(logits, labels, 0.1).getFloat(), 1e-5);
            double plain = (byDefinition(new double[] {1, 2, 3}, 0, 0) + byDefinition(new double[] {0.5, -1, 2}, 2, 0))
                    / 2;
            assertEquals(plain, Losses.smoothedCrossEntropy(logits, labels, 0).getFloat(), 1e-5);
            assertEquals(new Shape(), Losses.smoothedCrossEntropy(logits, labels, 0.1).getShape());
        }
    }

    /** The smoothing and the head weights scale the gradient even after a garbage collection (see Scalars). */
    @Test
    void theGradientSurvivesAGarbageCollectionBeforeBackward() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {1, 2, 3, 0.5f, -1, 2}, new Shape(2, 3));
            NDArray labels = m.create(new long[] {0, 2});
            java.util.function.UnaryOperator<NDArray> loss = z -> {
                NDArray aux = z.mul(m.create(2f));
                aux.setName("AuxLogits");
                z.setName(InceptionOutputs.LOGITS);
                return Losses.total(InceptionOutputs.of(new NDList(z, aux)), labels, 0.1, Map.of("AuxLogits", 0.3));
            };
            float[] expected = FreedMemory.gradient(logits, loss, false);
            for (int trial = 0; trial < 3; trial++) {
                assertArrayEquals(expected, FreedMemory.gradient(logits, loss, true), "trial " + trial);
            }
        }
    }

    @Test
    void auxiliaryHeadsAreAddedByNameWithTheirWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray main = m.create(new float[] {1, 2, 3}, new Shape(1, 3));
            main.setName(InceptionOutputs.LOGITS);
            NDArray aux = m.create(new float[] {3, 0, 0}, new Shape(1, 3));
            aux.setName("AuxLogits");
            NDArray labels = m.create(new long[] {1});
            InceptionOutputs training = InceptionOutputs.of(new NDList(main, aux));
            double expected = byDefinition(new double[] {1, 2, 3}, 1, 0.1)
                    + 0.4 * byDefinition(new double[] {3, 0, 0}, 1, 0.1);
            assertEquals(expected, Losses.total(training, labels, 0.1, Map.of("AuxLogits", 0.4)).getFloat(), 1e-5);
            // Eval outputs carry no aux logits: the same call gives the main loss alone.
            InceptionOutputs eval = InceptionOutputs.of(new NDList(main));
            assertEquals(byDefinition(new double[] {1, 2, 3}, 1, 0.1),
                    Losses.total(eval, labels, 0.1, Map.of("AuxLogits", 0.4)).getFloat(), 1e-5);
            assertThrows(IllegalArgumentException.class, () -> Losses.total(training, labels, 0.1, Map.of()));
            assertEquals(DataType.FLOAT32, Losses.total(eval, labels, 0, Map.of()).getDataType());
        }
    }
}
