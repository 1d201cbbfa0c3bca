package io.github.inception4j.data;

/**
 * How images must be prepared for a set of weights; it belongs to the weights, never to the network (a mismatch
 * silently costs accuracy). The evaluation view is taken ({@code resize}, {@code cropFraction}), then normalised.
 *
 * @param resize shorter side before the crop (torchvision), or 0 to crop a fraction of the image instead
 * @param cropFraction central crop as a fraction of the shorter side when {@code resize} is 0 (TF: 0.875)
 */
public record Preprocessing(String name, int inputSize, int resize, double cropFraction, Normalization normalization,
                            Interpolation interpolation) {

    /** The names {@link #byName} takes. */
    public static final java.util.List<String> NAMES = java.util.List.of("torchvision", "tf", "caffe");

    /**
     * Pixels are scaled to [0, 1] (RGB), then x_c ↦ (x_c − mean_c) / std_c, channel c taken in BGR order when
     * {@code bgr} (Caffe).
     */
    public record Normalization(double[] mean, double[] std, boolean bgr) {

        /** torchvision's ImageNet statistics. */
        public static final Normalization IMAGENET = new Normalization(new double[] {0.485, 0.456, 0.406},
                new double[] {0.229, 0.224, 0.225}, false);
        /** TF-slim's and Keras' Inception scaling: [0, 1] → [−1, 1]. */
        public static final Normalization MINUS_ONE_TO_ONE = new Normalization(new double[] {0.5, 0.5, 0.5},
                new double[] {0.5, 0.5, 0.5}, false);
        /** Caffe bvlc_googlenet: BGR, mean 104/117/123 on the 0–255 scale, no std. */
        public static final Normalization CAFFE = new Normalization(new double[] {104 / 255.0, 117 / 255.0,
                123 / 255.0}, new double[] {1 / 255.0, 1 / 255.0, 1 / 255.0}, true);

        public Normalization {
            if (mean == null || std == null || mean.length != 3 || std.length != 3) {
                throw new IllegalArgumentException("normalisation needs three means and three standard deviations");
            }
            mean = mean.clone();
            std = std.clone();
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] std() {
            return std.clone();
        }
    }

    /** torchvision | tf | caffe, for an input size. */
    public static Preprocessing byName(String name, int inputSize) {
        return switch (name) {
            // torchvision resizes the shorter side to 256 for 224 and 342 for 299: 8/7 of the input, rounded.
            case "torchvision" -> torchvision(inputSize, Resize.scaledFrom224(256, inputSize));
            case "tf" -> tensorflow(inputSize);
            case "caffe" -> caffe(inputSize);
            default -> throw new IllegalArgumentException("unknown preprocessing '" + name + "'; use "
                    + String.join(", ", NAMES));
        };
    }

    /** torchvision's ImageNet evaluation: shorter side to {@code resize}, central crop, ImageNet statistics. */
    public static Preprocessing torchvision(int inputSize, int resize) {
        return new Preprocessing("torchvision-imagenet", inputSize, resize, 0, Normalization.IMAGENET,
                Interpolation.BILINEAR);
    }

    /** TF-slim / Keras Inception: [−1, 1] scaling, central crop 0.875, bilinear. */
    public static Preprocessing tensorflow(int inputSize) {
        return centralCrop("tf-inception", inputSize, 0.875, Normalization.MINUS_ONE_TO_ONE);
    }

    /** Caffe bvlc_googlenet: shorter side to 256, central crop, BGR mean subtraction. */
    public static Preprocessing caffe(int inputSize) {
        return new Preprocessing("caffe-bgr-mean", inputSize, 256, 0, Normalization.CAFFE, Interpolation.BILINEAR);
    }

    /** TF's evaluation view: the central {@code fraction} of each side, resized to the input (bilinear). */
    public static Preprocessing centralCrop(String name, int inputSize, double fraction, Normalization normalization) {
        return new Preprocessing(name, inputSize, 0, fraction, normalization, Interpolation.BILINEAR);
    }
}
