package io.github.inception4j.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A scratch directory for fuzz targets whose parsers read files; removed when the JVM exits. */
final class FuzzFiles {

    static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("inception4j-fuzz-");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FuzzFiles() {
    }

    static Path write(String name, byte[] bytes) {
        try {
            Path file = DIR.resolve(name);
            Files.write(file, bytes);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
