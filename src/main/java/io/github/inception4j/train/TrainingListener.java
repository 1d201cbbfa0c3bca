package io.github.inception4j.train;

/** What a run reports while it works; every method has a silent default. */
public interface TrainingListener {

    /** A line worth showing (recipe, resume point, data sizes, warnings). */
    default void message(String text) {
    }

    /**
     * After each training step.
     *
     * @param loss running mean of this epoch's loss
     * @param etaSeconds estimated time to the end of the run
     */
    default void batch(int epoch, int epochs, int batch, int batches, double loss, double imagesPerSecond,
                       double etaSeconds) {
    }

    default void epoch(EpochMetrics metrics) {
    }
}
