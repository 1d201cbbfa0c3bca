package io.github.inception4j.data;

import java.util.Arrays;

/**
 * A decoded image as planar float samples in [0, 1]: {@code data[(c·height + y)·width + x]} (CHW). One channel
 * is grayscale, three are RGB. Transforms return new images and never modify their input.
 */
public final class FloatImage {

    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;

    public FloatImage(int channels, int height, int width, float[] data) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("an image has 1 (gray) or 3 (RGB) channels, not " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("empty image " + width + "×" + height);
        }
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException("image data holds " + data.length + " samples, " + channels + "×"
                    + height + "×" + width + " needs " + channels * height * width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
    }

    public static FloatImage zeros(int channels, int height, int width) {
        return new FloatImage(channels, height, width, new float[channels * height * width]);
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The samples themselves (CHW), not a copy. */
    public float[] data() {
        return data;
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** Grayscale repeated into three channels; an RGB image is returned as it is. */
    public FloatImage toRgb() {
        if (channels == 3) {
            return this;
        }
        float[] rgb = new float[3 * data.length];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(data, 0, rgb, c * data.length, data.length);
        }
        return new FloatImage(3, height, width, rgb);
    }

    /** The rectangle {@code [top, top+h) × [left, left+w)}, which must lie inside the image. */
    public FloatImage crop(int top, int left, int h, int w) {
        if (top < 0 || left < 0 || h < 1 || w < 1 || top + h > height || left + w > width) {
            throw new IllegalArgumentException("crop " + w + "×" + h + " at (" + left + ", " + top
                    + ") does not fit in " + width + "×" + height);
        }
        float[] out = new float[channels * h * w];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(data, (c * height + top + y) * width + left, out, (c * h + y) * w, w);
            }
        }
        return new FloatImage(channels, h, w, out);
    }

    /** Mirrored left to right. */
    public FloatImage flipHorizontally() {
        float[] out = new float[data.length];
        for (int row = 0; row < channels * height; row++) {
            int base = row * width;
            for (int x = 0; x < width; x++) {
                out[base + x] = data[base + width - 1 - x];
            }
        }
        return new FloatImage(channels, height, width, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatImage f && f.channels == channels && f.height == height && f.width == width
                && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + (channels * 31 + height) * 31 + width;
    }

    @Override
    public String toString() {
        return "FloatImage[" + channels + "×" + height + "×" + width + "]";
    }
}
