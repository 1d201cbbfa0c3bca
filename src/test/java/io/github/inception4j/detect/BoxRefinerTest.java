package io.github.inception4j.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.nn.InceptionOutputs;
import io.github.inception4j.nn.FreedMemory;
import org.junit.jupiter.api.Test;

/** The refiner's targets, their inverse and mirror image, and its loss, against values computed by hand. */
class BoxRefinerTest {

    /** Proposal (10, 20)–(30, 60): width 20, height 40, centre (20, 40). */
    private static final Box PROPOSAL = new Box(10, 20, 30, 60);
    /** Object (12, 16)–(36, 56): width 24, height 40, centre (24, 36). */
    private static final Box OBJECT = new Box(12, 16, 36, 56);

    /** (4 / 20, −4 / 40, ln 1.2, ln 1) over Fast R-CNN's (0.1, 0.1, 0.2, 0.2). */
    @Test
    void targetsAreRcnnOffsetsOverTheirScaleAndApplyInvertsThem() {
        float[] t = BoxRefiner.targets(PROPOSAL, OBJECT);
        assertArrayEquals(new float[] {2, -1, (float) (Math.log(1.2) / 0.2), 0}, t, 1e-6f);
        Box back = BoxRefiner.apply(PROPOSAL, t, 0);
        assertArrayEquals(new double[] {12, 16, 36, 56}, new double[] {back.x0(), back.y0(), back.x1(), back.y1()},
                1e-4);
    }

    /** Mirrored about an image 100 wide, the centre shift changes sign and nothing else does (the training's rule). */
    @Test
    void mirroringNegatesOnlyTheHorizontalShift() {
        float[] t = BoxRefiner.targets(PROPOSAL, OBJECT);
        float[] m = BoxRefiner.targets(PROPOSAL.flipped(100), OBJECT.flipped(100));
        assertArrayEquals(new float[] {-t[0], t[1], t[2], t[3]}, m, 1e-6f);
    }

    /** A log size ratio of 10 (e¹⁰ times wider) is cut to 4 times: a wild output cannot throw a box far away. */
    @Test
    void aRefinedSideChangesAtMostFourfold() {
        Box grown = BoxRefiner.apply(PROPOSAL, new float[] {0, 0, 50, -50}, 0);
        assertEquals(80, grown.width(), 1e-9);
        assertEquals(10, grown.height(), 1e-9);
        assertEquals(20, (grown.x0() + grown.x1()) / 2, 1e-9);
    }

    /**
     * Two examples: differences (0.5, −2, 0, 2) give ½·0.25 + 1.5 + 0 + 1.5 = 3.125; the exact second one 0; the
     * mean 1.5625. Only the second is refined to IoU ≥ 0.7.
     */
    @Test
    void lossIsTheMeanSmoothL1AndCorrectMeansIoUAtLeast07() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] targets = {0, 0, 0, 1, 1, 2, 0, -1};
            DataLoader.Batch batch = new DataLoader.Batch(0, 0, 2, new float[0], new int[2], targets);
            NDArray logits = manager.create(new float[] {0.5f, -2, 0, 3, 1, 2, 0, -1}, new Shape(2, 4));
            BoxRefinerLoss loss = new BoxRefinerLoss();
            assertEquals(1.5625, loss.loss(outputs(logits), batch, manager).getFloat(), 1e-6);
            assertEquals(1, loss.correct(outputs(logits), batch, manager));
            assertThrows(IllegalArgumentException.class, () -> loss.loss(outputs(logits),
                    new DataLoader.Batch(0, 0, 2, new float[0], new int[2]), manager));
        }
    }

    /** d/dl of smooth L1 is the difference clipped to [−1, 1], over the batch of 2; it survives a GC (Scalars). */
    @Test
    void gradientIsTheClippedDifference() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] targets = {0, 0, 0, 1, 1, 2, 0, -1};
            DataLoader.Batch batch = new DataLoader.Batch(0, 0, 2, new float[0], new int[2], targets);
            NDArray logits = manager.create(new float[] {0.5f, -2, 0, 3, 1, 2, 0, -1}, new Shape(2, 4));
            BoxRefinerLoss loss = new BoxRefinerLoss();
            float[] g = FreedMemory.gradient(logits, z -> loss.loss(outputs(z), batch, manager), true);
            assertArrayEquals(new float[] {0.25f, -0.5f, 0, 0.5f, 0, 0, 0, 0}, g, 1e-6f);
        }
    }

    private static InceptionOutputs outputs(NDArray logits) {
        logits.setName(InceptionOutputs.LOGITS);
        return InceptionOutputs.of(new NDList(logits));
    }
}
