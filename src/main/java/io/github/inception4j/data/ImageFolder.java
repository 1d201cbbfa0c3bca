package io.github.inception4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A class-per-folder image tree ({@code root/<class>/…/<image>}, as torchvision's ImageFolder): classes are the
 * sorted names of the sub-folders, images are files with a known extension anywhere below them, in sorted order.
 * Only paths are held in memory; images are decoded when asked for.
 */
public final class ImageFolder implements ImageDataset {

    private final Path root;
    private final List<String> classNames;
    private final List<Path> files;
    private final int[] labels;

    private ImageFolder(Path root, List<String> classNames, List<Path> files, int[] labels) {
        this.root = root;
        this.classNames = List.copyOf(classNames);
        this.files = List.copyOf(files);
        this.labels = labels;
    }

    public static ImageFolder open(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("image folder " + root + " does not exist or is not a directory");
        }
        List<String> classes;
        try (Stream<Path> children = Files.list(root)) {
            classes = children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        if (classes.isEmpty()) {
            throw new IllegalArgumentException(root + " has no class sub-folders (expected root/<class>/<image>)");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            try (Stream<Path> walk = Files.walk(root.resolve(classes.get(c)))) {
                List<Path> images = walk.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
                files.addAll(images);
                for (int i = 0; i < images.size(); i++) {
                    labels.add(c);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root.resolve(classes.get(c)), e);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(root + " has class folders but no images (" + ImageDecoder.EXTENSIONS + ")");
        }
        return new ImageFolder(root, classes, files, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && !name.startsWith(".")
                && ImageDecoder.EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public Path root() {
        return root;
    }

    public Path file(int index) {
        return files.get(index);
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public FloatImage image(int index) {
        return ImageDecoder.decode(files.get(index));
    }

    @Override
    public FloatImage image(int index, ImageDecoder decoder) {
        return decoder.read(files.get(index));
    }

    @Override
    public String source(int index) {
        return files.get(index).toString();
    }
}
