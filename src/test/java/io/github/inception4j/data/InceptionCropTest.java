package io.github.inception4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InceptionCropTest {

    @Test
    void samplesLieInsideWithAreaAndAspectInRange() {
        InceptionCrop crop = InceptionCrop.torchvision();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 5000; i++) {
            InceptionCrop.Box b = crop.sample(300, 400, random);
            assertTrue(b.top() >= 0 && b.left() >= 0 && b.top() + b.height() <= 300 && b.left() + b.width() <= 400,
                    b.toString());
            double area = (double) b.height() * b.width() / (300 * 400);
            double aspect = (double) b.width() / b.height();
            // Rounding of w and h moves area and aspect slightly off the sampled values.
            assertTrue(area > 0.08 * 0.9 && area <= 1, "area " + area);
            assertTrue(aspect > 0.75 * 0.9 && aspect < 4 / 3.0 * 1.1, "aspect " + aspect);
        }
    }

    @Test
    void logUniformAspectIsSymmetricInLogWhileUniformIsNot() {
        SplittableRandom random = new SplittableRandom(2);
        InceptionCrop log = new InceptionCrop(0.5, 0.5, 0.5, 2, true, 10);
        InceptionCrop uniform = new InceptionCrop(0.5, 0.5, 0.5, 2, false, 10);
        double meanLogLog = 0;
        double meanLogUniform = 0;
        int n = 20000;
        for (int i = 0; i < n; i++) {
            InceptionCrop.Box a = log.sample(1000, 1000, random);
            InceptionCrop.Box b = uniform.sample(1000, 1000, random);
            meanLogLog += Math.log((double) a.width() / a.height()) / n;
            meanLogUniform += Math.log((double) b.width() / b.height()) / n;
        }
        // log-uniform on [ln ½, ln 2] has mean 0; uniform on [½, 2] has E[ln r] = (2 ln 2 − 2 − (½ ln ½ − ½))/1.5.
        double expectedUniform = (2 * Math.log(2) - 2 - (0.5 * Math.log(0.5) - 0.5)) / 1.5;
        assertEquals(0, meanLogLog, 0.01);
        assertEquals(expectedUniform, meanLogUniform, 0.01);
    }

    @Test
    void fallbackIsTheLargestCentralBoxWithAnAspectInRange() {
        // A 10-pixel-high strip cannot hold a crop of ≥ 90% of its area with aspect ≤ 4/3.
        InceptionCrop crop = new InceptionCrop(0.9, 1, 3 / 4.0, 4 / 3.0, true, 10);
        InceptionCrop.Box b = crop.sample(10, 1000, new SplittableRandom(3));
        assertEquals(new InceptionCrop.Box(0, 493, 10, 13), b);
        // Tall: width 10, height 10/(3/4) = 13.
        assertEquals(new InceptionCrop.Box(493, 0, 13, 10), crop.fallback(1000, 10));
        // In range: the whole image.
        assertEquals(new InceptionCrop.Box(0, 0, 100, 120), crop.fallback(100, 120));
        FloatImage strip = FloatImage.zeros(3, 10, 1000);
        FloatImage out = crop.apply(strip, new SplittableRandom(4));
        assertEquals(10, out.height());
        assertEquals(13, out.width());
    }

    @Test
    void cropCopiesTheRightPixels() {
        float[] data = new float[4 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = i / 100f;
        }
        FloatImage out = new FloatImage(1, 4, 5, data).crop(1, 2, 2, 3);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0.07f, 0.08f, 0.09f, 0.12f, 0.13f, 0.14f},
                out.data(), 0f);
        assertThrows(IllegalArgumentException.class, () -> new FloatImage(1, 4, 5, data).crop(3, 0, 2, 1));
    }

    @Test
    void invalidRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new InceptionCrop(0, 1, 0.75, 1.33, true, 10));
        assertThrows(IllegalArgumentException.class, () -> new InceptionCrop(0.5, 0.4, 0.75, 1.33, true, 10));
        assertThrows(IllegalArgumentException.class, () -> new InceptionCrop(0.5, 1, 2, 1, true, 10));
    }
}
