package io.github.inception4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017; MIT licence) from its IDX files, gzipped or not: 28×28 grayscale
 * articles in 10 classes, 60,000 for training and 10,000 for testing. Debian's {@code dataset-fashion-mnist}
 * installs them in {@value #DEBIAN_DIRECTORY}. The whole split is held as bytes (47 MB for training).
 */
public final class FashionMnist implements ImageDataset {

    public static final String DEBIAN_DIRECTORY = "/usr/share/datasets/fashion-mnist";
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** The subset shipped inside the jar for {@code inception demo}: 1,000 training and 200 test images a class. */
    static final String EMBEDDED = "/io/github/inception4j/data/fashion-mnist-subset/";

    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    private final String name;
    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final byte[] labels;

    private FashionMnist(String name, int rows, int cols, byte[] pixels, byte[] labels) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
    }

    /** Reads {@code <prefix>-images-idx3-ubyte[.gz]} and {@code <prefix>-labels-idx1-ubyte[.gz]} from a folder. */
    public static FashionMnist load(Path directory, Split split) {
        Path images = find(directory, split.prefix + "-images-idx3-ubyte");
        Path labels = find(directory, split.prefix + "-labels-idx1-ubyte");
        try (InputStream i = Files.newInputStream(images); InputStream l = Files.newInputStream(labels)) {
            return read(directory + "/" + split.prefix, i, l);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Fashion-MNIST from " + directory, e);
        }
    }

    /** The subset inside the jar (works offline, with no package installed). */
    public static FashionMnist embeddedSubset(Split split) {
        String base = EMBEDDED + split.prefix;
        try (InputStream i = FashionMnist.class.getResourceAsStream(base + "-images-idx3-ubyte.gz");
             InputStream l = FashionMnist.class.getResourceAsStream(base + "-labels-idx1-ubyte.gz")) {
            if (i == null || l == null) {
                throw new IllegalStateException("the embedded Fashion-MNIST subset is missing from the jar");
            }
            return read("embedded fashion-mnist " + split.prefix, i, l);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded Fashion-MNIST subset", e);
        }
    }

    private static Path find(Path directory, String stem) {
        for (String suffix : new String[] {"", ".gz"}) {
            Path p = directory.resolve(stem + suffix);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Fashion-MNIST file " + stem + "[.gz] not found in " + directory
                + (directory.toString().equals(DEBIAN_DIRECTORY)
                ? " (install it with: apt-get install dataset-fashion-mnist)" : ""));
    }

    static FashionMnist read(String name, InputStream images, InputStream labels) throws IOException {
        DataInputStream img = new DataInputStream(maybeGunzip(images));
        DataInputStream lab = new DataInputStream(maybeGunzip(labels));
        int imageMagic = img.readInt();
        int labelMagic = lab.readInt();
        if (imageMagic != 0x803 || labelMagic != 0x801) {
            throw new IOException(name + ": not IDX image/label files (magic " + Integer.toHexString(imageMagic)
                    + "/" + Integer.toHexString(labelMagic) + ", expected 803/801)");
        }
        int count = img.readInt();
        int rows = img.readInt();
        int cols = img.readInt();
        int labelCount = lab.readInt();
        if (count != labelCount || count < 0 || rows < 1 || cols < 1) {
            throw new IOException(name + ": " + count + " images of " + rows + "×" + cols + " but " + labelCount
                    + " labels");
        }
        byte[] pixels = new byte[count * rows * cols];
        byte[] classes = new byte[count];
        img.readFully(pixels);
        lab.readFully(classes);
        for (byte c : classes) {
            if (c < 0 || c >= CLASSES.size()) {
                throw new IOException(name + ": label " + c + " outside 0–9");
            }
        }
        return new FashionMnist(name, rows, cols, pixels, classes);
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16)
                : buffered;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public List<String> classNames() {
        return CLASSES;
    }

    @Override
    public FloatImage image(int index) {
        int n = rows * cols;
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (pixels[index * n + i] & 0xff) / 255f;
        }
        return new FloatImage(1, rows, cols, data);
    }

    @Override
    public String source(int index) {
        return name + "[" + index + "]";
    }
}
