package io.github.inception4j.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.spec.NetworkSpec;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** Fuzzes the Keras HDF5 path (jHDF, then our layer mapping) against Keras' Inception-v3: WeightFileException only. */
class KerasH5FuzzTest {

    private static final NetworkSpec SPEC = Architecture.INCEPTION_V3_KERAS.spec(
            Architecture.INCEPTION_V3_KERAS.defaultOptions().withWidthMultiplier(0.25));

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void read(byte[] input) {
        try {
            KerasH5.read(FuzzFiles.write("fuzz.h5", input), SPEC);
        } catch (WeightFileException expected) {
            // documented refusal
        }
    }
}
