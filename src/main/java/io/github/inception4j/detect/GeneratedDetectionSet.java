package io.github.inception4j.detect;

import io.github.inception4j.data.FashionMnist;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.data.ImageEncoder;
import io.github.inception4j.data.Interpolation;
import io.github.inception4j.data.Resize;
import io.github.inception4j.weights.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A detection set made from the Fashion-MNIST subset in the jar, so that detection trains and is measured on a fresh
 * clone with no download: 160 × 160 grayscale canvases with a textured background (a level, a linear gradient,
 * noise, and low-contrast fragments of other items as clutter) and 1–6 items each, 20–80 pixels a side, resized
 * with an interpolation drawn per item and placed so that no two boxes overlap by more than IoU 0.3. A box is the
 * item's tight extent (pixels above {@value #INK}). Training canvases use only training items, test canvases only
 * test items. Reproducible: the same seed writes the same files.
 */
public final class GeneratedDetectionSet {

    public static final int SIDE = 160;
    static final int MIN_ITEM = 20;
    static final int MAX_ITEM = 80;
    static final int MAX_ITEMS = 6;
    static final double MAX_IOU = 0.3;
    static final float INK = 0.1f;
    private static final int PLACEMENT_ATTEMPTS = 50;

    /** One split: its instances file (COCO) and the folder of its pictures. */
    public record Split(Path instances, Path pictures) {
        public CocoDataset open() throws IOException {
            return CocoDataset.open(instances, pictures);
        }
    }

    private GeneratedDetectionSet() {
    }

    /**
     * Writes {@code dir/train/*.png}, {@code dir/train.json}, {@code dir/test/*.png} and {@code dir/test.json}.
     *
     * @return the training split, then the test split
     */
    public static List<Split> write(Path dir, int trainCanvases, int testCanvases, long seed) throws IOException {
        return List.of(
                split(dir, "train", FashionMnist.embeddedSubset(FashionMnist.Split.TRAIN), trainCanvases, seed),
                split(dir, "test", FashionMnist.embeddedSubset(FashionMnist.Split.TEST), testCanvases, seed + 1));
    }

    private static Split split(Path dir, String name, ImageDataset items, int canvases, long seed)
            throws IOException {
        Path pictures = dir.resolve(name);
        Files.createDirectories(pictures);
        SplittableRandom random = new SplittableRandom(seed);
        List<CocoDataset.Entry> entries = new ArrayList<>();
        for (int i = 0; i < canvases; i++) {
            FloatImage canvas = background(items, random);
            List<Annotation> objects = placeItems(canvas, items, random);
            String file = String.format("%05d.png", i);
            Checkpoint.writeAtomically(pictures.resolve(file), ImageEncoder.encode(canvas, "png"));
            entries.add(new CocoDataset.Entry(file, SIDE, SIDE, objects));
        }
        Path instances = dir.resolve(name + ".json");
        CocoDataset.write(instances, FashionMnist.CLASSES, entries);
        return new Split(instances, pictures);
    }

    /** A level, a gradient in a random direction, noise, and 2–5 faint fragments of random items. */
    private static FloatImage background(ImageDataset items, SplittableRandom random) {
        float[] px = new float[SIDE * SIDE];
        double level = 0.05 + 0.35 * random.nextDouble();
        double angle = 2 * Math.PI * random.nextDouble();
        double slope = 0.3 * random.nextDouble() / SIDE;
        double noise = 0.02 + 0.08 * random.nextDouble();
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double g = level + slope * ((x - SIDE / 2.0) * Math.cos(angle) + (y - SIDE / 2.0) * Math.sin(angle));
                px[y * SIDE + x] = (float) (g + noise * (random.nextDouble() - 0.5));
            }
        }
        FloatImage canvas = new FloatImage(1, SIDE, SIDE, px);
        int fragments = 2 + random.nextInt(4);
        for (int f = 0; f < fragments; f++) {
            FloatImage item = items.image(random.nextInt(items.size()));
            int h = 8 + random.nextInt(9);
            int w = 8 + random.nextInt(9);
            FloatImage piece = item.crop(random.nextInt(28 - h + 1), random.nextInt(28 - w + 1), h, w);
            int side = 12 + random.nextInt(29);
            paste(canvas, Resize.apply(piece, side, side, Interpolation.BILINEAR), random.nextInt(SIDE - side + 1),
                    random.nextInt(SIDE - side + 1), 0.15 + 0.2 * random.nextDouble());
        }
        clamp(canvas);
        return canvas;
    }

    /** 1–6 items, each at a place whose box overlaps every earlier box by at most {@value #MAX_IOU}. */
    private static List<Annotation> placeItems(FloatImage canvas, ImageDataset items, SplittableRandom random) {
        List<Annotation> objects = new ArrayList<>();
        int wanted = 1 + random.nextInt(MAX_ITEMS);
        Interpolation[] methods = Interpolation.values();
        for (int n = 0; n < wanted; n++) {
            int index = random.nextInt(items.size());
            int side = MIN_ITEM + random.nextInt(MAX_ITEM - MIN_ITEM + 1);
            FloatImage item = Resize.apply(items.image(index), side, side, methods[random.nextInt(methods.length)]);
            Box extent = extent(item);
            if (extent == null) {
                continue;
            }
            for (int attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
                int top = random.nextInt(SIDE - side + 1);
                int left = random.nextInt(SIDE - side + 1);
                Box box = new Box(left + extent.x0(), top + extent.y0(), left + extent.x1(), top + extent.y1());
                if (objects.stream().allMatch(o -> o.box().iou(box) <= MAX_IOU)) {
                    paste(canvas, item, top, left, 1);
                    objects.add(new Annotation(box, items.label(index), false));
                    break;
                }
            }
        }
        clamp(canvas);
        return List.copyOf(objects);
    }

    /** The tight box of the item's ink (pixels above {@value #INK}), or null for an empty item. */
    static Box extent(FloatImage item) {
        int x0 = item.width();
        int y0 = item.height();
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < item.height(); y++) {
            for (int x = 0; x < item.width(); x++) {
                if (item.get(0, y, x) > INK) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new Box(x0, y0, x1 + 1, y1 + 1);
    }

    /** Alpha-composites {@code item} (bright on black: its value is its opacity) at {@code strength}. */
    private static void paste(FloatImage canvas, FloatImage item, int top, int left, double strength) {
        float[] c = canvas.data();
        for (int y = 0; y < item.height(); y++) {
            for (int x = 0; x < item.width(); x++) {
                float v = Math.max(0, Math.min(1, item.get(0, y, x)));
                float alpha = (float) (v * strength);
                int i = (top + y) * SIDE + left + x;
                c[i] = c[i] * (1 - alpha) + v * alpha;
            }
        }
    }

    private static void clamp(FloatImage canvas) {
        float[] c = canvas.data();
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.max(0, Math.min(1, c[i]));
        }
    }
}
