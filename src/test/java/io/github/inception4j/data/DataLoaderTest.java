package io.github.inception4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLoaderTest {

    @TempDir
    Path dir;

    private static List<DataLoader.Batch> epoch(DataLoader loader, int epoch, int first) {
        List<DataLoader.Batch> out = new ArrayList<>();
        try (DataLoader.EpochIterator it = loader.epoch(epoch, first)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static DataLoader loader(ImageDataset data, int threads, boolean strict) {
        ImagePipeline pipeline = new ImagePipeline(new Augmentation(true,
                new InceptionCrop(0.5, 1, 0.75, 4 / 3.0, true, 10), List.of("bilinear", "area"), 0.5,
                new Photometric(0.1, 0, 0, 0.2)), Preprocessing.tensorflow(16));
        return new DataLoader(data, 32, true, pipeline::train, pipeline.sampleLength(), 42,
                new DataLoader.Workers(threads, 3, strict));
    }

    @Test
    void batchesDependOnSeedEpochAndIndexOnlyNotOnThreads() {
        FashionMnist data = FashionMnist.embeddedSubset(FashionMnist.Split.TEST);
        try (DataLoader one = loader(data, 1, true); DataLoader three = loader(data, 3, true)) {
            List<DataLoader.Batch> a = epoch(one, 2, 0);
            List<DataLoader.Batch> b = epoch(three, 2, 0);
            assertEquals(32, a.size()); // 1,000 images in batches of 32: 31 full and one of 8
            assertEquals(8, a.get(31).count());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).samples(), b.get(i).samples());
                assertArrayEquals(a.get(i).labels(), b.get(i).labels());
            }
            // Restarting at batch 5 (resume) gives batch 5 onwards exactly.
            List<DataLoader.Batch> restarted = epoch(three, 2, 5);
            assertEquals(27, restarted.size());
            assertArrayEquals(a.get(5).samples(), restarted.get(0).samples());
            // Another epoch is another order and other distortions; every example appears once per epoch.
            assertNotEquals(Arrays.toString(a.get(0).labels()), Arrays.toString(epoch(one, 3, 0).get(0).labels()));
            Set<Integer> seen = new HashSet<>();
            for (int i : one.order(2)) {
                seen.add(i);
            }
            assertEquals(1000, seen.size());
        }
    }

    @Test
    void corruptImagesAreSkippedAndCountedOrStopTheRunWhenStrict() throws IOException {
        for (String c : new String[] {"cat", "dog"}) {
            Files.createDirectories(dir.resolve(c));
            for (int i = 0; i < 3; i++) {
                BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                Files.write(dir.resolve(c).resolve(i + ".png"), ImageDecoderTest.encode(image, "png"));
            }
        }
        Files.writeString(dir.resolve("dog").resolve("broken.jpg"), "definitely not a jpeg");
        ImageFolder folder = ImageFolder.open(dir);
        assertEquals(7, folder.size());
        try (DataLoader lenient = loader(folder, 2, false)) {
            List<DataLoader.Batch> batches = epoch(lenient, 0, 0);
            assertEquals(6, batches.stream().mapToInt(DataLoader.Batch::count).sum());
            assertEquals(1, lenient.skipped());
        }
        try (DataLoader strict = loader(folder, 2, true)) {
            ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> epoch(strict, 0, 0));
            assertTrue(e.getMessage().contains("broken.jpg"), e.getMessage());
        }
    }

    @Test
    void stratifiedSplitHoldsOutEachClassDisjointlyAndReproducibly() {
        FashionMnist data = FashionMnist.embeddedSubset(FashionMnist.Split.TEST);
        Splits.TrainValidation split = Splits.stratified(data, 0.1, 7);
        assertEquals(900, split.train().size());
        assertEquals(100, split.validation().size());
        int[] perClass = new int[10];
        for (int i = 0; i < split.validation().size(); i++) {
            perClass[split.validation().label(i)]++;
        }
        for (int n : perClass) {
            assertEquals(10, n);
        }
        Set<String> train = new HashSet<>();
        for (int i = 0; i < split.train().size(); i++) {
            train.add(split.train().source(i));
        }
        for (int i = 0; i < split.validation().size(); i++) {
            assertTrue(!train.contains(split.validation().source(i)));
        }
        assertEquals(split.validation().source(3), Splits.stratified(data, 0.1, 7).validation().source(3));
    }

    @Test
    void imageFolderSortsClassesAndIgnoresOtherFiles() throws IOException {
        for (String c : new String[] {"zebra", "ant"}) {
            Files.createDirectories(dir.resolve(c).resolve("nested"));
            Files.write(dir.resolve(c).resolve("nested").resolve("a.PNG"),
                    ImageDecoderTest.encode(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png"));
        }
        Files.writeString(dir.resolve("ant").resolve("readme.txt"), "not an image");
        ImageFolder folder = ImageFolder.open(dir);
        assertEquals(List.of("ant", "zebra"), folder.classNames());
        assertEquals(2, folder.size());
        assertEquals(1, folder.label(1));
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.open(dir.resolve("ant").resolve("nested")));
    }
}
