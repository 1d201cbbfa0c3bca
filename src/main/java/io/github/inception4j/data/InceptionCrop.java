package io.github.inception4j.data;

import java.util.SplittableRandom;

/**
 * The random crop of P1 §6 (as torchvision's RandomResizedCrop samples it): a rectangle whose area is a uniform
 * fraction of the image in {@code [minArea, maxArea]} and whose aspect ratio w/h lies in
 * {@code [minAspect, maxAspect]}, log-uniformly (torchvision) or uniformly (P1's words). Up to {@code attempts}
 * draws (torchvision 10, TF 100); if none fits, the fallback is the largest central rectangle whose aspect ratio is
 * clamped into the range, so the result is never the wrong shape.
 */
public record InceptionCrop(double minArea, double maxArea, double minAspect, double maxAspect,
                            boolean logUniformAspect, int attempts) {

    /** A rectangle of the source image: rows {@code [top, top+height)}, columns {@code [left, left+width)}. */
    public record Box(int top, int left, int height, int width) {
    }

    public InceptionCrop {
        if (!(minArea > 0 && minArea <= maxArea && maxArea <= 1)) {
            throw new IllegalArgumentException("crop area range must satisfy 0 < min ≤ max ≤ 1, got [" + minArea
                    + ", " + maxArea + "]");
        }
        if (!(minAspect > 0 && minAspect <= maxAspect)) {
            throw new IllegalArgumentException("aspect range must satisfy 0 < min ≤ max, got [" + minAspect + ", "
                    + maxAspect + "]");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    /** torchvision's defaults: area [0.08, 1], aspect [3/4, 4/3] log-uniform, 10 attempts. */
    public static InceptionCrop torchvision() {
        return new InceptionCrop(0.08, 1, 3 / 4.0, 4 / 3.0, true, 10);
    }

    public Box sample(int height, int width, SplittableRandom random) {
        double area = (double) height * width;
        for (int i = 0; i < attempts; i++) {
            double targetArea = area * (minArea + (maxArea - minArea) * random.nextDouble());
            double aspect = logUniformAspect
                    ? Math.exp(Math.log(minAspect) + (Math.log(maxAspect) - Math.log(minAspect)) * random.nextDouble())
                    : minAspect + (maxAspect - minAspect) * random.nextDouble();
            int w = (int) Math.round(Math.sqrt(targetArea * aspect));
            int h = (int) Math.round(Math.sqrt(targetArea / aspect));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                return new Box(random.nextInt(height - h + 1), random.nextInt(width - w + 1), h, w);
            }
        }
        return fallback(height, width);
    }

    /** The whole image when its aspect ratio is in range, else the largest central box at the nearest bound. */
    public Box fallback(int height, int width) {
        double ratio = (double) width / height;
        int w = width;
        int h = height;
        if (ratio < minAspect) {
            h = Math.max(1, Math.min(height, (int) Math.round(width / minAspect)));
        } else if (ratio > maxAspect) {
            w = Math.max(1, Math.min(width, (int) Math.round(height * maxAspect)));
        }
        return new Box((height - h) / 2, (width - w) / 2, h, w);
    }

    public FloatImage apply(FloatImage image, SplittableRandom random) {
        Box b = sample(image.height(), image.width(), random);
        return image.crop(b.top(), b.left(), b.height(), b.width());
    }
}
