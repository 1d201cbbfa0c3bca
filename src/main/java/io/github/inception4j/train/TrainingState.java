package io.github.inception4j.train;

import java.util.List;

/**
 * Where a run stands, saved as {@value #FILE} in its checkpoint: the next epoch and batch to run, the global step,
 * the running sums of a partly done epoch, the metrics so far, and how the run last stopped.
 *
 * @param status running, completed, stopped (Ctrl-C or time limit) or diverged
 */
record TrainingState(int formatVersion, int nextEpoch, int nextBatch, long step, long emaUpdates,
                     double elapsedSeconds, Partial partial, List<EpochMetrics> history, String status) {

    static final String FILE = "training.json";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String EMA = "ema.safetensors";

    /** Running sums of the current epoch's training metrics. */
    record Partial(double lossSum, long correct, long count, double gradNormSum, long steps, double seconds) {
        static final Partial EMPTY = new Partial(0, 0, 0, 0, 0, 0);
    }
}
