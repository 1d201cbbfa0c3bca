package io.github.inception4j.train;

import java.nio.file.Path;

/** The loss or the gradient became NaN or infinite; the run stopped without applying that step. */
public final class TrainingDivergedException extends IllegalStateException {

    private final Path lastGoodCheckpoint;

    public TrainingDivergedException(String message, Path lastGoodCheckpoint) {
        super(message);
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    /** The checkpoint left untouched (written before the divergence). */
    public Path lastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }
}
