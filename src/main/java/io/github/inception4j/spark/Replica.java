package io.github.inception4j.spark;

import ai.djl.ndarray.NDManager;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.train.RunData;
import io.github.inception4j.train.RunSettings;
import io.github.inception4j.train.Trainer;
import io.github.inception4j.train.TrainingStep;
import java.io.Serializable;
import java.util.HashMap;

/**
 * The replica network of a {@link DistributedTraining} run on an executor: a network, its training step and the
 * run's training loader, kept by the executor JVM between exchanges and used by every replica that runs there. It
 * holds no state of the run's own: every exchange starts it from the driver's state, so a retried task on another
 * executor computes the same. Dropout is seeded by the run's seed and the step number, as in one process, so
 * replicas draw the same masks (off in the tests).
 */
final class Replica implements AutoCloseable {

    /**
     * Per batch of one exchange: the images a replica trained on (0: its share was too small, {@code dropped}
     * images), its loss, correct predictions and gradient norm.
     */
    record Steps(int[] images, int[] dropped, double[] loss, long[] correct, double[] gradNorm)
            implements Serializable {

        static Steps of(int batches) {
            return new Steps(new int[batches], new int[batches], new double[batches], new long[batches],
                    new double[batches]);
        }
    }

    /**
     * What one replica did in one exchange: the state it reached (weights, buffers, optimizer slots), its steps,
     * the images skipped as undecodable, the seconds its training steps took; or the first non-finite loss or
     * gradient norm (then nothing else counts).
     */
    record Result(HashMap<String, float[]> arrays, Steps steps, long skipped, String nonFinite, double nonFiniteValue,
                  double trainingSeconds) implements Serializable {
    }

    private final String settingsJson;
    private final NDManager manager;
    private final DataLoader loader;
    private final TrainingStep step;

    Replica(String settingsJson) {
        this.settingsJson = settingsJson;
        RunSettings settings = RunSettings.fromJson(settingsJson, "the driver's run settings");
        this.manager = NDManager.newBaseManager();
        this.loader = Trainer.trainingLoader(settings, RunData.open(settings).train());
        this.step = Trainer.replicaStep(settings, settings.seed(), manager);
    }

    String settingsJson() {
        return settingsJson;
    }

    /** Runs replica {@code index}'s share of an exchange (on an executor). */
    static Result run(DistributedTraining.Round round, int index, DistributedTraining.Start start) {
        // DJL's PyTorch engine has one gradient collector per JVM: replicas that share an executor (local mode, or
        // an executor with several task slots) train one after another, each on all of the executor's cores.
        synchronized (Replica.class) {
            return ExecutorCache.replica(round.settings()).train(round, index, start);
        }
    }

    private Result train(DistributedTraining.Round round, int index, DistributedTraining.Start start) {
        step.continueFrom(new TrainingStep.State(start.arrays(), start.steps(), 0));
        Steps steps = Steps.of(round.lrs().length);
        long skippedBefore = loader.skipped();
        double seconds = 0;
        for (int b = 0; b < round.lrs().length; b++) {
            DataLoader.Batch share = loader.load(round.epoch(), round.firstBatch() + b, index, round.replicas());
            if (share.count() < Trainer.MIN_BATCH) {
                steps.dropped()[b] = share.count();
                continue;
            }
            TrainingStep.Result r;
            long t0 = System.nanoTime();
            try {
                r = step.run(share, (float) round.lrs()[b]);
            } catch (TrainingStep.NonFiniteException e) {
                return new Result(new HashMap<>(), steps, loader.skipped() - skippedBefore, e.what(), e.value(), 0);
            }
            seconds += (System.nanoTime() - t0) / 1e9;
            steps.images()[b] = share.count();
            steps.loss()[b] = r.loss();
            steps.correct()[b] = r.correct();
            steps.gradNorm()[b] = r.gradNorm();
        }
        return new Result(new HashMap<>(step.replicaState().arrays()), steps, loader.skipped() - skippedBefore,
                null, 0, seconds);
    }

    @Override
    public void close() {
        step.close();
        loader.close();
        manager.close();
    }
}
