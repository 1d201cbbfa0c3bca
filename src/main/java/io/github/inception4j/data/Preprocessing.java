package io.github.inception4j.data;

/**
 * How images must be prepared for a set of weights; it belongs to the weights, never to the network (a mismatch
 * silently costs accuracy). Pixels are first scaled to [0, 1] (RGB), then x_c ↦ (x_c − mean_c) / std_c.
 *
 * @param resize shorter side before the crop (torchvision), or 0 to crop a fraction of the image instead
 * @param cropFraction central crop as a fraction of the shorter side when {@code resize} is 0 (TF: 0.875)
 * @param bgr whether channels are fed in BGR order (Caffe)
 */
public record Preprocessing(String name, int inputSize, int resize, double cropFraction, double[] mean, double[] std,
                            boolean bgr, Interpolation interpolation) {

    /** The names {@link #byName} takes. */
    public static final java.util.List<String> NAMES = java.util.List.of("torchvision", "tf", "caffe");

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

    public static Preprocessing torchvision(int inputSize, int resize) {
        return new Preprocessing("torchvision-imagenet", inputSize, resize, 0, new double[] {0.485, 0.456, 0.406},
                new double[] {0.229, 0.224, 0.225}, false, Interpolation.BILINEAR);
    }

    /** TF-slim / Keras Inception: [−1, 1] scaling, central crop 0.875, bilinear. */
    public static Preprocessing tensorflow(int inputSize) {
        return new Preprocessing("tf-inception", inputSize, 0, 0.875, new double[] {0.5, 0.5, 0.5},
                new double[] {0.5, 0.5, 0.5}, false, Interpolation.BILINEAR);
    }

    /** Caffe bvlc_googlenet: BGR, mean 104/117/123 on the 0–255 scale, no std. */
    public static Preprocessing caffe(int inputSize) {
        return new Preprocessing("caffe-bgr-mean", inputSize, 256, 0, new double[] {104 / 255.0, 117 / 255.0,
                123 / 255.0}, new double[] {1 / 255.0, 1 / 255.0, 1 / 255.0}, true, Interpolation.BILINEAR);
    }
}
