package io.github.inception4j.data;

import java.util.List;

/**
 * Training-time distortions (P1 §6, P2 §8 via TF-slim's inception_preprocessing): an {@link InceptionCrop}, a
 * resize with an interpolation drawn uniformly from {@code interpolations}, a horizontal flip with probability
 * {@code flip}, and {@link Photometric} distortions. Every field is a recipe setting.
 *
 * @param randomCrop whether to crop at all (off: the whole image is resized)
 * @param interpolations ids of {@link Interpolation}; one is drawn per image
 */
public record Augmentation(boolean randomCrop, double minArea, double maxArea, double minAspect, double maxAspect,
                           boolean logUniformAspect, int cropAttempts, List<String> interpolations, double flip,
                           double brightness, double saturation, double hue, double contrast) {

    public Augmentation {
        interpolations = List.copyOf(interpolations);
        if (interpolations.isEmpty()) {
            throw new IllegalArgumentException("augmentation needs at least one interpolation");
        }
        interpolations.forEach(Interpolation::byId);
        if (flip < 0 || flip > 1) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flip);
        }
        // Validate the crop and distortion settings now (the compact constructor sees parameters, not fields).
        new InceptionCrop(minArea, maxArea, minAspect, maxAspect, logUniformAspect, cropAttempts);
        new Photometric(brightness, saturation, hue, contrast);
    }

    /** Nothing but the resize (bilinear): what evaluation-like training looks like. */
    public static Augmentation none() {
        return new Augmentation(false, 1, 1, 3 / 4.0, 4 / 3.0, true, 10, List.of("bilinear"), 0, 0, 0, 0, 0);
    }

    public InceptionCrop crop() {
        return new InceptionCrop(minArea, maxArea, minAspect, maxAspect, logUniformAspect, cropAttempts);
    }

    public Photometric photometric() {
        return new Photometric(brightness, saturation, hue, contrast);
    }

    public List<Interpolation> interpolationMethods() {
        return interpolations.stream().map(Interpolation::byId).toList();
    }
}
