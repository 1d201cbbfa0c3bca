package io.github.inception4j.train;

import io.github.inception4j.data.DataLoader;
import java.util.List;

/**
 * Where a run's training steps execute: in this process, one batch at a time ({@link #local}), or on replicas of a
 * cluster that split each batch between them and exchange their state every few batches. The {@link Trainer}'s
 * loop (schedule, metrics, checkpoints, stops) is the same for both.
 */
public interface StepExecutor extends AutoCloseable {

    /**
     * What the step of one batch did.
     *
     * @param images the images it trained on; 0 when the batch was dropped
     * @param dropped images of a batch too small to train on (fewer than {@link Trainer#MIN_BATCH}), else 0
     */
    record Outcome(int images, int dropped, double loss, long correct, double gradNorm) {
    }

    /** Makes the executor of a run, given the run's settings and its training loader (what a batch index means). */
    @FunctionalInterface
    interface Factory {
        StepExecutor create(RunSettings settings, DataLoader loader);
    }

    /** One batch at a time, in this process, through {@code step}. */
    Factory LOCAL = (settings, loader) -> new LocalSteps(loader);

    /** The batches one {@link #run} call takes (those between two exchanges of state on a cluster; 1 here). */
    int batchesPerCall();

    /**
     * Trains on batches {@code firstBatch}, {@code firstBatch + 1}, … of {@code epoch}, one per learning rate in
     * {@code lrs}, leaving {@code step} holding the result.
     *
     * @throws TrainingStep.NonFiniteException when a loss or gradient norm is not finite: nothing of the batch
     *     that failed was applied
     */
    List<Outcome> run(TrainingStep step, int epoch, int firstBatch, double[] lrs);

    /** Images skipped so far because they could not be decoded. */
    long skipped();

    /** What the run's steps cost where they ran, for the end of the run's output (none in one process). */
    default String summary() {
        return null;
    }

    @Override
    void close();
}
