package io.github.inception4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.spec.LayerStats;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ShapeException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Inception-v2/v3 figures against torchvision's metadata, P2 Table 1's sizes and P2 §9's cost claim. */
class InceptionV3SpecTest {

    @Test
    void inceptionV3HasTorchvisionsFigures() {
        NetworkSpec spec = Architecture.INCEPTION_V3.spec();
        assertEquals(27_161_264, spec.params(), "torchvision num_params meta (aux kept)");
        assertEquals(23_834_568, spec.paramsWithoutAux());
        assertEquals(5_713_216_000.0, spec.macs(), 0.001 * 5_713_216_000.0, "torchvision _ops 5.713");
        assertEquals(75, spec.withoutAuxHeads().minimumInputSize(), "torchvision min_size 75×75");
    }

    @Test
    void kerasLayoutHasKerasTrainableCount() {
        // paper-facts.md §3.4: Keras InceptionV3 (include_top) has 23,817,352 trainable parameters (BN β only).
        NetworkSpec keras = Architecture.INCEPTION_V3_KERAS.spec();
        assertEquals(23_817_352, keras.params());
        assertTrue(keras.auxHeads().isEmpty());
        assertEquals(5_713_216_096L, keras.macs(), "the same graph as torchvision's, multiply-add for multiply-add");
    }

    @Test
    void inceptionV3MatchesPerBlockParameterOracles() {
        // paper-facts.md §3.4, per-block oracles for torchvision inception_v3.
        Map<String, Long> expected = Map.ofEntries(Map.entry("Conv2d_1a_3x3", 928L),
                Map.entry("Conv2d_2a_3x3", 9_280L), Map.entry("Conv2d_2b_3x3", 18_560L),
                Map.entry("Conv2d_3b_1x1", 5_280L), Map.entry("Conv2d_4a_3x3", 138_624L),
                Map.entry("Mixed_5b", 255_904L), Map.entry("Mixed_5c", 277_472L), Map.entry("Mixed_5d", 285_152L),
                Map.entry("Mixed_6a", 1_153_280L), Map.entry("Mixed_6b", 1_297_408L),
                Map.entry("Mixed_6c", 1_691_008L), Map.entry("Mixed_6d", 1_691_008L),
                Map.entry("Mixed_6e", 2_141_952L), Map.entry("Mixed_7a", 1_698_304L),
                Map.entry("Mixed_7b", 5_044_608L), Map.entry("Mixed_7c", 6_076_800L), Map.entry("fc", 2_049_000L),
                Map.entry("AuxLogits", 3_326_696L));
        Map<String, Long> actual = Architecture.INCEPTION_V3.spec().layerStats().stream()
                .filter(s -> s.params() > 0).collect(Collectors.toMap(LayerStats::name, LayerStats::params));
        assertEquals(expected, actual);
    }

    @Test
    void inceptionV3ShapeChainFollowsTheCode() {
        Map<String, String> expected = Map.ofEntries(Map.entry("Conv2d_1a_3x3", "149×149×32"),
                Map.entry("Conv2d_2a_3x3", "147×147×32"), Map.entry("Conv2d_2b_3x3", "147×147×64"),
                Map.entry("maxpool1", "73×73×64"), Map.entry("Conv2d_3b_1x1", "73×73×80"),
                Map.entry("Conv2d_4a_3x3", "71×71×192"), Map.entry("maxpool2", "35×35×192"),
                Map.entry("Mixed_5b", "35×35×256"), Map.entry("Mixed_5c", "35×35×288"),
                Map.entry("Mixed_6a", "17×17×768"), Map.entry("Mixed_6e", "17×17×768"),
                Map.entry("Mixed_7a", "8×8×1280"), Map.entry("Mixed_7b", "8×8×2048"),
                Map.entry("Mixed_7c", "8×8×2048"), Map.entry("AuxLogits", "1×1×1000"));
        Map<String, String> shapes = Architecture.INCEPTION_V3.spec().endpointShapes().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString()));
        expected.forEach((layer, shape) -> assertEquals(shape, shapes.get(layer), layer));
    }

    @Test
    void inceptionV2FollowsTheSizesOfP2TableOne() {
        // P2 Table 1's "input size" column: 299×299×3, 149×149×32, 147×147×32, 147×147×64, 73×73×64, 71×71×80,
        // 35×35×192, then 35×35×288 into the Fig. 5 modules, 17×17×768, 8×8×1280, 8×8×2048.
        Map<String, String> shapes = Architecture.INCEPTION_V2.spec().endpointShapes().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString()));
        assertEquals("149×149×32", shapes.get("Conv2d_1a_3x3"));
        assertEquals("147×147×32", shapes.get("Conv2d_2a_3x3"));
        assertEquals("147×147×64", shapes.get("Conv2d_2b_3x3"));
        assertEquals("73×73×64", shapes.get("maxpool1"));
        assertEquals("71×71×80", shapes.get("Conv2d_3b_3x3"));
        assertEquals("35×35×192", shapes.get("Conv2d_4a_3x3"));
        assertEquals("35×35×288", shapes.get("Conv2d_4b_3x3"));
        for (String module : new String[] {"Mixed_5b", "Mixed_5c", "Mixed_5d"}) {
            assertEquals("35×35×288", shapes.get(module), "3 × Fig. 5 with 288 filters each");
        }
        assertEquals("17×17×768", shapes.get("Mixed_6a"));
        for (String module : new String[] {"Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e", "Mixed_6f"}) {
            assertEquals("17×17×768", shapes.get(module), "5 × Fig. 6");
        }
        assertEquals("8×8×1280", shapes.get("Mixed_7a"));
        assertEquals("8×8×2048", shapes.get("Mixed_7c"), "2 × Fig. 7, 2048 per tile");
        assertEquals("Mixed_6f", Architecture.INCEPTION_V2.spec().auxHeads().get(0).attachedTo());
    }

    @Test
    void lowResolutionVariantsCostAlmostTheSame() {
        long v299 = Architecture.INCEPTION_V3.spec().macs();
        long v151 = Architecture.INCEPTION_V3_151.spec().macs();
        long v79 = Architecture.INCEPTION_V3_79.spec().macs();
        for (long other : new long[] {v151, v79}) {
            assertTrue(Math.abs(other - v299) <= 0.10 * v299, other + " vs " + v299);
        }
        // The 151 network runs its stride-1 first layer on a half-size input: the same grid from then on.
        assertEquals(Architecture.INCEPTION_V3.spec().endpointShapes().get("maxpool1"),
                Architecture.INCEPTION_V3_151.spec().endpointShapes().get("maxpool1"));
        assertEquals("8×8×2048", Architecture.INCEPTION_V3_79.spec().endpointShapes().get("Mixed_7c").toString());
    }

    @Test
    void tooSmallInputNamesTheMinimumWithAndWithoutHeads() {
        ShapeException e = assertThrows(ShapeException.class, () -> Architecture.INCEPTION_V3.spec(
                Architecture.INCEPTION_V3.defaultOptions().withInputSize(200)));
        assertTrue(e.getMessage().contains("smallest input inception-v3 admits is 299×299 (75×75 without "
                + "auxiliary heads)"), e.getMessage());
        assertEquals(75, Architecture.INCEPTION_V3.spec(Architecture.INCEPTION_V3.defaultOptions()
                .withAuxHeads(false).withInputSize(75)).input().height());
    }
}
