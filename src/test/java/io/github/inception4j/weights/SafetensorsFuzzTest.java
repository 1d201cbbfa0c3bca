package io.github.inception4j.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** Fuzzes the safetensors reader: only {@link WeightFileException} may come out. */
class SafetensorsFuzzTest {

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void read(byte[] input) {
        try {
            Safetensors.read(Path.of("fuzz.safetensors"), input);
        } catch (WeightFileException expected) {
            // documented refusal
        }
    }
}
