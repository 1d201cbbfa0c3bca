package io.github.inception4j.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.nn.FreedMemory;
import io.github.inception4j.nn.InceptionOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** MultiBox's priors, matching, targets, decoding and loss on cases worked out by hand. */
class MultiBoxTest {

    private static final MultiBox TWO = new MultiBox(List.of(new Box(0, 0, 0.5, 0.5), new Box(0.5, 0.5, 1, 1)),
            MultiBox.ALPHA);

    @Test
    void priorsAreTheCentresOfClusteredBoxes() {
        // Three tight clusters of 50 boxes each, jittered by at most ±0.01 around their centres.
        double[][] centres = {{0.1, 0.1, 0.3, 0.3}, {0.5, 0.2, 0.9, 0.4}, {0.2, 0.6, 0.4, 0.95}};
        SplittableRandom random = new SplittableRandom(1);
        List<Box> boxes = new ArrayList<>();
        for (double[] c : centres) {
            for (int i = 0; i < 50; i++) {
                double j = random.nextDouble(-0.01, 0.01);
                boxes.add(new Box(c[0] + j, c[1] - j, c[2] + j, c[3] - j));
            }
        }
        List<Box> priors = MultiBox.clusterPriors(boxes, 3, 7);
        for (double[] c : centres) {
            Box centre = new Box(c[0], c[1], c[2], c[3]);
            assertTrue(priors.stream().anyMatch(p -> p.iou(centre) > 0.95), () -> "no prior at " + centre + ": "
                    + priors);
        }
        assertThrows(IllegalArgumentException.class, () -> MultiBox.clusterPriors(boxes.subList(0, 2), 3, 7));
    }

    @Test
    void matchingTakesTheClosestPairFirstAndUsesEachPriorOnce() {
        // Both boxes are closest to prior 0; b is closer (distance 0.0002 vs 0.02), so it takes prior 0, and a the
        // other one (0.82). A third box c, 0.34 from prior 1, takes it before a does: a is left without one.
        Box a = new Box(0.1, 0.1, 0.5, 0.5);
        Box b = new Box(0, 0, 0.49, 0.49);
        assertArrayEquals(new int[] {1, 0}, TWO.match(List.of(a, b)));
        assertArrayEquals(new int[] {-1, 0, 1}, TWO.match(List.of(a, b, new Box(0.4, 0.4, 0.6, 0.6))));
    }

    @Test
    void targetsLayConfidencesFirstThenEachPriorsOffset() {
        Box b = new Box(0.6, 0.5, 0.9, 1);
        // b goes to prior 1 (0.5, 0.5, 1, 1): offsets (0.1, 0, −0.1, 0).
        float[] t = TWO.targets(List.of(b));
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 0.1f, 0, -0.1f, 0}, t, 1e-6f);
        assertEquals(10, TWO.outputs());
        assertEquals(List.of("confidence 0", "confidence 1", "x0 0", "y0 0", "x1 0", "y1 0", "x0 1",
                "y0 1", "x1 1", "y1 1"), TWO.outputNames());
    }

    @Test
    void decodingAddsOffsetsToPriorsCutsToTheImageAndRanksByConfidence() {
        // Prior 0 moved by (0.1, 0.1, 0.1, 0.1), confidence σ(−1); prior 1 moved past the image's edge, σ(2).
        float[] out = {-1, 2, 0.1f, 0.1f, 0.1f, 0.1f, 0, 0, 0.3f, 0.2f};
        List<MultiBox.Scored> boxes = TWO.decode(out, 200, 100);
        assertEquals(new Box(100, 50, 200, 100), boxes.get(0).box());
        assertEquals(1 / (1 + Math.exp(-2)), boxes.get(0).confidence(), 1e-12);
        assertEquals(20, boxes.get(1).box().x0(), 1e-4);
        assertEquals(60, boxes.get(1).box().y1(), 1e-4);
        assertThrows(IllegalArgumentException.class, () -> TWO.decode(new float[9], 1, 1));
    }

    @Test
    void priorsSurviveJson() {
        assertEquals(TWO, MultiBox.fromJson(TWO.toJson()));
        assertThrows(IllegalArgumentException.class, () -> MultiBox.fromJson("{\"priors\": [], \"alpha\": 0.3}"));
    }

    /**
     * One image, K = 2: confidences z = (0, 2), prior 0 assigned (t = (1, 0)); its offset 0.1 against a target 0.2
     * in x0. Logistic terms ln 2 + ln(1 + e²) = 0.693147 + 2.126928; localisation ½ · 0.3 · 0.1² = 0.0015.
     */
    @Test
    void lossIsTheLogisticTermsPlusTheWeightedSquaredOffsets() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] targets = {1, 0, 0.2f, 0, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f};
            DataLoader.Batch batch = new DataLoader.Batch(0, 0, 1, new float[0], new int[1], targets);
            NDArray logits = manager.create(new float[] {0, 2, 0.1f, 0, 0, 0, 0, 0, 0, 0}, new Shape(1, 10));
            MultiBoxLoss loss = new MultiBoxLoss(TWO);
            InceptionOutputs out = outputs(logits);
            assertEquals(Math.log(2) + Math.log(1 + Math.exp(2)) + 0.0015, loss.loss(out, batch, manager).getFloat(),
                    1e-6);
            // The most confident prior (1) is not the assigned one.
            assertEquals(0, loss.correct(out, batch, manager));
            assertThrows(IllegalArgumentException.class, () -> loss.loss(out,
                    new DataLoader.Batch(0, 0, 1, new float[0], new int[1]), manager));
        }
    }

    /**
     * d/dz of the logistic term is σ(z) − t, at z = 0 too (where relu and |z| have kinks); of the localisation term
     * α · (l − g) for an assigned prior, 0 for the others.
     */
    @Test
    void gradientsAreTheLogisticResidualAndTheWeightedOffsetError() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] targets = {1, 0, 0.2f, 0, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f};
            DataLoader.Batch batch = new DataLoader.Batch(0, 0, 1, new float[0], new int[1], targets);
            NDArray logits = manager.create(new float[] {0, 2, 0.1f, 0, 0, 0, 0, 0, 0, 0}, new Shape(1, 10));
            MultiBoxLoss loss = new MultiBoxLoss(TWO);
            float[] g = FreedMemory.gradient(logits, z -> loss.loss(outputs(z), batch, manager), true);
            float s2 = (float) (1 / (1 + Math.exp(-2)));
            assertArrayEquals(new float[] {0.5f - 1, s2, 0.3f * -0.1f, 0, 0, 0, 0, 0, 0, 0}, g, 1e-6f);
        }
    }

    private static InceptionOutputs outputs(NDArray logits) {
        logits.setName(InceptionOutputs.LOGITS);
        return InceptionOutputs.of(new NDList(logits));
    }
}
