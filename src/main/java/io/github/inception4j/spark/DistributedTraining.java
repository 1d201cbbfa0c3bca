package io.github.inception4j.spark;

import io.github.inception4j.train.RunSettings;
import io.github.inception4j.train.StepExecutor;
import io.github.inception4j.train.TrainingStep;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Synchronous data-parallel training on a Spark cluster, as a {@link StepExecutor} of the ordinary
 * {@code Trainer}: {@code replicas} replicas each take their share of every batch (consecutive slices of the
 * batch the single-process run would train on), run {@code syncEvery} training steps from the same state, and
 * their weights, buffers (batch-norm statistics) and optimizer slots are averaged, weighted by the images each
 * trained on, with {@code treeAggregate}. With {@code syncEvery} = 1 that is synchronous SGD: for a network without
 * batch norm the same weights as one process at the same batch size (tested); above 1 it is local SGD (Lin et al.,
 * ICLR 2020). The driver keeps the run: its loop, the weight average (updated once per exchange), checkpoints,
 * metrics and report. Replicas keep nothing between exchanges but a network to compute with, so a lost executor
 * costs the retried task of one exchange, never the run.
 */
public final class DistributedTraining implements StepExecutor {

    private final JavaSparkContext context;
    /** The run's settings as every replica reads them: serialised once, sent with every exchange. */
    private final String settingsJson;
    private final int replicas;
    private final int syncEvery;
    private long skipped;
    private final List<Double> exchangeSeconds = new ArrayList<>();
    private final List<Double> trainingSeconds = new ArrayList<>();
    private long stateBytes;

    /**
     * @param replicas replicas that split every batch (at most one image each of the smallest batch)
     * @param syncEvery training steps between two exchanges of state (H)
     */
    public DistributedTraining(SparkSession spark, RunSettings settings, int replicas, int syncEvery) {
        if (replicas < 1 || syncEvery < 1) {
            throw new IllegalArgumentException("--replicas and --sync-every must be at least 1");
        }
        if (settings.recipe().run().batchSize() < 2 * replicas) {
            throw new IllegalArgumentException("a batch of " + settings.recipe().run().batchSize() + " cannot be "
                    + "split among " + replicas + " replicas of at least 2 images each");
        }
        this.context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.settingsJson = settings.toJson();
        this.replicas = replicas;
        this.syncEvery = syncEvery;
    }

    /** The state every replica starts an exchange from (serializable: arrays by name and the step counter). */
    record Start(HashMap<String, float[]> arrays, long steps) implements Serializable {
    }

    /** What a replica's task needs besides the state; small. */
    record Round(String settings, int replicas, int epoch, int firstBatch, double[] lrs) implements Serializable {
    }

    /**
     * Replicas' results summed: arrays weighted by the images each replica trained on, and per batch the images,
     * loss × images, correct, gradient-norm sum and replicas that stepped.
     */
    static final class Sum implements Serializable {
        final Map<String, double[]> arrays = new HashMap<>();
        long weight;
        int[] images;
        int[] dropped;
        double[] lossSum;
        long[] correct;
        double[] gradNormSum;
        int[] stepped;
        long skipped;
        /** The slowest replica's seconds in its training steps. */
        double trainingSeconds;
        String nonFinite;
        double nonFiniteValue;

        Sum(int batches) {
            images = new int[batches];
            dropped = new int[batches];
            lossSum = new double[batches];
            correct = new long[batches];
            gradNormSum = new double[batches];
            stepped = new int[batches];
        }

        /** One replica's result into the sum. */
        Sum add(Replica.Result r) {
            Replica.Steps steps = r.steps();
            for (int b = 0; b < images.length; b++) {
                images[b] += steps.images()[b];
                dropped[b] += steps.dropped()[b];
                lossSum[b] += steps.loss()[b] * steps.images()[b];
                correct[b] += steps.correct()[b];
                gradNormSum[b] += steps.gradNorm()[b];
                stepped[b] += steps.images()[b] > 0 ? 1 : 0;
            }
            skipped += r.skipped();
            trainingSeconds = Math.max(trainingSeconds, r.trainingSeconds());
            if (r.nonFinite() != null && nonFinite == null) {
                nonFinite = r.nonFinite();
                nonFiniteValue = r.nonFiniteValue();
            }
            int trained = IntStream.of(steps.images()).sum();
            if (trained > 0) {
                r.arrays().forEach((name, v) -> {
                    double[] s = arrays.computeIfAbsent(name, k -> new double[v.length]);
                    for (int i = 0; i < v.length; i++) {
                        s[i] += (double) trained * v[i];
                    }
                });
                weight += trained;
            }
            return this;
        }

