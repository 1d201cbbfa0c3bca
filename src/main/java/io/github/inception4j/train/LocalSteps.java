package io.github.inception4j.train;

import io.github.inception4j.data.DataLoader;
import java.util.ArrayList;
import java.util.List;

/** {@link StepExecutor#LOCAL}: the loader's batches, prepared ahead on its threads, through one training step. */
final class LocalSteps implements StepExecutor {

    private final DataLoader loader;
    /** The open epoch and the batch it yields next; reopened when a call starts elsewhere. */
    private DataLoader.EpochIterator batches;
    private int epoch = -1;
    private int next = -1;

    LocalSteps(DataLoader loader) {
        this.loader = loader;
    }

    @Override
    public int batchesPerCall() {
        return 1;
    }

    @Override
    public List<Outcome> run(TrainingStep step, int epoch, int firstBatch, double[] lrs) {
        if (batches == null || this.epoch != epoch || next != firstBatch) {
            close();
            batches = loader.epoch(epoch, firstBatch);
            this.epoch = epoch;
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < lrs.length; i++) {
            DataLoader.Batch batch = batches.next();
            next = firstBatch + i + 1;
            if (batch.count() < Trainer.MIN_BATCH) {
                outcomes.add(new Outcome(0, batch.count(), 0, 0, 0));
                continue;
            }
            TrainingStep.Result r = step.run(batch, (float) lrs[i]);
            outcomes.add(new Outcome(batch.count(), 0, r.loss(), r.correct(), r.gradNorm()));
        }
        return outcomes;
    }

    @Override
    public long skipped() {
        return loader.skipped();
    }

    @Override
    public void close() {
        if (batches != null) {
            batches.close();
            batches = null;
        }
    }
}
