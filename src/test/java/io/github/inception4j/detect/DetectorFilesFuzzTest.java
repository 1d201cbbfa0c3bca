package io.github.inception4j.detect;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the two files a detector directory adds to its checkpoints: the input is read as {@code multibox.json}
 * (MultiBox's priors) and as {@code detector.json} (the detector's settings). Only IllegalArgumentException (the
 * documented refusal) may come out, and priors that are accepted must decode a network's outputs.
 */
class DetectorFilesFuzzTest {

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void read(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        try {
            MultiBox multiBox = MultiBox.fromJson(json);
            multiBox.decode(new float[multiBox.outputs()], 160, 160);
        } catch (IllegalArgumentException expected) {
            // documented refusal
        }
        try {
            ObjectDetector.Settings.fromJson(json);
        } catch (IllegalArgumentException expected) {
            // documented refusal
        }
    }
}
