package io.github.inception4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.cli.InceptionCli;
import io.github.inception4j.data.DataSources;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.train.Recipes;
import io.github.inception4j.train.RunData;
import io.github.inception4j.train.RunSettings;
import io.github.inception4j.train.StepExecutor;
import io.github.inception4j.train.Trainer;
import io.github.inception4j.train.TrainingListener;
import io.github.inception4j.weights.WeightFiles;
import io.github.inception4j.weights.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Data-parallel training on Spark against the same training in one process. */
class DistributedTrainingTest {

    @TempDir
    static Path dir;

    /**
     * The oracle: with synchronous SGD (H = 1, plain SGD with momentum, no dropout, no clipping, P1's own
     * layout with LRN and no batch norm), replicas that each train on their share of every batch leave the weights
     * one process leaves at the whole batch: the state crosses to the executors and back (weights, momentum
     * buffers, step counter), the shares make up the batch, and the average of the replicas' updates is the
     * update of the mean gradient. One replica checks the exchange alone; in local mode two share the executor's
     * JVM, in local-cluster mode each has an executor JVM of its own.
     */
    @ParameterizedTest(name = "{0}, {1} replica(s)")
    @CsvSource(delimiter = ';', value = {SparkMasters.LOCAL + ";1", SparkMasters.LOCAL + ";2",
        SparkMasters.CLUSTER + ";2"})
    void replicasLeaveTheWeightsOfOneProcess(String master, int replicas) throws IOException {
        double worst = oracle(master, replicas, spark -> new TrainingListener() { });
        assertTrue(worst < 1e-4, "largest relative difference of a parameter " + worst);
    }

    /**
     * A lost executor costs a retried exchange, never the run: one of the two executor JVMs killed between two
     * exchanges (Spark starts another), and the run still ends with the weights of one process.
     */
    @Test
    void aLostExecutorCostsARetriedExchangeNotTheRun() throws IOException {
        List<Long> killed = new ArrayList<>();
        double worst = oracle(SparkMasters.CLUSTER, 2, spark -> new TrainingListener() {
            @Override
            public void batch(int epoch, int epochs, int batch, int batches, double loss, double ips, double eta) {
                if (batch == 3 && killed.isEmpty()) {
                    long executor = JavaSparkContext.fromSparkContext(spark.sparkContext())
                            .parallelize(List.of(1, 2, 3, 4), 4).map(i -> ProcessHandle.current().pid()).first();
                    ProcessHandle.of(executor).ifPresent(ProcessHandle::destroyForcibly);
                    killed.add(executor);
                }
            }
        });
        assertEquals(1, killed.size());
        assertTrue(worst < 1e-4, "largest relative difference of a parameter " + worst);
    }

    /**
     * The oracle's run (see above) in one process and on {@code master} with {@code replicas} replicas, the latter
     * watched by {@code listener}; returns the largest relative difference of a parameter between their weights.
     */
    private static double oracle(String master, int replicas, Function<SparkSession, TrainingListener> listener)
            throws IOException {
        Architecture arch = Architecture.byName("googlenet");
        ModelOptions options = arch.defaultOptions().withNumClasses(10).withWidthMultiplier(0.25).withInputSize(32)
                .withAuxHeads(false).withDropout(0);
        // 95% of the embedded subset goes to validation (not evaluated here): the rest is a few dozen steps.
        RunSettings settings = new RunSettings(arch.cliName(), options, Recipes.byName("small-grayscale").with(Map.of(
                "epochs", "1", "batchSize", "16", "inputSize", "32", "clipNorm", "0", "emaDecay", "0",
                "validationFraction", "0.95", "schedule.warmupEpochs", "0")),
                RunSettings.Data.of(DataSources.FASHION_MNIST_SUBSET), null, false, 7);
        RunData data = RunData.open(settings);
        assertTrue(data.train().size() >= 10 * 16, "train on several steps: " + data.train().size());
        Path runs = Files.createTempDirectory(dir, "oracle");
        Path single = runs.resolve("single");
        Path replicated = runs.resolve("replicated");
        new Trainer(settings, data.train(), null, null, single, 0, new TrainingListener() { }).run(false);
        SparkSession spark = SparkMasters.session(master, "DistributedTrainingTest");
        try {
            StepExecutor.Factory onSpark = (s, loader) -> new DistributedTraining(spark, s, replicas, 1);
            Trainer.Result result = new Trainer(settings, data.train(), null, null, replicated, 0,
                    listener.apply(spark)).stepsOn(onSpark).run(false);
            assertEquals(Trainer.Outcome.COMPLETED, result.outcome());
        } finally {
            spark.stop();
        }
        return largestRelativeDifference(single, replicated);
    }

    /** The largest relative L2 difference of a parameter between two runs' final weights. */
    static double largestRelativeDifference(Path runA, Path runB) {
        Map<String, Tensor> a = WeightFiles.read(runA.resolve(Trainer.MODEL).resolve("weights.safetensors"));
        Map<String, Tensor> b = WeightFiles.read(runB.resolve(Trainer.MODEL).resolve("weights.safetensors"));
        assertEquals(a.keySet(), b.keySet());
        double worst = 0;
        for (String name : a.keySet()) {
            float[] x = a.get(name).toFloats();
            float[] y = b.get(name).toFloats();
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < x.length; i++) {
                diff += (x[i] - y[i]) * (double) (x[i] - y[i]);
                norm += x[i] * (double) x[i];
            }
            worst = Math.max(worst, Math.sqrt(diff / Math.max(norm, 1e-30)));
        }
        return worst;
    }

    /** A short run on Spark leaves a run directory that the single-process commands take. */
    @Test
    void aRunOnSparkIsEvaluatedAndResumedByTheCoreCommands() {
        Path run = dir.resolve("cli-run");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = InceptionSparkCli.run(new String[] {"train", "--master", SparkMasters.LOCAL, "--sync-every", "2",
            "--model", "googlenet-torchvision", "--width", "0.25", "--input-size", "32",
            "--no-aux", "--data", DataSources.FASHION_MNIST_SUBSET, "--epochs", "1", "--batch-size", "32",
            "--set", "validationFraction=0.8", "--out", run.toString()}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().contains("test accuracy"), out.toString());
        assertEquals(0, InceptionCli.run(new String[] {"evaluate", "--checkpoint", run.resolve(Trainer.MODEL)
            .toString(), "--data", "fashion-mnist-subset:test", "--limit", "100"}, new PrintWriter(out, true),
                new PrintWriter(err, true)), err.toString());
        assertEquals(0, InceptionCli.run(new String[] {"train", "--out", run.toString(), "--resume", "--epochs", "2"},
                new PrintWriter(out, true), new PrintWriter(err, true)), err.toString());
        assertTrue(out.toString().contains("resuming"), out.toString());
    }
}
