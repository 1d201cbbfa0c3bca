package io.github.inception4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.describe.Describer;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Deviations are data: every layout field is documented, and docs/paper-deviations.md is generated from them. */
class DeviationsTest {

    @Test
    void everyGoogLeNetLayoutFieldIsDocumented() {
        Set<String> components = Arrays.stream(GoogLeNetLayout.class.getRecordComponents())
                .map(RecordComponent::getName).collect(Collectors.toSet());
        Set<String> documented = GoogLeNetLayout.FIELDS.stream().map(LayoutField::component)
                .collect(Collectors.toSet());
        assertEquals(components, documented);
    }

    @Test
    void everyInceptionV3LayoutFieldIsDocumented() {
        Set<String> components = Arrays.stream(InceptionV3Layout.class.getRecordComponents())
                .map(RecordComponent::getName).collect(Collectors.toSet());
        assertEquals(components, InceptionV3Layout.FIELDS.stream().map(LayoutField::component)
                .collect(Collectors.toSet()));
        List<String> ids = Architecture.INCEPTION_V3.deviations().stream().map(Deviation::id).toList();
        assertEquals(List.of("stem", "35x35-middle-kernel", "35x35-pool-proj", "17x17-modules", "bn-scale",
                "pool-border"), ids);
        List<String> keras = Architecture.INCEPTION_V3_KERAS.deviations().stream().map(Deviation::id).toList();
        assertEquals(List.of("stem", "35x35-middle-kernel", "35x35-pool-proj", "17x17-modules", "dropout"), keras,
                "Keras keeps TF's BN and border averaging, and has no dropout");
        assertFalse(Architecture.INCEPTION_V2.deviations().isEmpty(), "v2's choices where P2 is silent");
    }

    @Test
    void paperLayoutHasNoDeviationAndTorchvisionsAreNamed() {
        assertTrue(Architecture.GOOGLENET.deviations().isEmpty());
        List<String> ids = Architecture.GOOGLENET_TORCHVISION.deviations().stream().map(Deviation::id).toList();
        assertEquals(List.of("normalization", "branch-5x5-kernel", "pool4-window", "dropout", "aux-pooling", "init"),
                ids);
        Deviation kernel = Architecture.GOOGLENET_TORCHVISION.deviations().get(1);
        assertEquals("5×5", kernel.paper());
        assertEquals("3×3", kernel.layout());
        assertFalse(kernel.source().isBlank());
    }

    @Test
    void deviationsDocumentIsGeneratedFromTheCode() throws IOException {
        String committed = Files.readString(Path.of("docs/paper-deviations.md"), StandardCharsets.UTF_8);
        assertEquals(Describer.deviationsMarkdown(), committed,
                "regenerate with ./inception deviations > docs/paper-deviations.md");
    }
}
