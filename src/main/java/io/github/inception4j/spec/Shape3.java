package io.github.inception4j.spec;

/**
 * The shape of one image's activations, channels × height × width (the batch dimension is left out).
 * Printed the way the papers print it: {@code 112×112×64} (height × width × depth).
 */
public record Shape3(int channels, int height, int width) {

    public Shape3 {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("every dimension must be positive, was " + channels + "×" + height + "×" + width);
        }
    }

    /** A square RGB (or any-channel) image. */
    public static Shape3 square(int channels, int size) {
        return new Shape3(channels, size, size);
    }

    public long elements() {
        return (long) channels * height * width;
    }

    public Shape3 withChannels(int newChannels) {
        return new Shape3(newChannels, height, width);
    }

    /** As a {@code [C, H, W]} array, the order the JSON contract and NCHW tensors use. */
    public int[] toChw() {
        return new int[] {channels, height, width};
    }

    @Override
    public String toString() {
        return height + "×" + width + "×" + channels;
    }
}
