package io.github.inception4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.data.Interpolation;
import io.github.inception4j.data.Resize;
import io.github.inception4j.eval.Crops.Box;
import io.github.inception4j.data.Preprocessing;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The crop protocols' geometry against boxes computed by hand (P1 §7), and the views cut with it. */
class CropsTest {

    @Test
    void fiveCropsOfA256By341ImageAt224() {
        // 341 − 224 = 117 columns and 256 − 224 = 32 rows to spare; the centre takes half of each (floored).
        assertEquals(List.of(new Box(0, 0, 224, 224), new Box(0, 117, 224, 224), new Box(32, 0, 224, 224),
                new Box(32, 117, 224, 224), new Box(16, 58, 224, 224)), Crops.fiveCrops(256, 341, 224));
        assertThrows(IllegalArgumentException.class, () -> Crops.fiveCrops(200, 341, 224));
    }

    @Test
    void threeSquaresAreLeftCentreRightOrTopCentreBottom() {
        // Landscape 256 × 341: squares of 256 at x = 0, (341 − 256) / 2 = 42, 341 − 256 = 85.
        assertEquals(List.of(new Box(0, 0, 256, 256), new Box(0, 42, 256, 256), new Box(0, 85, 256, 256)),
                Crops.squares(256, 341));
        assertEquals(List.of(new Box(0, 0, 256, 256), new Box(42, 0, 256, 256), new Box(85, 0, 256, 256)),
                Crops.squares(341, 256));
        assertEquals(List.of(new Box(0, 0, 50, 50), new Box(0, 0, 50, 50), new Box(0, 0, 50, 50)),
                Crops.squares(50, 50));
    }

    @Test
    void scalesFollowTheInputSize() {
        assertArrayEquals(new int[] {256, 288, 320, 352}, java.util.Arrays.stream(Crops.P1_SCALES)
                .map(s -> Resize.scaledFrom224(s, 224)).toArray());
        // 299/224 × (256, 288, 320, 352) = 341.7, 384.4, 427.1, 469.9.
        assertArrayEquals(new int[] {342, 384, 427, 470}, java.util.Arrays.stream(Crops.P1_SCALES)
                .map(s -> Resize.scaledFrom224(s, 299)).toArray());
        assertArrayEquals(new int[] {256, 341}, Resize.shorterSideSize(480, 640, 256)); // 640 × 256 / 480 = 341.3
        assertArrayEquals(new int[] {341, 256}, Resize.shorterSideSize(640, 480, 256));
    }

    private static FloatImage ramp(int channels, int h, int w) {
        float[] data = new float[channels * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % 97) / 97f;
        }
        return new FloatImage(channels, h, w, data);
    }

    @Test
    void tenCropIsFiveCropsOfTheResizedImageThenTheirMirrors() {
        FloatImage image = ramp(3, 30, 40);
        int size = 16; // shorter side 16 × 256 / 224 = 18.3 → 18; the image becomes 18 × 24.
        List<FloatImage> views = Crops.tenCrop(image, size, Interpolation.BILINEAR);
        FloatImage resized = Resize.apply(image, 18, 24, Interpolation.BILINEAR);
        assertEquals(10, views.size());
        assertEquals(resized.crop(0, 0, 16, 16), views.get(0));
        assertEquals(resized.crop(0, 8, 16, 16), views.get(1));
        assertEquals(resized.crop(2, 0, 16, 16), views.get(2));
        assertEquals(resized.crop(2, 8, 16, 16), views.get(3));
        assertEquals(resized.crop(1, 4, 16, 16), views.get(4));
        for (int i = 0; i < 5; i++) {
            assertEquals(views.get(i).flipHorizontally(), views.get(5 + i));
        }
    }

    @Test
    void multiCrop144IsScalesTimesSquaresTimesSixTimesMirror() {
        FloatImage image = ramp(1, 30, 40);
        int size = 16;
        List<FloatImage> views = Crops.multiCrop144(image, size, Interpolation.BILINEAR);
        assertEquals(144, views.size());
        views.forEach(v -> assertEquals(size, v.height()));
        views.forEach(v -> assertEquals(size, v.width()));
        // Last scale: 16 × 352 / 224 = 25.1 → 25; the image becomes 25 × 33 (40 × 25 / 30 = 33.3); its right
        // square starts at column 8; that square's views are the last twelve.
        FloatImage resized = Resize.apply(image, 25, 33, Interpolation.BILINEAR);
        FloatImage right = resized.crop(0, 8, 25, 25);
        List<FloatImage> last = views.subList(132, 144);
        assertEquals(right.crop(0, 0, 16, 16), last.get(0));
        assertEquals(right.crop(9, 9, 16, 16), last.get(3));
        assertEquals(right.crop(4, 4, 16, 16), last.get(4));
        assertEquals(Resize.apply(right, 16, 16, Interpolation.BILINEAR), last.get(5));
        for (int i = 0; i < 6; i++) {
            assertEquals(last.get(i).flipHorizontally(), last.get(6 + i));
        }
        // First scale: 16 × 256 / 224 → 18; 18 × 24; the first view is the top-left crop of the left square.
        assertEquals(Resize.apply(image, 18, 24, Interpolation.BILINEAR).crop(0, 0, 16, 16), views.get(0));
    }

    @Test
    void eachProtocolCostsItsViews() {
        FloatImage image = ramp(3, 28, 28);
        Preprocessing p = Preprocessing.tensorflow(20);
        for (CropProtocol protocol : CropProtocol.values()) {
            assertEquals(protocol.views(), protocol.views(image, p).size(), protocol.id());
        }
        assertEquals(ImagePipeline.evalView(image, p), CropProtocol.CENTER.views(image, p).get(0));
        List<FloatImage> mirror = CropProtocol.MIRROR.views(image, p);
        assertEquals(List.of(ImagePipeline.evalView(image, p), ImagePipeline.evalView(image, p).flipHorizontally()),
                mirror);
        assertEquals(List.of(CropProtocol.CENTER, CropProtocol.MIRROR, CropProtocol.TEN), CropProtocol.TEN.upTo());
        assertEquals(CropProtocol.MIRROR, CropProtocol.byId("mirror"));
        assertEquals(CropProtocol.MULTI_144, CropProtocol.byId("144"));
        assertThrows(IllegalArgumentException.class, () -> CropProtocol.byId("12"));
    }
}
