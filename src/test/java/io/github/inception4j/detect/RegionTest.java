package io.github.inception4j.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.inception4j.data.FloatImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Non-maximum suppression, R-CNN's warp with context, and the labels of the region classifier's crops. */
class RegionTest {

    @Test
    void nmsKeepsTheBestOfOverlappingBoxesPerClass() {
        Detection a = new Detection(new Box(0, 0, 10, 10), 0, 0.9);
        Detection b = new Detection(new Box(1, 0, 11, 10), 0, 0.8);   // IoU 0.82 with a: dropped
        Detection c = new Detection(new Box(1, 0, 11, 10), 1, 0.7);   // another class: kept
        Detection d = new Detection(new Box(6, 0, 16, 10), 0, 0.6);   // IoU 0.25 with a: kept
        assertEquals(List.of(a, c, d), Nms.perClass(List.of(d, b, c, a), 0.3));
    }

    @Test
    void theWarpAddsContextAndFillsOutsideWithZero() {
        RegionWarp warp = new RegionWarp(20, 5);
        // A 10-pixel box gets 10·5/(20 − 10) = 5 pixels of context on each side.
        assertEquals(new Box(5, 5, 25, 25), warp.dilated(new Box(10, 10, 20, 20)));
        float[] px = new float[30 * 30];
        Arrays.fill(px, 1);
        FloatImage out = warp.apply(new FloatImage(1, 30, 30, px), new Box(0, 0, 10, 10));
        assertEquals(List.of(20, 20), List.of(out.height(), out.width()));
        assertEquals(0, out.get(0, 0, 0), 1e-6, "outside the image");
        assertEquals(1, out.get(0, 10, 10), 1e-6, "inside the box");
        assertEquals(new RegionWarp(227, 16), RegionWarp.rcnn(227));
        assertThrows(IllegalArgumentException.class, () -> new RegionWarp(10, 5));
    }

    /** One image with two objects; proposals: one on each (IoU ≥ 0.5), three elsewhere. */
    @Test
    void cropsAreObjectsProposalsOnObjectsAndSomeBackground() {
        Annotation shirt = new Annotation(new Box(0, 0, 20, 20), 6, false);
        Annotation bag = new Annotation(new Box(40, 40, 60, 60), 8, false);
        DetectionDataset data = new DetectionDataset() {
            public int size() {
                return 1;
            }

            public List<String> classNames() {
                return io.github.inception4j.data.FashionMnist.CLASSES;
            }

            public List<Annotation> annotations(int index) {
                return List.of(shirt, bag);
            }

            public Path file(int index) {
                return Path.of("canvas.png");
            }

            @Override
            public FloatImage image(int index) {
                return FloatImage.zeros(1, 64, 64);
            }
        };
        List<Box> proposals = List.of(new Box(2, 0, 20, 20), new Box(40, 42, 60, 60), new Box(20, 20, 40, 40),
                new Box(0, 30, 10, 60), new Box(30, 0, 64, 20));
        RegionCrops crops = RegionCrops.of(data, List.of(proposals), new RegionWarp(16, 2), 2, 0);
        assertEquals(11, crops.classNames().size());
        assertEquals(RegionCrops.BACKGROUND, crops.classNames().get(10));
        assertEquals(6, crops.size(), "2 objects + 2 proposals on them + 2 of 3 background");
        assertEquals(List.of(6, 8, 6, 8, 10, 10), java.util.stream.IntStream.range(0, 6).map(crops::label).boxed()
                .toList());
        assertEquals(List.of(1, 16, 16), List.of(crops.image(0).channels(), crops.image(0).height(),
                crops.image(0).width()));
        // Positives only from IoU 0.95: the two proposals at 0.9 are neither objects nor background.
        RegionCrops strict = RegionCrops.of(data, List.of(proposals), new RegionWarp(16, 2),
                new RegionCrops.Labelling(0.95, 0.5), Integer.MAX_VALUE, 2, 0);
        assertEquals(List.of(6, 8, 10, 10), java.util.stream.IntStream.range(0, 4).map(strict::label).boxed()
                .toList());
        assertEquals(4, strict.size());
        assertThrows(IllegalArgumentException.class, () -> new RegionCrops.Labelling(0.5, 0.7));
        // Three more proposals on the shirt (IoU 0.9, 0.95, 1): capped at 2 per object, the bag's one stays.
        List<Box> gathered = new java.util.ArrayList<>(proposals);
        gathered.addAll(List.of(new Box(0, 0, 18, 20), new Box(0, 0, 19, 20), new Box(0, 0, 20, 20)));
        RegionCrops capped = RegionCrops.of(data, List.of(gathered), new RegionWarp(16, 2), RegionCrops.Labelling.RCNN,
                2, 2, 0);
        assertEquals(List.of(6, 8, 6, 6, 8, 10, 10), java.util.stream.IntStream.range(0, 7).map(capped::label).boxed()
                .toList());
    }
}
