package io.github.inception4j.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.data.FloatImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Selective Search finds what is plainly there, its segmentation is FH's, and P1's setting halves its output. */
class SelectiveSearchTest {

    @TempDir
    Path dir;

    /** A dark 64 × 64 image with two bright rectangles. */
    private static FloatImage twoRectangles() {
        float[] px = new float[64 * 64];
        Arrays.fill(px, 0.1f);
        for (int y = 8; y < 24; y++) {
            for (int x = 6; x < 30; x++) {
                px[y * 64 + x] = 0.9f;
            }
        }
        for (int y = 36; y < 60; y++) {
            for (int x = 40; x < 56; x++) {
                px[y * 64 + x] = 0.6f;
            }
        }
        return new FloatImage(1, 64, 64, px);
    }

    @Test
    void segmentationSeparatesFlatRegions() {
        int[] label = SelectiveSearch.segment(twoRectangles(), 100 / 255.0, 20);
        assertEquals(3, Arrays.stream(label).max().orElse(-1) + 1, "background and two rectangles");
        assertTrue(label[10 * 64 + 10] != label[0] && label[40 * 64 + 45] != label[0]
                && label[10 * 64 + 10] != label[40 * 64 + 45]);
    }

    @Test
    void proposalsIncludeEachObjectAndTheWholeImage() {
        List<Box> boxes = SelectiveSearch.defaults().propose(twoRectangles(), 0);
        assertTrue(boxes.stream().anyMatch(b -> b.iou(new Box(6, 8, 30, 24)) > 0.9), boxes.toString());
        assertTrue(boxes.stream().anyMatch(b -> b.iou(new Box(40, 36, 56, 60)) > 0.9), boxes.toString());
        assertTrue(boxes.contains(new Box(0, 0, 64, 64)), "the last merge covers everything");
        assertEquals(boxes.size(), boxes.stream().distinct().count(), "no duplicates");
        assertEquals(boxes, SelectiveSearch.defaults().propose(twoRectangles(), 0), "the seed fixes the ranking");
    }

    /**
     * On generated canvases: most objects are covered, P1's doubled superpixels give fewer proposals, and the
     * diversified fast mode more proposals and more coverage.
     */
    @Test
    void onGeneratedCanvasesP1sSettingGivesFewerProposals() throws IOException {
        CocoDataset test = GeneratedDetectionSet.write(dir, 0, 20, 5).get(1).open();
        List<List<Annotation>> truth = new ArrayList<>();
        List<List<Box>> standard = new ArrayList<>();
        List<List<Box>> doubled = new ArrayList<>();
        List<List<Box>> fast = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            FloatImage image = test.image(i);
            truth.add(test.annotations(i));
            standard.add(SelectiveSearch.defaults().propose(image, i));
            doubled.add(SelectiveSearch.defaults().p1().propose(image, i));
            fast.add(SelectiveSearch.fast().propose(image, i));
        }
        int[] all = {Integer.MAX_VALUE};
        double recall = ProposalRecall.recall(truth, standard, all, 0.5)[0];
        assertTrue(recall > 0.6, "recall at IoU 0.5 with every proposal: " + recall);
        assertTrue(ProposalRecall.meanCount(doubled) < 0.8 * ProposalRecall.meanCount(standard),
                ProposalRecall.meanCount(doubled) + " vs " + ProposalRecall.meanCount(standard));
        assertTrue(ProposalRecall.meanCount(fast) > ProposalRecall.meanCount(standard));
        assertTrue(ProposalRecall.recall(truth, fast, all, 0.5)[0] >= recall);
    }
}
