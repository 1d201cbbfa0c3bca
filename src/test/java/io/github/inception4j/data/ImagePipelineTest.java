package io.github.inception4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImagePipelineTest {

    private static final Preprocessing.Normalization IDENTITY = new Preprocessing.Normalization(
            new double[] {0, 0, 0}, new double[] {1, 1, 1}, false);

    private static FloatImage ramp(int channels, int h, int w) {
        float[] data = new float[channels * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % (h * w)) / (float) (h * w);
        }
        return new FloatImage(channels, h, w, data);
    }

    @Test
    void flipMirrorsEachRow() {
        FloatImage image = new FloatImage(1, 2, 3, new float[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, image.flipHorizontally().data(), 0f);
    }

    @Test
    void flipHappensWithTheGivenProbability() {
        Augmentation flipOnly = new Augmentation(false, InceptionCrop.torchvision(), List.of("nearest"), 0.5,
                Photometric.NONE);
        ImagePipeline pipeline = new ImagePipeline(flipOnly, Preprocessing.tensorflow(4));
        FloatImage image = ramp(1, 4, 4);
        float[] plain = pipeline.eval(image);
        int flipped = 0;
        for (int seed = 0; seed < 2000; seed++) {
            float[] x = pipeline.train(image, new SplittableRandom(seed));
            if (!java.util.Arrays.equals(x, plain)) {
                flipped++;
            }
        }
        assertEquals(1000, flipped, 80);
    }

    @Test
    void evalTakesTheCentralFractionThenResizes() {
        // 0.875 of 32 is 28: the crop starts at 2; at input size 28 no resize follows.
        FloatImage image = ramp(3, 32, 32);
        Preprocessing prep = Preprocessing.centralCrop("t", 28, 0.875, IDENTITY);
        FloatImage view = ImagePipeline.evalView(image, prep);
        assertEquals(image.crop(2, 2, 28, 28), view);
    }

    @Test
    void torchvisionEvalResizesTheShorterSideThenCrops() {
        Preprocessing prep = new Preprocessing("t", 4, 8, 0, IDENTITY, Interpolation.AREA);
        FloatImage image = ramp(1, 16, 32);
        FloatImage view = ImagePipeline.evalView(image, prep);
        FloatImage expected = Resize.apply(image, 8, 16, Interpolation.AREA).crop(2, 6, 4, 4);
        assertEquals(expected, view);
    }

    @Test
    void grayBecomesThreeNormalisedChannels() {
        ImagePipeline pipeline = new ImagePipeline(Augmentation.none(), Preprocessing.centralCrop("t", 2, 1,
                Preprocessing.Normalization.MINUS_ONE_TO_ONE));
        float[] x = pipeline.eval(new FloatImage(1, 2, 2, new float[] {0, 0.25f, 0.5f, 1}));
        assertArrayEquals(new float[] {-1, -0.5f, 0, 1, -1, -0.5f, 0, 1, -1, -0.5f, 0, 1}, x, 1e-6f);
    }

    @Test
    void bgrWeightsGetChannelsReversedAndTheirOwnMeans() {
        ImagePipeline pipeline = new ImagePipeline(Augmentation.none(), Preprocessing.centralCrop("t", 1, 1,
                new Preprocessing.Normalization(new double[] {0.1, 0.2, 0.3}, new double[] {1, 1, 2}, true)));
        float[] x = pipeline.eval(new FloatImage(3, 1, 1, new float[] {0.5f, 0.6f, 0.7f}));
        // out[0] = (B − mean[2]) / std[2], out[2] = (R − mean[0]) / std[0]
        assertArrayEquals(new float[] {(0.7f - 0.3f) / 2, 0.6f - 0.2f, 0.5f - 0.1f}, x, 1e-6f);
    }

    @Test
    void trainOutputsAlwaysHaveTheInputSize() {
        Augmentation heavy = new Augmentation(true, InceptionCrop.torchvision(),
                List.of("bilinear", "area", "nearest", "bicubic"), 0.5, new Photometric(0.1, 0.5, 0.2, 0.5));
        ImagePipeline pipeline = new ImagePipeline(heavy, Preprocessing.tensorflow(20));
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 200; i++) {
            float[] x = pipeline.train(ramp(3, 5 + random.nextInt(60), 5 + random.nextInt(60)), random);
            assertEquals(3 * 20 * 20, x.length);
            for (float v : x) {
                assertTrue(v >= -1 - 1e-6 && v <= 1 + 1e-6);
            }
        }
    }
}
