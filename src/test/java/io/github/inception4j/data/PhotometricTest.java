package io.github.inception4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PhotometricTest {

    private static FloatImage rgbPixel(float r, float g, float b) {
        return new FloatImage(3, 1, 1, new float[] {r, g, b});
    }

    @Test
    void brightnessAddsOneDeltaToEverySample() {
        float[] x = {0.1f, 0.5f, 0.9f};
        Photometric.addBrightness(x, 0.05f);
        assertArrayEquals(new float[] {0.15f, 0.55f, 0.95f}, x, 1e-7f);
        // Through apply: the delta is U[−b, b], the same for all samples, clipped at the end.
        FloatImage image = new FloatImage(1, 1, 3, new float[] {0.2f, 0.5f, 0.99f});
        FloatImage out = new Photometric(0.1, 0, 0, 0).apply(image, new SplittableRandom(5));
        float delta = out.get(0, 0, 0) - 0.2f;
        assertTrue(Math.abs(delta) <= 0.1f + 1e-6f);
        assertEquals(0.5f + delta, out.get(0, 0, 1), 1e-6f);
        assertEquals(Math.min(1, 0.99f + delta), out.get(0, 0, 2), 1e-6f);
    }

    @Test
    void contrastScalesAroundEachChannelsMean() {
        float[] x = {0.2f, 0.4f, 0.6f, 0.8f, 0.0f, 0.0f};
        Photometric.adjustContrast(x, 3, 2f);
        // channel 0 mean 0.4: 0.0, 0.4, 0.8; channel 1 mean 0.8/3.
        float m = 0.8f / 3;
        assertArrayEquals(new float[] {0.0f, 0.4f, 0.8f, (0.8f - m) * 2 + m, (0 - m) * 2 + m, (0 - m) * 2 + m}, x,
                1e-6f);
    }

    @Test
    void hueShiftOfAThirdTurnsRedIntoGreen() {
        float[] x = rgbPixel(1, 0, 0).data().clone();
        Photometric.adjustHsv(x, 1, 1 / 3f, 1);
        assertArrayEquals(new float[] {0, 1, 0}, x, 1e-6f);
        float[] y = rgbPixel(0.8f, 0.4f, 0.2f).data().clone();
        Photometric.adjustHsv(y, 1, 0, 1);
        assertArrayEquals(new float[] {0.8f, 0.4f, 0.2f}, y, 1e-6f);
    }

    @Test
    void zeroSaturationIsGrayAtTheValueOfTheMaximum() {
        float[] x = rgbPixel(0.8f, 0.4f, 0.2f).data().clone();
        Photometric.adjustHsv(x, 1, 0, 0);
        assertArrayEquals(new float[] {0.8f, 0.8f, 0.8f}, x, 1e-6f);
        // Doubling saturation: s = 0.75 → 1 (clipped), v stays 0.8, hue stays: (0.8, 0.2667, 0).
        float[] y = rgbPixel(0.8f, 0.4f, 0.2f).data().clone();
        Photometric.adjustHsv(y, 1, 0, 2);
        assertArrayEquals(new float[] {0.8f, 0.8f / 3, 0f}, y, 1e-6f);
    }

    @Test
    void theOrderIsRandomAndMatters() {
        FloatImage image = new FloatImage(3, 1, 2, new float[] {0.9f, 0.1f, 0.5f, 0.3f, 0.2f, 0.6f});
        Photometric p = Photometric.inception();
        java.util.Set<String> results = new java.util.HashSet<>();
        for (int seed = 0; seed < 20; seed++) {
            // Same draws for the factors would need the same seed; different seeds give different orders too.
            results.add(java.util.Arrays.toString(p.apply(image, new SplittableRandom(seed)).data()));
        }
        assertTrue(results.size() > 15);
        FloatImage out = p.apply(image, new SplittableRandom(0));
        for (float v : out.data()) {
            assertTrue(v >= 0 && v <= 1);
        }
        assertNotEquals(image, out);
    }

    @Test
    void grayImagesGetOnlyBrightnessAndContrast() {
        FloatImage gray = new FloatImage(1, 1, 2, new float[] {0.3f, 0.5f});
        FloatImage out = new Photometric(0, 0.5, 0.2, 0).apply(gray, new SplittableRandom(1));
        assertEquals(gray, out);
    }
}
