package io.github.inception4j.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.data.FloatImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated detection set keeps its promises: sizes, overlaps, counts, every class, reproducibility. */
class GeneratedDetectionSetTest {

    @TempDir
    Path dir;

    @Test
    void canvasesKeepTheRulesAndTheTestSplitHasEveryClass() throws IOException {
        List<GeneratedDetectionSet.Split> splits = GeneratedDetectionSet.write(dir.resolve("a"), 20, 500, 7);
        CocoDataset test = splits.get(1).open();
        assertEquals(500, test.size());
        Set<Integer> classes = new HashSet<>();
        int objects = 0;
        for (int i = 0; i < test.size(); i++) {
            List<Annotation> a = test.annotations(i);
            assertTrue(a.size() >= 1 && a.size() <= GeneratedDetectionSet.MAX_ITEMS, "canvas " + i);
            objects += a.size();
            for (int j = 0; j < a.size(); j++) {
                Box b = a.get(j).box();
                assertTrue(Math.max(b.width(), b.height()) <= GeneratedDetectionSet.MAX_ITEM, b.toString());
                assertTrue(b.x0() >= 0 && b.y0() >= 0 && b.x1() <= 160 && b.y1() <= 160, b.toString());
                for (int k = 0; k < j; k++) {
                    assertTrue(b.iou(a.get(k).box()) <= GeneratedDetectionSet.MAX_IOU + 1e-12);
                }
                classes.add(a.get(j).label());
            }
        }
        assertEquals(10, classes.size(), "all ten classes");
        assertTrue(objects > 1000, objects + " objects");
        FloatImage first = test.image(0);
        assertEquals(List.of(1, 160, 160), List.of(first.channels(), first.height(), first.width()));
    }

    @Test
    void theSameSeedWritesTheSameFiles() throws IOException {
        GeneratedDetectionSet.write(dir.resolve("a"), 5, 5, 3);
        GeneratedDetectionSet.write(dir.resolve("b"), 5, 5, 3);
        for (String f : List.of("train.json", "test.json", "train/00004.png", "test/00000.png")) {
            assertEquals(-1, Files.mismatch(dir.resolve("a").resolve(f), dir.resolve("b").resolve(f)), f);
        }
    }

    @Test
    void anItemsBoxIsItsInk() {
        float[] px = new float[10 * 10];
        px[3 * 10 + 2] = 0.9f;
        px[6 * 10 + 7] = 0.5f;
        px[8 * 10 + 8] = 0.05f; // below the ink threshold
        assertEquals(new Box(2, 3, 8, 7), GeneratedDetectionSet.extent(new FloatImage(1, 10, 10, px)));
    }
}
