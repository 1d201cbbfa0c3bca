package io.github.inception4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Locks every architecture's parameter names, order and shapes: checkpoints and weight mappings depend on them.
 * After an intended change, regenerate with {@code ./mvnw test -Dtest=ParameterNamesGoldenTest -Dgolden.update=true}
 * and review the diff.
 */
class ParameterNamesGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void parameterNamesAreLocked(Architecture architecture) throws IOException {
        String actual = architecture.spec().parameters().stream()
                .map(p -> p.name() + "\t" + p.shapeString() + (p.trainable() ? "" : "\tbuffer"))
                .collect(Collectors.joining("\n", "", "\n"));
        Path file = GOLDEN.resolve("parameters-" + architecture.cliName() + ".txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
                "parameter names changed; see this test's Javadoc");
    }

}
