package io.github.inception4j.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the image decoder (every ImageIO reader it reaches: JPEG, PNG, BMP, GIF, WebP, TIFF) with the view side
 * and budget of a 224 evaluation. Only {@link ImageDecodeException} may come out; no input may run for 5 s or
 * exhaust the heap. Seeds and kept findings: {@code src/test/resources/.../ImageDecoderFuzzTestInputs/decode/}.
 */
class ImageDecoderFuzzTest {

    private static final ImageDecoder DECODER = ImageDecoder.forView(256).withBudget(new DecodeBudget(256L << 20),
            -1);

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void decode(byte[] input) {
        try {
            FloatImage image = DECODER.read(input, "fuzz");
            if (image.height() < 1 || image.width() < 1) {
                throw new IllegalStateException("decoded an empty image");
            }
        } catch (ImageDecodeException expected) {
            // the one documented refusal
        }
    }
}
