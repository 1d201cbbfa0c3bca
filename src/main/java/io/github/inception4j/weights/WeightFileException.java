package io.github.inception4j.weights;

import java.nio.file.Path;

/** A weight file that cannot be used: the message names the file and what is wrong with it. */
public final class WeightFileException extends IllegalArgumentException {

    public WeightFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public WeightFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
