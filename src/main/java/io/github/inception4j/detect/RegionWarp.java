package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.Interpolation;
import io.github.inception4j.data.Resize;

/**
 * R-CNN's region warp (Girshick et al. 2014, appendix A): the box is dilated so that, once warped to
 * {@code side} × {@code side} whatever its aspect ratio, {@code context} pixels of the surroundings lie on each
 * side; what falls outside the image is filled with zeros (the mean of an image in [0, 1] after centring is not
 * known here; zero is the dark background of the generated set).
 */
public record RegionWarp(int side, int context) {

    public RegionWarp {
        if (side < 1 || context < 0 || 2 * context >= side) {
            throw new IllegalArgumentException("a warp needs side ≥ 1 and 0 ≤ context < side / 2");
        }
    }

    /** R-CNN's: 16 pixels of context around the region in a 227-pixel warp, scaled to {@code side}. */
    public static RegionWarp rcnn(int side) {
        return new RegionWarp(side, Math.round(16f * side / 227));
    }

    /** The region the warp reads: {@code box} grown by context·(size / (side − 2·context)) on each side. */
    public Box dilated(Box box) {
        double inner = side - 2.0 * context;
        double dx = Math.max(box.width(), 1) * context / inner;
        double dy = Math.max(box.height(), 1) * context / inner;
        return new Box(box.x0() - dx, box.y0() - dy, box.x1() + dx, box.y1() + dy);
    }

    /** The warped view of {@code box} in {@code image}: side × side, every channel. */
    public FloatImage apply(FloatImage image, Box box) {
        Box d = dilated(box);
        int x0 = (int) Math.floor(d.x0());
        int y0 = (int) Math.floor(d.y0());
        int w = Math.max(1, (int) Math.ceil(d.x1()) - x0);
        int h = Math.max(1, (int) Math.ceil(d.y1()) - y0);
        int c = image.channels();
        float[] px = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int sy = y0 + y;
                if (sy < 0 || sy >= image.height()) {
                    continue;
                }
                for (int x = 0; x < w; x++) {
                    int sx = x0 + x;
                    if (sx >= 0 && sx < image.width()) {
                        px[(ch * h + y) * w + x] = image.get(ch, sy, sx);
                    }
                }
            }
        }
        return Resize.apply(new FloatImage(c, h, w, px), side, side, Interpolation.BILINEAR);
    }
}
