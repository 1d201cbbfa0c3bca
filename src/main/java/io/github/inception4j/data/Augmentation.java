package io.github.inception4j.data;

import java.util.List;

/**
 * Training-time distortions (P1 §6, P2 §8 via TF-slim's inception_preprocessing): an {@link InceptionCrop}, a
 * resize with an interpolation drawn uniformly from {@code interpolations}, a horizontal flip with probability
 * {@code flip}, and {@link Photometric} distortions. Every field is a recipe setting.
 *
 * @param randomCrop whether to crop at all (off: the whole image is resized and {@code crop} is not used)
 * @param interpolations ids of {@link Interpolation}; one is drawn per image
 */
public record Augmentation(boolean randomCrop, InceptionCrop crop, List<String> interpolations, double flip,
                           Photometric photometric) {

    public Augmentation {
        interpolations = List.copyOf(interpolations);
        if (interpolations.isEmpty()) {
            throw new IllegalArgumentException("augmentation needs at least one interpolation");
        }
        interpolations.forEach(Interpolation::byId);
        if (flip < 0 || flip > 1) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flip);
        }
        if (crop == null || photometric == null) {
            throw new IllegalArgumentException("augmentation needs its crop and photometric settings");
        }
    }

    /** Nothing but the resize (bilinear): what evaluation-like training looks like. */
    public static Augmentation none() {
        return new Augmentation(false, InceptionCrop.torchvision(), List.of("bilinear"), 0, Photometric.NONE);
    }

    public List<Interpolation> interpolationMethods() {
        return interpolations.stream().map(Interpolation::byId).toList();
    }
}
