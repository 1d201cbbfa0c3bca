package io.github.inception4j.detect;

/**
 * An axis-aligned box in continuous pixel coordinates: pixel (i, j) covers [i, i+1) × [j, j+1), so a box from x0 to
 * x1 is x1 − x0 pixels wide. COCO's {@code [x, y, w, h]} maps directly; VOC's 1-based inclusive corners map to
 * {@code (xmin − 1, ymin − 1, xmax, ymax)}, which keeps VOC's areas ((xmax − xmin + 1)·(ymax − ymin + 1)) and so
 * its IoUs. Boxes follow every crop, flip and resize of an image through {@link #cropped}, {@link #flipped} and
 * {@link #scaled}.
 */
public record Box(double x0, double y0, double x1, double y1) {

    public Box {
        if (!Double.isFinite(x0) || !Double.isFinite(y0) || !Double.isFinite(x1) || !Double.isFinite(y1)
                || x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("a box needs finite corners with x0 ≤ x1 and y0 ≤ y1, got (" + x0 + ", "
                    + y0 + ", " + x1 + ", " + y1 + ")");
        }
    }

    /** COCO's {@code [x, y, width, height]}. */
    public static Box ofCoco(double x, double y, double width, double height) {
        return new Box(x, y, x + width, y + height);
    }

    /** VOC's 1-based inclusive pixel corners. */
    public static Box ofVoc(double xmin, double ymin, double xmax, double ymax) {
        return new Box(xmin - 1, ymin - 1, xmax, ymax);
    }

    public double width() {
        return x1 - x0;
    }

    public double height() {
        return y1 - y0;
    }

    public double area() {
        return width() * height();
    }

    public boolean isEmpty() {
        return width() <= 0 || height() <= 0;
    }

    /** COCO's {@code [x, y, width, height]}. */
    public double[] toCoco() {
        return new double[] {x0, y0, width(), height()};
    }

    /** The area both boxes cover. */
    public double intersection(Box other) {
        double w = Math.min(x1, other.x1) - Math.max(x0, other.x0);
        double h = Math.min(y1, other.y1) - Math.max(y0, other.y0);
        return w > 0 && h > 0 ? w * h : 0;
    }

    /** Intersection over union; 0 for two empty boxes. */
    public double iou(Box other) {
        double inter = intersection(other);
        double union = area() + other.area() - inter;
        return union > 0 ? inter / union : 0;
    }

    /** The box in an image mirrored left to right ({@code imageWidth} wide). */
    public Box flipped(double imageWidth) {
        return new Box(imageWidth - x1, y0, imageWidth - x0, y1);
    }

    /** The box in an image resized by {@code sx} horizontally and {@code sy} vertically. */
    public Box scaled(double sx, double sy) {
        return new Box(x0 * sx, y0 * sy, x1 * sx, y1 * sy);
    }

    /**
     * The box in the crop of rows [top, top + height) and columns [left, left + width), cut to the crop (possibly
     * {@link #isEmpty empty} when the box lies outside it).
     */
    public Box cropped(double top, double left, double height, double width) {
        double nx0 = Math.min(Math.max(x0 - left, 0), width);
        double ny0 = Math.min(Math.max(y0 - top, 0), height);
        double nx1 = Math.min(Math.max(x1 - left, 0), width);
        double ny1 = Math.min(Math.max(y1 - top, 0), height);
        return new Box(nx0, ny0, nx1, ny1);
    }
}
