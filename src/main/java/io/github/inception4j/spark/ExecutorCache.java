package io.github.inception4j.spark;

import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.nn.InferenceBackend;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one executor JVM loads once and keeps for every task it runs: classifiers (one per checkpoint and backend:
 * weights, compiled plans and arenas are large, and concurrent tasks share them) and evaluation datasets. They live
 * as long as the executor, as a cluster's model cache does.
 */
final class ExecutorCache {

    private static final Map<String, ImageClassifier> CLASSIFIERS = new ConcurrentHashMap<>();
    private static final Map<String, ImageDataset> DATASETS = new ConcurrentHashMap<>();
    private static Replica replica;

    private ExecutorCache() {
    }

    /** The classifier of {@code checkpoint} on {@code backend}, loaded on first use in this JVM. */
    static ImageClassifier classifier(String checkpoint, InferenceBackend backend) {
        return CLASSIFIERS.computeIfAbsent(backend.id() + " " + checkpoint,
                key -> ImageClassifier.load(Path.of(checkpoint), backend));
    }

    /**
     * The replica network of the training run with these settings, made on first use in this JVM and shared by all
     * the replicas that run here (each exchange loads its whole state, so it is scratch space); one of another run
     * (other settings) is closed and replaced.
     */
    static synchronized Replica replica(String settingsJson) {
        if (replica == null || !replica.settingsJson().equals(settingsJson)) {
            if (replica != null) {
                replica.close();
            }
            replica = new Replica(settingsJson);
        }
        return replica;
    }

    /** {@link DataSources#openForEvaluation(String, Integer)}, opened on first use in this JVM. */
    static ImageDataset evaluationData(String data, Integer limit) {
        return DATASETS.computeIfAbsent(limit + " " + data, key -> DataSources.openForEvaluation(data, limit));
    }
}
