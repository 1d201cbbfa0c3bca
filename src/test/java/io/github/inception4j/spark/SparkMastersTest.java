package io.github.inception4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The local-cluster variants of the Spark tests really run their tasks in executor JVMs of their own. */
class SparkMastersTest {

    @Test
    void localClusterRunsTasksInTwoExecutorJvms() {
        SparkSession spark = SparkMasters.session(SparkMasters.CLUSTER, "SparkMastersTest");
        try {
            List<Long> pids = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8).map(i -> ProcessHandle.current().pid())
                    .collect();
            Set<Long> executors = new HashSet<>(pids);
            assertFalse(executors.contains(ProcessHandle.current().pid()), "a task ran in the driver: " + pids);
            assertEquals(2, executors.size(), "executor JVMs: " + pids);
        } finally {
            spark.stop();
        }
    }
}
