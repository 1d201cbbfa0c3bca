package io.github.inception4j.eval;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.Interpolation;
import io.github.inception4j.data.Resize;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of the multi-crop test protocols (P1 §7), as plain boxes so it can be checked by hand, and the
 * views it cuts from an image. Sizes are given for P1's 224 × 224 input and scaled in proportion for others
 * (299 → shorter sides 342, 384, 427, 470).
 */
public final class Crops {

    /** P1 §7: the shorter side is resized to each of these for a 224 input. */
    public static final int[] P1_SCALES = {256, 288, 320, 352};

    /** A rectangle {@code [top, top+height) × [left, left+width)}. */
    public record Box(int top, int left, int height, int width) {
    }

    private Crops() {
    }

    /** The four corners (top-left, top-right, bottom-left, bottom-right) and the centre, each size × size. */
    public static List<Box> fiveCrops(int height, int width, int size) {
        if (height < size || width < size) {
            throw new IllegalArgumentException("cannot cut " + size + "×" + size + " crops from " + height + "×"
                    + width);
        }
        return List.of(new Box(0, 0, size, size), new Box(0, width - size, size, size),
                new Box(height - size, 0, size, size), new Box(height - size, width - size, size, size),
                new Box((height - size) / 2, (width - size) / 2, size, size));
    }

    /** P1 §7's three squares: left, centre and right (landscape or square), or top, centre and bottom (portrait). */
    public static List<Box> squares(int height, int width) {
        int side = Math.min(height, width);
        if (width >= height) {
            return List.of(new Box(0, 0, side, side), new Box(0, (width - side) / 2, side, side),
                    new Box(0, width - side, side, side));
        }
        return List.of(new Box(0, 0, side, side), new Box((height - side) / 2, 0, side, side),
                new Box(height - side, 0, side, side));
    }

    /**
     * The 10 views: the shorter side resized to 256 (for 224; {@link Resize#scaledFrom224}), the five crops, then the same five
     * mirrored.
     */
    public static List<FloatImage> tenCrop(FloatImage image, int size, Interpolation method) {
        FloatImage resized = Resize.toShorterSide(image, Resize.scaledFrom224(256, size), method);
        List<FloatImage> views = new ArrayList<>(10);
        for (Box box : fiveCrops(resized.height(), resized.width(), size)) {
            views.add(cut(resized, box));
        }
        return withMirrors(views);
    }

    /**
     * The 144 views of P1 §7: for each of 4 scales, 3 squares; for each square the five crops and the whole
     * square resized to the input size (6 views); and every view mirrored — 4 × 3 × 6 × 2. Order: by scale, then
     * square, the six views and then their six mirrors.
     */
    public static List<FloatImage> multiCrop144(FloatImage image, int size, Interpolation method) {
        List<FloatImage> views = new ArrayList<>(144);
        for (int scale : P1_SCALES) {
            FloatImage resized = Resize.toShorterSide(image, Resize.scaledFrom224(scale, size), method);
            for (Box square : squares(resized.height(), resized.width())) {
                FloatImage sq = cut(resized, square);
                List<FloatImage> six = new ArrayList<>(6);
                for (Box box : fiveCrops(sq.height(), sq.width(), size)) {
                    six.add(cut(sq, box));
                }
                six.add(Resize.apply(sq, size, size, method));
                views.addAll(withMirrors(six));
            }
        }
        return views;
    }

    private static FloatImage cut(FloatImage image, Box box) {
        return image.crop(box.top(), box.left(), box.height(), box.width());
    }

    /** The views, then each of them mirrored left to right, in the same order. */
    static List<FloatImage> withMirrors(List<FloatImage> views) {
        List<FloatImage> out = new ArrayList<>(views);
        views.forEach(v -> out.add(v.flipHorizontally()));
        return out;
    }
}
