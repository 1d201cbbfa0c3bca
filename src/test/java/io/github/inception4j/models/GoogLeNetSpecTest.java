package io.github.inception4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.describe.Description;
import io.github.inception4j.spec.LayerStats;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ShapeException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** GoogLeNet's figures against independent references: torchvision's metadata, the paper, hand arithmetic. */
class GoogLeNetSpecTest {

    @Test
    void torchvisionLayoutHasTorchvisionsFigures() {
        NetworkSpec spec = Architecture.GOOGLENET_TORCHVISION.spec();
        assertEquals(13_004_888, spec.params(), "torchvision googlenet(aux_logits=True)");
        assertEquals(6_624_904, spec.paramsWithoutAux(), "torchvision num_params meta");
        assertEquals(1_498_376_000, spec.macs(), 0.001 * 1_498_376_000, "torchvision _ops 1.498 GMACs");
        assertEquals(15, spec.minimumInputSize(), "torchvision min_size");
    }

    @Test
    void torchvisionLayoutMatchesPerBlockParameterOracles() {
        // paper-facts.md §3.4, per-block oracles for torchvision googlenet.
        Map<String, Long> expected = Map.ofEntries(Map.entry("conv1", 9_536L),
                Map.entry("conv2", 4_224L + 110_976L), Map.entry("inception3a", 155_872L),
                Map.entry("inception3b", 340_224L), Map.entry("inception4a", 364_512L),
                Map.entry("inception4b", 425_232L), Map.entry("inception4c", 486_192L),
                Map.entry("inception4d", 573_312L), Map.entry("inception4e", 803_840L),
                Map.entry("inception5a", 978_944L), Map.entry("inception5b", 1_347_040L),
                Map.entry("fc", 1_025_000L), Map.entry("aux1", 3_188_968L), Map.entry("aux2", 3_191_016L));
        Map<String, Long> actual = Architecture.GOOGLENET_TORCHVISION.spec().layerStats().stream()
                .filter(s -> s.params() > 0).collect(Collectors.toMap(LayerStats::name, LayerStats::params));
        assertEquals(expected, actual);
    }

    @Test
    void paperLayoutHasTheRecomputedCaffeFigures() {
        NetworkSpec spec = Architecture.GOOGLENET.spec();
        assertEquals(13_378_280, spec.params());
        assertEquals(6_998_552, spec.paramsWithoutAux(), "weights + biases, true 5×5, no BN");
        assertEquals(1.583e9, spec.macs(), 0.005 * 1.583e9);
        long weights = spec.withoutAuxHeads().parameters().stream()
                .filter(p -> p.kind() == io.github.inception4j.spec.ParameterSpec.Kind.WEIGHT)
                .mapToLong(io.github.inception4j.spec.ParameterSpec::size).sum();
        assertEquals(6_990_272, weights, "paper-facts.md §1.1: the true 5×5 path has 6,990,272 weights");
    }

    @Test
    void shapeChainFollowsTableOne() {
        Map<String, String> expected = Map.of("conv1", "112×112×64", "pool1", "56×56×64", "conv2", "56×56×192",
                "pool2", "28×28×192", "inception3b", "28×28×480", "pool3", "14×14×480", "inception4e",
                "14×14×832", "pool4", "7×7×832", "inception5b", "7×7×1024", "fc", "1×1×1000");
        for (Architecture a : new Architecture[] {Architecture.GOOGLENET, Architecture.GOOGLENET_TORCHVISION}) {
            Map<String, String> shapes = a.spec().endpointShapes().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString()));
            expected.forEach((layer, shape) -> assertEquals(shape, shapes.get(layer), a + " " + layer));
        }
    }

    @Test
    void inceptionOpsAgreeWithThePaperExceptWhereThePaperDisagreesWithItself() {
        Description d = Description.of(Architecture.GOOGLENET, Architecture.GOOGLENET.defaultOptions());
        for (Description.PaperCheck check : d.paperChecks()) {
            if (!check.layer().startsWith("inception")) {
                continue;
            }
            double relative = Math.abs(check.computedOpsM() - check.paperOpsM()) / check.paperOpsM();
            if (check.layer().equals("inception5a")) {
                assertTrue(relative > 0.02 && check.disagrees(), "5a is flagged: " + check);
                assertEquals(51.1, check.computedOpsM(), 0.05);
            } else {
                assertTrue(relative <= 0.02, check.toString());
            }
        }
        // conv1's printed 2.7K / 34M are flagged with the recomputed 9.2K / 118.0M.
        Description.PaperCheck conv1 = d.paperChecks().get(0);
        assertTrue(conv1.disagrees());
        assertEquals(9.2, conv1.computedParamsK(), 0.05);
        assertEquals(118.0, conv1.computedOpsM(), 0.05);
        // Rows that agree within the table's rounding are not flagged.
        assertFalse(d.paperChecks().stream().filter(c -> c.layer().equals("inception3b")).findFirst()
                .orElseThrow().disagrees());
    }

    @Test
    void tooSmallInputsNameTheSmallestAdmissibleSize() {
        ShapeException e = assertThrows(ShapeException.class, () -> Architecture.GOOGLENET_TORCHVISION
                .spec(Architecture.GOOGLENET_TORCHVISION.defaultOptions().withInputSize(14)));
        assertTrue(e.getMessage().contains("smallest input googlenet-torchvision admits is 15×15"), e.getMessage());
        // Without its fixed-size heads the paper layout admits smaller inputs than with them.
        NetworkSpec paper = Architecture.GOOGLENET.spec();
        assertTrue(paper.withoutAuxHeads().minimumInputSize() < paper.minimumInputSize());
    }

    @Test
    void transformInputIsAParameterFreeFirstLayer() {
        NetworkSpec spec = Architecture.GOOGLENET_TORCHVISION.spec(
                Architecture.GOOGLENET_TORCHVISION.defaultOptions().withTransformInput(true));
        assertEquals("transform_input", spec.layers().get(0).name());
        assertEquals(13_004_888, spec.params());
    }
}
