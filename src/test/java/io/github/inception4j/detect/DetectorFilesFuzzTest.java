package io.github.inception4j.detect;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the files a detector directory adds to its checkpoints: the input is read as {@code multibox.json}
 * (MultiBox's priors), as {@code detector.json} (the detector's settings) and as the box regression's safetensors
 * file. Only the documented refusals may come out (IllegalArgumentException, of which WeightFileException is one),
 * and priors that are accepted must decode a network's outputs.
 */
class DetectorFilesFuzzTest {

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void read(byte[] input) throws IOException {
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
        Path file = Files.createTempFile("box-regression", ".safetensors");
        try {
            Files.write(file, input);
            BoxRegression.read(file, 2, 3).refine(new Box(1, 1, 9, 9), 1, new float[3]);
        } catch (IllegalArgumentException expected) {
            // documented refusals (WeightFileException is one)
        } finally {
            Files.delete(file);
        }
    }
}
