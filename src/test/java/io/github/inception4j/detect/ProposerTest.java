package io.github.inception4j.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.data.FloatImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Capping a proposer, P1's union of two, and naming detection data. */
class ProposerTest {

    private static final Box A = new Box(0, 0, 1, 1);
    private static final Box B = new Box(1, 1, 2, 2);
    private static final Box C = new Box(2, 2, 3, 3);
    private static final FloatImage IMAGE = FloatImage.zeros(1, 4, 4);

    @Test
    void firstKeepsTheBestAndTheUnionPoolsInTurnWithoutDuplicates() {
        Proposer one = (image, seed) -> List.of(A, B, C);
        Proposer two = (image, seed) -> List.of(B, C, A);
        assertEquals(List.of(A, B), one.first(2).propose(IMAGE, 0));
        assertEquals(List.of(A, B, C), one.first(5).propose(IMAGE, 0));
        assertEquals(List.of(A, B, C), new UnionProposer(List.of(one.first(1), two.first(2))).propose(IMAGE, 0));
        assertThrows(IllegalArgumentException.class, () -> one.first(0));
    }

    @Test
    void unknownDetectionDataIsRefusedWithTheFormsItTakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DetectionData.open("pascal:/data", "test", null));
        assertTrue(e.getMessage().contains("coco:INSTANCES.json, voc:ROOT or generated[:DIR]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DetectionData.open("coco:", "test", null));
    }
}
