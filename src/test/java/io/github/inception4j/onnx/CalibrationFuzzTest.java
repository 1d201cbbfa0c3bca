package io.github.inception4j.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes a quantized checkpoint's quantization.json. Only IllegalArgumentException (the documented refusal) may
 * come out, and every range read must give a usable uint8 scale and zero point.
 */
class CalibrationFuzzTest {

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void read(byte[] input) {
        try {
            Calibration c = Calibration.fromJson(new String(input, StandardCharsets.UTF_8));
            c.ranges().values().forEach(r -> {
                if (!(r.scale() > 0) || r.zeroPoint() < 0 || r.zeroPoint() > 255) {
                    throw new AssertionError("unusable range " + r);
                }
            });
        } catch (IllegalArgumentException expected) {
            // documented refusal
        }
    }
}
