package io.github.inception4j.data;

import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Names for datasets, as the command line and run.json use them: {@code fashion-mnist} (Debian's package),
 * {@code fashion-mnist:DIR} (IDX files elsewhere), {@code fashion-mnist-subset} (embedded in the jar), or the
 * path of a class-per-folder image directory.
 */
public final class DataSources {

    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String FASHION_MNIST_SUBSET = "fashion-mnist-subset";

    private DataSources() {
    }

    /** The training part ({@code test == false}) or test part of a named source. */
    public static ImageDataset open(String name, boolean test) {
        FashionMnist.Split split = test ? FashionMnist.Split.TEST : FashionMnist.Split.TRAIN;
        if (name.equals(FASHION_MNIST_SUBSET)) {
            return FashionMnist.embeddedSubset(split);
        }
        if (name.equals(FASHION_MNIST)) {
            return FashionMnist.load(Path.of(FashionMnist.DEBIAN_DIRECTORY), split);
        }
        if (name.startsWith(FASHION_MNIST + ":")) {
            return FashionMnist.load(Path.of(name.substring(FASHION_MNIST.length() + 1)), split);
        }
        return ImageFolder.open(Path.of(name));
    }

    /**
     * A source to evaluate on, {@code NAME[:test|:train]}: a Fashion-MNIST source gives its test split unless
     * {@code :train} is added; a folder is evaluated as it is.
     */
    public static ImageDataset openForEvaluation(String name) {
        boolean train = name.endsWith(":train");
        String source = train || name.endsWith(":test") ? name.substring(0, name.lastIndexOf(':')) : name;
        if (!hasTestSplit(source)) {
            if (!source.equals(name)) {
                throw new IllegalArgumentException("'" + name + "': only Fashion-MNIST sources have :test and "
                        + ":train splits; a folder is evaluated as it is");
            }
            return ImageFolder.open(Path.of(name));
        }
        return open(source, !train);
    }

    /**
     * {@link #openForEvaluation(String)}, cut to its first {@code limit} images (quick checks); {@code null}: all.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    public static ImageDataset openForEvaluation(String name, Integer limit) {
        return limit(openForEvaluation(name), limit);
    }

    /**
     * {@code dataset} cut to its first {@code limit} images; {@code null}: all of it.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    public static ImageDataset limit(ImageDataset dataset, Integer limit) {
        if (limit == null) {
            return dataset;
        }
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1");
        }
        return dataset.subset(IntStream.range(0, Math.min(limit, dataset.size())).toArray());
    }

    /** Whether the source has its own test split (Fashion-MNIST does; a folder is one split). */
    public static boolean hasTestSplit(String name) {
        return name.equals(FASHION_MNIST) || name.equals(FASHION_MNIST_SUBSET) || name.startsWith(FASHION_MNIST + ":");
    }
}
