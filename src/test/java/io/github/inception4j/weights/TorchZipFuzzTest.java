package io.github.inception4j.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the torch.save reader through {@link WeightFiles#read}: the zip container, the pickled state_dict
 * (Pyrolite) and the storages. Only {@link WeightFileException} may come out.
 */
class TorchZipFuzzTest {

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void read(byte[] input) {
        try {
            WeightFiles.read(FuzzFiles.write("fuzz.pth", input));
        } catch (WeightFileException expected) {
            // documented refusal
        }
    }
}
