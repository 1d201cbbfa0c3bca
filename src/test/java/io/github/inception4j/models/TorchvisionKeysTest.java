package io.github.inception4j.models;

import io.github.inception4j.weights.KeyScheme;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our parameter names, mapped by the spec's torchvision prefixes, are exactly torchvision's state_dict keys with
 * the same shapes. The reference lists were written by torchvision 0.14 itself (src/test/resources/torchvision).
 */
class TorchvisionKeysTest {

    @ParameterizedTest
    @CsvSource({"googlenet-torchvision, googlenet", "inception-v3, inception_v3"})
    void mappedNamesAndShapesEqualTorchvisionsStateDict(String model, String torchvisionName) throws IOException {
        NetworkSpec spec = Architecture.byName(model).spec();
        Map<String, String> ours = new TreeMap<>(spec.parameters().stream().collect(
                Collectors.toMap(p -> KeyScheme.TORCHVISION.keyOf(spec, p.name()), ParameterSpec::shapeString)));
        assertEquals(torchvisionStateDict(torchvisionName), ours);
    }

    /** key → shape, without num_batches_tracked (a counter torch keeps per BN; it holds no weights). */
    static Map<String, String> torchvisionStateDict(String name) throws IOException {
        try (InputStream in = TorchvisionKeysTest.class.getResourceAsStream("/torchvision/" + name
                + "-state-dict.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank() && !l.contains("num_batches_tracked"))
                    .map(l -> l.split("\t"))
                    .collect(Collectors.toMap(p -> p[0], p -> p[1], (a, b) -> a, TreeMap::new));
        }
    }
}
