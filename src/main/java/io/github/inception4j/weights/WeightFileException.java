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

    /**
     * What a parser of untrusted bytes throws when the file breaks an assumption it did not check one by one (a
     * missing field, a negative size, an overflow): the file is refused as malformed, never with a bare runtime
     * exception. Fuzzing (docs/reliability.md) keeps the list of such assumptions honest.
     */
    static WeightFileException malformed(Path file, String format, RuntimeException cause) {
        return new WeightFileException(file, "malformed " + format + " file: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    }
}