        /** Two partial sums into one. */
        Sum merge(Sum other) {
            for (int b = 0; b < images.length; b++) {
                images[b] += other.images[b];
                dropped[b] += other.dropped[b];
                lossSum[b] += other.lossSum[b];
                correct[b] += other.correct[b];
                gradNormSum[b] += other.gradNormSum[b];
                stepped[b] += other.stepped[b];
            }
            skipped += other.skipped;
            trainingSeconds = Math.max(trainingSeconds, other.trainingSeconds);
            if (nonFinite == null && other.nonFinite != null) {
                nonFinite = other.nonFinite;
                nonFiniteValue = other.nonFiniteValue;
            }
            other.arrays.forEach((name, v) -> {
                double[] s = arrays.computeIfAbsent(name, k -> new double[v.length]);
                for (int i = 0; i < v.length; i++) {
                    s[i] += v[i];
                }
            });
            weight += other.weight;
            return this;
        }
    }

    @Override
    public int batchesPerCall() {
        return syncEvery;
    }

    @Override
    public List<Outcome> run(TrainingStep step, int epoch, int firstBatch, double[] lrs) {
        long t0 = System.nanoTime();
        TrainingStep.State state = step.replicaState();
        stateBytes = 4L * state.arrays().values().stream().mapToLong(a -> a.length).sum();
        Broadcast<Start> start = context.broadcast(new Start(new HashMap<>(state.arrays()), state.steps()));
        Round round = new Round(settingsJson, replicas, epoch, firstBatch, lrs);
        Sum sum;
        try {
            sum = context.parallelize(IntStream.range(0, replicas).boxed().toList(), replicas)
                    .map(replica -> Replica.run(round, replica, start.value()))
                    .treeAggregate(new Sum(lrs.length), Sum::add, Sum::merge);
        } finally {
            start.destroy();
        }
        skipped += sum.skipped;
        if (sum.nonFinite != null) {
            throw new TrainingStep.NonFiniteException(sum.nonFinite, sum.nonFiniteValue);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int b = 0; b < lrs.length; b++) {
            outcomes.add(sum.images[b] == 0 ? new Outcome(0, sum.dropped[b], 0, 0, 0)
                    : new Outcome(sum.images[b], 0, sum.lossSum[b] / sum.images[b], sum.correct[b],
                            sum.gradNormSum[b] / sum.stepped[b]));
        }
        if (sum.weight > 0) {
            Map<String, float[]> averaged = new HashMap<>();
            sum.arrays.forEach((name, s) -> {
                float[] v = new float[s.length];
                for (int i = 0; i < s.length; i++) {
                    v[i] = (float) (s[i] / sum.weight);
                }
                averaged.put(name, v);
            });
            step.advance(averaged, (int) outcomes.stream().filter(o -> o.images() > 0).count());
        }
        exchangeSeconds.add((System.nanoTime() - t0) / 1e9);
        trainingSeconds.add(sum.trainingSeconds);
        return outcomes;
    }

    @Override
    public long skipped() {
        return skipped;
    }

    /**
     * The exchanges' cost: the median exchange (the driver's wall time from sending the state to holding the
     * average) and, in it, the slowest replica's training steps; the rest is the exchange itself (serialising,
     * sending, loading and averaging the state, scheduling the tasks).
     */
    @Override
    public String summary() {
        if (exchangeSeconds.isEmpty()) {
            return null;
        }
        double round = median(exchangeSeconds);
        double training = median(trainingSeconds);
        return String.format(Locale.ROOT, "%d exchanges of %.1f MB of state among %d replica(s), every %d step(s): "
                        + "median %.3f s each, of which %.3f s the slowest replica's training steps and %.3f s the "
                        + "exchange", exchangeSeconds.size(), stateBytes / 1e6, replicas, syncEvery, round, training,
                round - training);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public void close() {
        // The session belongs to the command that made it.
    }
}
