package io.github.inception4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Resampling checked against values worked out by hand. */
class ResizeTest {

    private static FloatImage row(float... values) {
        return new FloatImage(1, 1, values.length, values);
    }

    @Test
    void sameSizeIsTheImageItself() {
        FloatImage image = row(0.1f, 0.2f);
        for (Interpolation i : Interpolation.values()) {
            assertSame(image, Resize.apply(image, 1, 2, i));
        }
    }

    @Test
    void areaHalvingAveragesPairs() {
        FloatImage out = Resize.apply(row(0.0f, 0.2f, 0.4f, 0.8f), 1, 2, Interpolation.AREA);
        assertArrayEquals(new float[] {0.1f, 0.6f}, out.data(), 1e-6f);
    }

    @Test
    void areaThirdingAveragesTriples() {
        FloatImage out = Resize.apply(row(0.3f, 0.6f, 0.9f, 0f, 0f, 0.3f), 1, 2, Interpolation.AREA);
        assertArrayEquals(new float[] {0.6f, 0.1f}, out.data(), 1e-6f);
    }

    @Test
    void bilinearDoublingInterpolatesAtQuarterPositions() {
        // Output centres at source coordinates 0.25, 0.75, 1.25, 1.75 (pixel centres at 0.5, 1.5):
        // the outer two lie beyond the first/last centre and take the edge value, the inner two mix 3:1.
        FloatImage out = Resize.apply(row(0.2f, 0.6f), 1, 4, Interpolation.BILINEAR);
        assertArrayEquals(new float[] {0.2f, 0.3f, 0.5f, 0.6f}, out.data(), 1e-6f);
    }

    @Test
    void bilinearHalvingUsesATentTwoPixelsWide() {
        // Scale 2: output 0 has centre 1.0; sources at 0.5 and 1.5 are 0.25 (stretched) away → weight 0.75 each,
        // source 2.5 is 0.75 away → 0.25 but lies in the next output's window too: weights 0.75, 0.75, 0.25.
        FloatImage out = Resize.apply(row(0.0f, 0.4f, 0.8f, 0.8f), 1, 2, Interpolation.BILINEAR);
        float first = (0.75f * 0.0f + 0.75f * 0.4f + 0.25f * 0.8f) / 1.75f;
        float second = (0.25f * 0.4f + 0.75f * 0.8f + 0.75f * 0.8f) / 1.75f;
        assertArrayEquals(new float[] {first, second}, out.data(), 1e-6f);
    }

    @Test
    void nearestPicksTheSourcePixelUnderTheCentre() {
        FloatImage out = Resize.apply(row(0.1f, 0.2f, 0.3f), 1, 2, Interpolation.NEAREST);
        // centres 0.75 and 2.25 → pixels 0 and 2
        assertArrayEquals(new float[] {0.1f, 0.3f}, out.data(), 0f);
        FloatImage up = Resize.apply(row(0.1f, 0.2f), 1, 4, Interpolation.NEAREST);
        assertArrayEquals(new float[] {0.1f, 0.1f, 0.2f, 0.2f}, up.data(), 0f);
    }

    @Test
    void bicubicKeepsAConstantAndClipsOvershoot() {
        float[] constant = new float[5 * 7];
        java.util.Arrays.fill(constant, 0.37f);
        for (Interpolation i : Interpolation.values()) {
            FloatImage out = Resize.apply(new FloatImage(1, 5, 7, constant), 3, 11, i);
            for (float v : out.data()) {
                assertEquals(0.37f, v, 1e-6f, i.id());
            }
        }
        FloatImage step = Resize.apply(row(0f, 0f, 1f, 1f), 1, 16, Interpolation.BICUBIC);
        for (float v : step.data()) {
            assertEquals(Math.min(1, Math.max(0, v)), v, 0f);
        }
    }

    @Test
    void bothAxesAndChannelsAreResized() {
        // 2×2 per channel → 1×1 by area: the mean of each channel.
        FloatImage image = new FloatImage(3, 2, 2, new float[] {0, 0.2f, 0.4f, 0.6f, 1, 1, 1, 1, 0, 0, 0, 0.8f});
        FloatImage out = Resize.apply(image, 1, 1, Interpolation.AREA);
        assertArrayEquals(new float[] {0.3f, 1f, 0.2f}, out.data(), 1e-6f);
    }
}
