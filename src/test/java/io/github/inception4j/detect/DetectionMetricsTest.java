package io.github.inception4j.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** VOC and COCO average precision on cases computed by hand (the arithmetic is in the comments). */
class DetectionMetricsTest {

    private static Annotation truth(double x0, double y0, double x1, double y1) {
        return new Annotation(new Box(x0, y0, x1, y1), 0, false);
    }

    private static Detection detection(double score, double x0, double y0, double x1, double y1) {
        return new Detection(new Box(x0, y0, x1, y1), 0, score);
    }

    /**
     * Two objects, three detections: 0.9 on the first (IoU 0.83), 0.8 on the first again (IoU 0.6: a duplicate,
     * wrong), 0.7 on the second (IoU 0.92). Recall 0.5, 0.5, 1; precision 1, 0.5, 2/3.
     */
    private static final List<List<Annotation>> TWO = List.of(List.of(truth(0, 0, 10, 10), truth(20, 0, 30, 10)));
    private static final List<List<Detection>> THREE = List.of(List.of(detection(0.8, 0, 0, 10, 6),
            detection(0.9, 0, 0, 10, 8.3), detection(0.7, 20, 0, 30, 9.2)));

    @Test
    void vocOnAHandComputedCase() {
        DetectionMetrics.Curve c = DetectionMetrics.voc(TWO, THREE, 1, 0.5).get(0);
        assertEquals(2, c.positives());
        assertEquals(List.of(0.5, 0.5, 1.0), List.of(c.recall()[0], c.recall()[1], c.recall()[2]));
        assertEquals(2 / 3.0, c.precision()[2], 1e-12);
        // All-point: 0.5 of recall at precision 1, then 0.5 at the envelope's 2/3.
        assertEquals(0.5 + 0.5 * 2 / 3, c.ap(), 1e-6);
        // 11-point: t = 0 … 0.5 (six points) at 1, t = 0.6 … 1 (five) at 2/3.
        assertEquals((6 + 5 * 2 / 3.0) / 11, c.ap11(), 1e-6);
        assertEquals(c.ap(), DetectionMetrics.meanAp(List.of(c), false), 1e-12);
    }

    @Test
    void cocoOnAHandComputedCase() {
        DetectionMetrics.Coco c = DetectionMetrics.coco(TWO, THREE, 1);
        // IoU 0.50 … 0.80 (seven thresholds): as VOC; precision at 101 recall points: 51 at 1, 50 at 2/3.
        double upTo80 = (51 + 50 * 2 / 3.0) / 101;
        // 0.85 and 0.90: only the 0.92 detection is right, third: recall 0.5 at precision 1/3 (51 points).
        double at85and90 = 51 / 3.0 / 101;
        // 0.95: nothing is right.
        assertEquals(upTo80, c.ap50(), 1e-6);
        assertEquals(upTo80, c.ap75(), 1e-6);
        assertEquals((7 * upTo80 + 2 * at85and90) / 10, c.ap(), 1e-6);
        assertEquals(c.ap(), c.apSmall(), 1e-12, "both objects are 10 × 10: small");
        assertTrue(Double.isNaN(c.apMedium()) && Double.isNaN(c.apLarge()));
    }

    /**
     * Where the rules differ: the second detection overlaps the already found first object most (IoU 0.82) and the
     * second object enough (0.67). VOC judges by the best overlap (wrong: a duplicate); COCO takes the best object
     * not yet found (right).
     */
    @Test
    void vocJudgesByTheBestOverlapCocoByTheBestFreeObject() {
        List<List<Annotation>> truth = List.of(List.of(truth(0, 0, 10, 10), truth(3, 0, 13, 10)));
        List<List<Detection>> found = List.of(List.of(detection(0.9, 0, 0, 10, 10), detection(0.8, 1, 0, 11, 10)));
        assertEquals(0.5, DetectionMetrics.voc(truth, found, 1, 0.5).get(0).ap(), 1e-6);
        assertEquals(1.0, DetectionMetrics.coco(truth, found, 1).ap50(), 1e-6);
    }

    /** A detection of a VOC 'difficult' object counts neither way, and the object is not a positive. */
    @Test
    void difficultObjectsAreIgnored() {
        List<List<Annotation>> truth = List.of(List.of(truth(0, 0, 10, 10),
                new Annotation(new Box(20, 0, 30, 10), 0, true)));
        List<List<Detection>> found = List.of(List.of(detection(0.9, 20, 0, 30, 10), detection(0.8, 0, 0, 10, 10)));
        DetectionMetrics.Curve c = DetectionMetrics.voc(truth, found, 1, 0.5).get(0);
        assertEquals(1, c.positives());
        assertEquals(1, c.recall().length, "the detection of the difficult object is left out");
        assertEquals(1.0, c.ap(), 1e-12);
        assertEquals(1.0, DetectionMetrics.coco(truth, found, 1).ap50(), 1e-6);
    }

    @Test
    void classesWithoutObjectsAreLeftOutOfTheMean() {
        List<DetectionMetrics.Curve> curves = DetectionMetrics.voc(TWO, THREE, 3, 0.5);
        assertTrue(Double.isNaN(curves.get(2).ap()));
        assertEquals(curves.get(0).ap(), DetectionMetrics.meanAp(curves, false), 1e-12);
    }

    @Test
    void boxesFollowCropsFlipsAndResizes() {
        Box b = Box.ofCoco(10, 20, 30, 40);
        assertEquals(new Box(10, 20, 40, 60), b);
        assertEquals(new Box(60, 20, 90, 60), b.flipped(100), "mirrored in a 100-wide image");
        assertEquals(new Box(5, 5, 20, 15), b.scaled(0.5, 0.25));
        assertEquals(new Box(0, 10, 25, 50), b.cropped(10, 15, 100, 100), "crop from row 10, column 15");
        assertEquals(new Box(0, 0, 5, 5), b.cropped(55, 35, 5, 5), "cut to a 5 × 5 crop");
        assertTrue(b.cropped(0, 50, 10, 10).isEmpty(), "outside the crop");
        assertEquals(Box.ofVoc(1, 1, 10, 10), new Box(0, 0, 10, 10), "VOC's 1-based inclusive corners");
        assertEquals(100, Box.ofVoc(1, 1, 10, 10).area(), "VOC's area (xmax − xmin + 1)(ymax − ymin + 1)");
        assertEquals(25 / 175.0, new Box(0, 0, 10, 10).iou(new Box(5, 5, 15, 15)), 1e-12);
    }
}
