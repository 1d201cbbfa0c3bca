package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.models.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDataTest {

    @TempDir
    Path dir;

    private static RunSettings run(long seed, Long splitSeed) {
        return run(seed, splitSeed, null);
    }

    private static RunSettings run(long seed, Long splitSeed, String init) {
        Architecture arch = Architecture.byName("googlenet-torchvision");
        return new RunSettings(arch.cliName(), arch.defaultOptions(), Recipes.byName("small-grayscale"),
                new RunSettings.Data(DataSources.FASHION_MNIST_SUBSET, null, null, 2, false, splitSeed), init, false,
                seed);
    }

    /** A run directory holding only run.json: heldOut reads nothing else. */
    private Path runDir(String name, RunSettings settings) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name));
        Files.writeString(run.resolve(RunSettings.FILE), settings.toJson());
        return run;
    }

    @Test
    void heldOutImagesAreThoseOfTheRunAndRefusedToModelsThatMayHaveSeenThem() throws Exception {
        Path a = runDir("a", run(1, 7L));
        Path b = runDir("b", run(2, 7L));
        ImageDataset held = RunData.heldOut(a, List.of(a.resolve("model"), b.resolve("model"), b));
        assertEquals(sources(RunData.open(run(1, 7L)).validation()), sources(held));
        Path other = runDir("other", run(2, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunData.heldOut(a, List.of(other.resolve("model"))));
        assertTrue(e.getMessage().contains("trained on some of the images") && e.getMessage().contains(
                "split seed 2; wanted: 0.1 of fashion-mnist-subset, split seed 7"), e.getMessage());
        Path tuned = runDir("tuned", run(3, 7L, other.resolve("model").toString()));
        e = assertThrows(IllegalArgumentException.class, () -> RunData.heldOut(a, List.of(tuned.resolve("model"))));
        assertTrue(e.getMessage().contains("started from the weights of " + other.resolve("model")), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RunData.heldOut(a, List.of(dir.resolve("loose"))));
        assertTrue(e.getMessage().contains("cannot tell which images"), e.getMessage());
    }

    private static List<String> sources(ImageDataset data) {
        return IntStream.range(0, data.size()).mapToObj(data::source).sorted().toList();
    }

    @Test
    void runsSharingASplitSeedHoldOutTheSameImages() {
        List<String> first = sources(RunData.open(run(1, 7L)).validation());
        assertEquals(600, first.size());
        assertEquals(first, sources(RunData.open(run(2, 7L)).validation()));
        // Without one, the run's seed carves the split, as before split seeds existed.
        assertEquals(sources(RunData.open(run(7, null)).validation()), first);
        assertNotEquals(first, sources(RunData.open(run(2, null)).validation()));
        assertEquals(7, run(2, 7L).splitSeed());
        assertEquals(2, run(2, null).splitSeed());
    }

    @Test
    void aSplitSeedHasNothingToCarveBesideAValidationSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RunSettings.Data(
                DataSources.FASHION_MNIST_SUBSET, DataSources.FASHION_MNIST_SUBSET, null, 2, false, 3L));
        assertTrue(e.getMessage().contains("split seed"), e.getMessage());
    }

    @Test
    void theSplitSeedSurvivesRunJson() {
        RunSettings s = run(2, 7L);
        assertEquals(s, RunSettings.fromJson(s.toJson(), "run.json"));
        assertTrue(s.toJson().contains("\"splitSeed\": 7"), s.toJson());
        assertEquals(s.data().splitSeed(), RunSettings.fromJson(s.toJson(), "run.json").data().splitSeed());
    }
}
