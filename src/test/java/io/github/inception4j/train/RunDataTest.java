package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.models.Architecture;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RunDataTest {

    private static RunSettings run(long seed, Long splitSeed) {
        Architecture arch = Architecture.byName("googlenet-torchvision");
        return new RunSettings(arch.cliName(), arch.defaultOptions(), Recipes.byName("small-grayscale"),
                new RunSettings.Data(DataSources.FASHION_MNIST_SUBSET, null, null, 2, false, splitSeed), null, false,
                seed);
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
