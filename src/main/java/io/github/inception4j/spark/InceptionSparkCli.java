package io.github.inception4j.spark;

import io.github.inception4j.cli.BackendOption;
import io.github.inception4j.cli.EvalCommands;
import io.github.inception4j.cli.InceptionCli;
import io.github.inception4j.cli.PredictionOptions;
import io.github.inception4j.cli.TrainCommand;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.eval.CropProtocol;
import io.github.inception4j.eval.EnsembleEvaluator;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.train.RunSettings;
import io.github.inception4j.train.StepExecutor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inception-spark}: the commands of {@code inception} that scale out, with the same names and options, plus
 * {@code --master}. Run by the {@code ./inception-spark} launcher (local Spark from the build) or by
 * {@code spark-submit} on YARN, Kubernetes or a standalone cluster (docs/spark.md).
 */
@Command(name = "inception-spark", mixinStandardHelpOptions = true, versionProvider = InceptionCli.Version.class,
        description = "GoogLeNet and Inception-v2/v3 on Apache Spark: batch inference and evaluation over image sets, "
                + "data-parallel training.",
        subcommands = {InceptionSparkCli.Evaluate.class, InceptionSparkCli.Predict.class,
                InceptionSparkCli.Features.class, InceptionSparkCli.Train.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:error (the message says what and where)", "2:invalid usage"})
public final class InceptionSparkCli implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code (what the tests call). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return InceptionCli.run(new InceptionSparkCli(), args, out, err);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --master}: the cluster to run on. */
    static final class Master {
        @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[*] (default; all cores "
                + "of this machine), local[N], spark://HOST:PORT, yarn, k8s://URL. Under spark-submit its --master "
                + "applies instead.")
        String url;

        /** A session on the master asked for, else on spark-submit's, else local[*]. */
        SparkSession session(String app) {
            SparkSession.Builder builder = SparkSession.builder().appName(app);
            if (url != null) {
                builder.master(url);
            } else if (System.getProperty("spark.master") == null) {
                builder.master("local[*]");
            }
            return builder.getOrCreate();
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = {"inception evaluate across a Spark cluster: the same options, report and JSON; the data "
                    + "is scored in parts by the executors (every executor must read --data and --checkpoint at the "
                    + "same paths)."})
    static final class Evaluate extends EvalCommands.Evaluate {
        @Mixin
        Master master;

        @Override
        protected EnsembleEvaluator.Result evaluate(List<Path> checkpoints, InferenceBackend backend,
                                                    ImageDataset dataset, List<CropProtocol> protocols,
                                                    EnsembleEvaluator.Progress progress) {
            if (data == null) {
                // Executors open the images by name; a run's held-out split has none.
                throw new IllegalArgumentException("inception-spark evaluate takes --data; evaluate a run's "
                        + "validation split (--validation-of) with inception evaluate");
            }
            SparkSession spark = master.session("inception-spark evaluate");
            try {
                return DistributedEvaluator.evaluate(spark, checkpoints.stream().map(Path::toString).toList(),
                        backend, data, limit, protocols, threads);
            } finally {
                spark.stop();
            }
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"inception train with its steps on replicas across a Spark cluster: each batch split "
                    + "among the replicas, their weights, batch-norm statistics and optimizer state averaged every "
                    + "--sync-every steps (1: synchronous SGD; more: local SGD). The run directory is the same as "
                    + "inception train's (inception train --resume continues it in one process, at the same batch "
                    + "size)."})
    static final class Train extends TrainCommand {
        @Mixin
        Master master;

        @Option(names = "--replicas", paramLabel = "N", description = "Replicas that split each batch (default: "
                + "one per executor; 1 in local mode, where all replicas would share one JVM).")
        Integer replicas;

        @Option(names = "--sync-every", paramLabel = "H", defaultValue = "1", description = "Training steps "
                + "between two exchanges of state (default: ${DEFAULT-VALUE}, synchronous SGD).")
        int syncEvery;

        private SparkSession spark;

        @Override
        public Integer call() throws IOException {
            try {
                return super.call();
            } finally {
                if (spark != null) {
                    spark.stop();
                }
            }
        }

        @Override
        protected StepExecutor.Factory steps(RunSettings settings) {
            spark = master.session("inception-spark train");
            // DJL trains one network at a time per JVM: one replica per executor (the driver is not one).
            int n = replicas != null ? replicas : spark.sparkContext().isLocal() ? 1 : registeredExecutors(spark);
            return (s, loader) -> new DistributedTraining(spark, s, n, syncEvery);
        }
    }

    /**
     * The executors of a cluster once they have registered: executors join after the session starts (a standalone
     * master does not wait for any), so the count is taken when it has held still for 3 s, within a minute.
     */
    static int registeredExecutors(SparkSession spark) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        int last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int now = spark.sparkContext().statusTracker().getExecutorInfos().length - 1; // the driver is listed
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (now > 0 && System.nanoTime() - stableSince > 3_000_000_000L) {
                return now;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Math.max(1, last);
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Classify image files across a Spark cluster and write one Parquet row per file: path, "
                    + "predictions (top-k index, label, probability), error.", "A file that cannot be decoded gets "
                    + "its reason in error and no predictions; the others are still classified, and the exit code is "
                    + "then 1."})
    static final class Predict implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Master master;

        @Mixin
        ImageFiles files;

        @Mixin
        BackendOption backend;

        @Mixin
        PredictionOptions prediction;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            DistributedClassifier classifier = new DistributedClassifier(files.checkpoint.toString(),
                    backend.backend(), prediction.protocol(), prediction.topK(), prediction.batchSize());
            SparkSession spark = master.session("inception-spark predict");
            try {
                return write(classifier.classify(DistributedClassifier.readImages(spark, files.images)), files.out,
                        "classified", stdout);
            } finally {
                spark.stop();
            }
        }
    }

    /** What predict and features read and write: a checkpoint, image files, and the Parquet result. */
    static final class ImageFiles {
        @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A checkpoint directory, "
                + "at the same path on every executor.")
        Path checkpoint;

        @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "Image files or directories (read "
                + "recursively) on a file system every executor reads: local paths, hdfs://, s3a:// ...")
        List<String> images;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the Parquet "
                + "result (replaced if present).")
        String out;
    }

    /**
     * Writes {@code result} (rows with an {@code error} column) as Parquet to {@code out}, prints how many rows
     * were done and refused, and returns the exit code: 1 when any was refused.
     */
    static int write(Dataset<Row> result, String out, String done, PrintWriter stdout) {
        result.write().mode(SaveMode.Overwrite).parquet(out);
        Dataset<Row> written = result.sparkSession().read().parquet(out);
        long total = written.count();
        long refused = written.filter(functions.col("error").isNotNull()).count();
        stdout.println(String.format(Locale.ROOT, "%d images: %d %s, %d refused; wrote %s", total, total - refused,
                done, refused, out));
        return refused == 0 ? 0 : 1;
    }

    @Command(name = "features", mixinStandardHelpOptions = true,
            description = {"Write an endpoint's output (default: the pooled pre-logits) for image files across a "
                    + "Spark cluster: one Parquet row per file, path, features (C·H·W floats, row-major), error.",
                    "A file that cannot be decoded gets its reason in error and no features; the exit code is then "
                    + "1."})
    static final class Features implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Master master;

        @Mixin
        ImageFiles files;

        @Option(names = "--endpoint", paramLabel = "NAME", description = "A layer of the main path, e.g. "
                + "inception4e (default: the layer before the classifier).")
        String endpoint;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Images decoded and "
                + "run together (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Override
        public Integer call() {
            // Endpoints come from DJL's network, as in inception features (the other backends give logits only).
            DistributedClassifier classifier = new DistributedClassifier(files.checkpoint.toString(),
                    InferenceBackend.DJL, CropProtocol.CENTER, 1, batchSize);
            SparkSession spark = master.session("inception-spark features");
            try {
                return write(classifier.features(DistributedClassifier.readImages(spark, files.images), endpoint),
                        files.out, "with features", spec.commandLine().getOut());
            } finally {
                spark.stop();
            }
        }
    }
}
