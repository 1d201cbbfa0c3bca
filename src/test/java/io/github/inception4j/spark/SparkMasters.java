package io.github.inception4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The two local modes the Spark tests run in: {@code local[2]} (one JVM: driver and executor threads share
 * everything, libtorch included) and {@code local-cluster[2,1,1024]} (two executor JVMs of one core and 1 GiB,
 * each loading libtorch itself: what a real cluster does, short of the network).
 */
final class SparkMasters {

    static final String LOCAL = "local[2]";
    static final String CLUSTER = "local-cluster[2,1,1024]";

    private SparkMasters() {
    }

    /**
     * Readies {@code master}: for local-cluster, the empty Spark installation the surefire execution's SPARK_HOME
     * names, and the executors' classpath, options and threads as system properties (which every SparkConf reads,
     * the command line's too). Returns the master.
     */
    static String prepare(String master) {
        if (master.startsWith("local-cluster")) {
            String home = System.getenv("SPARK_HOME");
            if (home == null) {
                throw new IllegalStateException("local-cluster needs SPARK_HOME (set by the spark-tests execution)");
            }
            try {
                Files.createDirectories(Path.of(home, "jars"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            System.setProperty("spark.executor.extraJavaOptions", "-Dai.djl.offline=true");
            // Spark gives executors OMP_NUM_THREADS = their task cores (1 here), and libtorch then adds up in
            // another order than the driver's two threads: the training oracle had drifted to 1.6e-4 after its
            // dozen steps. With the driver's thread count it matches to 3.6e-7, as two replicas in one JVM do.
            System.setProperty("spark.executorEnv.OMP_NUM_THREADS", "2");
        }
        return master;
    }

    static SparkSession session(String master, String app) {
        return SparkSession.builder().master(prepare(master)).appName(app).getOrCreate();
    }
}
