package io.github.inception4j.cli;

import io.github.inception4j.data.ImageDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Image arguments as users type them: files, directories (their image files, recursively) and globs. */
final class ImageInputs {

    private ImageInputs() {
    }

    /**
     * The files named, in argument order; a directory or glob contributes its image files sorted by path. A name
     * that matches nothing is kept as it is, so the caller reports it as missing, per file.
     */
    static List<Path> expand(List<String> arguments) {
        List<Path> files = new ArrayList<>();
        for (String argument : arguments) {
            Path path = Path.of(argument);
            if (Files.isDirectory(path)) {
                files.addAll(walk(path, p -> true));
            } else if (!Files.exists(path) && argument.matches(".*[*?\\[{].*")) {
                files.addAll(glob(argument));
            } else {
                files.add(path);
            }
        }
        return files;
    }

    /** {@code dir/*.jpg}, {@code photos/**}{@code /*.png}: matched from the longest directory without wildcards. */
    private static List<Path> glob(String pattern) {
        String[] parts = pattern.split("/", -1);
        StringBuilder base = new StringBuilder();
        int i = 0;
        for (; i < parts.length - 1 && !parts[i].matches(".*[*?\\[{].*"); i++) {
            base.append(parts[i]).append('/');
        }
        Path root = Path.of(base.length() == 0 ? "." : base.toString());
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        if (!Files.isDirectory(root)) {
            return List.of(Path.of(pattern));
        }
        List<Path> matched = walk(root, p -> matcher.matches(base.length() == 0 ? root.relativize(p) : p));
        return matched.isEmpty() ? List.of(Path.of(pattern)) : matched;
    }

    private static List<Path> walk(Path root, java.util.function.Predicate<Path> accept) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(ImageInputs::isImage).filter(accept).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && ImageDecoder.EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
