package io.github.inception4j.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** Fuzzes the .npy and .npz readers (an input starting with "PK" is read as .npz): only WeightFileException. */
class NumpyFuzzTest {

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void read(byte[] input) {
        try {
            if (input.length >= 2 && input[0] == 'P' && input[1] == 'K') {
                Numpy.readNpz(Path.of("fuzz.npz"), input);
            } else {
                Numpy.readNpy(Path.of("fuzz.npy"), "fuzz", input);
            }
        } catch (WeightFileException expected) {
            // documented refusal
        }
    }
}
