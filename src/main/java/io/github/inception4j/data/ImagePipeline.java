package io.github.inception4j.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a decoded image into the network's input (3 × S × S, normalised as {@link Preprocessing} says): with
 * random {@link Augmentation} for training, deterministically for evaluation. Grayscale is repeated into three
 * channels after the distortions, so it costs nothing extra.
 */
public final class ImagePipeline {

    private final Augmentation augmentation;
    private final Preprocessing preprocessing;
    private final List<Interpolation> interpolations;
    private final InceptionCrop crop;
    private final Photometric photometric;

    public ImagePipeline(Augmentation augmentation, Preprocessing preprocessing) {
        this.augmentation = augmentation;
        this.preprocessing = preprocessing;
        this.interpolations = augmentation.interpolationMethods();
        this.crop = augmentation.crop();
        this.photometric = augmentation.photometric();
    }

    public int inputSize() {
        return preprocessing.inputSize();
    }

    /** Floats per sample: 3 × S × S. */
    public int sampleLength() {
        return 3 * inputSize() * inputSize();
    }

    /**
     * The shorter side of an image beyond which training gains nothing: the smallest Inception crop (min area,
     * widest aspect) still gets {@code inputSize} pixels a side. Larger images may be decoded subsampled.
     */
    public int viewSide() {
        if (!augmentation.randomCrop()) {
            return inputSize();
        }
        double side = Math.sqrt(crop.minArea() / Math.max(crop.maxAspect(), 1 / crop.minAspect()));
        return (int) Math.ceil(inputSize() / Math.min(1, side));
    }

    /** {@link #train} as a loader transform that knows its {@link #viewSide}. */
    public DataLoader.SampleTransform trainTransform() {
        return new DataLoader.SampleTransform() {
            @Override
            public float[] apply(FloatImage image, SplittableRandom random) {
                return train(image, random);
            }

            @Override
            public int viewSide() {
                return ImagePipeline.this.viewSide();
            }
        };
    }

    /** {@link #eval} as a loader transform that knows its view side ({@link #evalViewSide}). */
    public DataLoader.SampleTransform evalTransform() {
        return new DataLoader.SampleTransform() {
            @Override
            public float[] apply(FloatImage image, SplittableRandom random) {
                return eval(image);
            }

            @Override
            public int viewSide() {
                return evalViewSide(preprocessing);
            }
        };
    }

    /** The shorter side the evaluation view is taken from: the resize, or the input over the crop fraction. */
    public static int evalViewSide(Preprocessing preprocessing) {
        if (preprocessing.resize() > 0) {
            return preprocessing.resize();
        }
        double f = preprocessing.cropFraction() > 0 ? preprocessing.cropFraction() : 1;
        return (int) Math.ceil(preprocessing.inputSize() / f);
    }

    public float[] train(FloatImage image, SplittableRandom random) {
        FloatImage x = augmentation.randomCrop() ? crop.apply(image, random) : image;
        Interpolation method = interpolations.get(random.nextInt(interpolations.size()));
        x = Resize.apply(x, inputSize(), inputSize(), method);
        if (augmentation.flip() > 0 && random.nextDouble() < augmentation.flip()) {
            x = x.flipHorizontally();
        }
        if (!photometric.isIdentity()) {
            x = photometric.apply(x, random);
        }
        return normalize(x, preprocessing);
    }

    public float[] eval(FloatImage image) {
        return normalize(evalView(image, preprocessing), preprocessing);
    }

    /**
     * The evaluation view, before normalisation: torchvision's resize-shorter-side-then-centre-crop when
     * {@code preprocessing.resize() > 0}, else TF's central crop of {@code cropFraction} of each side, resized.
     */
    public static FloatImage evalView(FloatImage image, Preprocessing preprocessing) {
        int size = preprocessing.inputSize();
        Interpolation method = preprocessing.interpolation();
        if (preprocessing.resize() > 0) {
            FloatImage resized = Resize.toShorterSide(image, Math.max(size, preprocessing.resize()), method);
            return resized.crop((resized.height() - size) / 2, (resized.width() - size) / 2, size, size);
        }
        double f = preprocessing.cropFraction() > 0 ? preprocessing.cropFraction() : 1;
        int h = Math.max(1, (int) Math.round(image.height() * f));
        int w = Math.max(1, (int) Math.round(image.width() * f));
        FloatImage central = image.crop((image.height() - h) / 2, (image.width() - w) / 2, h, w);
        return Resize.apply(central, size, size, method);
    }

    /** (x − mean_c) / std_c per channel of the RGB image, channels reversed for BGR weights; 3 × S × S floats. */
    public static float[] normalize(FloatImage image, Preprocessing preprocessing) {
        float[] out = new float[3 * image.height() * image.width()];
        normalize(image, preprocessing, out, 0);
        return out;
    }

    /** As {@link #normalize(FloatImage, Preprocessing)}, into {@code out} from {@code offset} (batches of views). */
    public static void normalize(FloatImage image, Preprocessing preprocessing, float[] out, int offset) {
        FloatImage rgb = image.toRgb();
        float[] in = rgb.data();
        int plane = rgb.height() * rgb.width();
        Preprocessing.Normalization n = preprocessing.normalization();
        double[] means = n.mean();
        double[] stds = n.std();
        for (int c = 0; c < 3; c++) {
            int src = n.bgr() ? 2 - c : c;
            float mean = (float) means[src];
            float inv = (float) (1 / stds[src]);
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                out[base + i] = (in[src * plane + i] - mean) * inv;
            }
        }
    }
}
