package io.github.inception4j.spark;

import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.eval.CropProtocol;
import io.github.inception4j.eval.EnsembleEvaluator;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.nn.InferenceBackend;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code inception evaluate} on a cluster: the data is cut into consecutive parts, each executor scores its parts
 * with the same {@link EnsembleEvaluator#score} the single-process evaluation runs (one model per executor JVM,
 * batched forward passes), and the driver joins the parts in order and assembles the same
 * {@link EnsembleEvaluator.Result}: the same report, the same numbers. Every executor must read the data source and
 * the checkpoints at the same paths (a shared file system, or the jar's embedded subset).
 */
public final class DistributedEvaluator {

    /** Parts per core of the cluster: a few, so that a slow or lost task costs a small part of the work. */
    private static final int PARTS_PER_CORE = 4;

    private DistributedEvaluator() {
    }

    /** What one task returns: its part's place in the data and each model's scores on it. */
    record Part(int index, List<EnsembleEvaluator.Member> members, List<EnsembleEvaluator.Scores> scores)
            implements Serializable {
    }

    /** The data as every executor opens it, and how many images the driver counted in it. */
    record Source(String data, Integer limit, int images) implements Serializable {
    }

    /** What every task needs to score its part; small and serializable. */
    record Job(List<String> checkpoints, InferenceBackend backend, Source source, List<CropProtocol> protocols,
               int threads, int parts) implements Serializable {

        /** Scores part {@code index} of the data with every model of the job (on an executor). */
        Part score(int index) {
            ImageDataset all = ExecutorCache.evaluationData(source.data(), source.limit());
            int images = source.images();
            if (all.size() != images) {
                throw new IllegalStateException("the executor sees " + all.size() + " images in " + source.data()
                        + " but the driver saw " + images + ": every executor must read the same data");
            }
            int from = (int) ((long) index * images / parts);
            int to = (int) ((long) (index + 1) * images / parts);
            ImageDataset part = all.subset(IntStream.range(from, to).toArray());
            List<ImageClassifier> members = new ArrayList<>();
            checkpoints.forEach(c -> members.add(ExecutorCache.classifier(c, backend)));
            if (backend.reducedPrecision()) {
                members.add(ExecutorCache.classifier(checkpoints.get(0), InferenceBackend.DEFAULT));
            }
            return new Part(index, members.stream().map(EnsembleEvaluator.Member::of).toList(),
                    members.stream().map(m -> EnsembleEvaluator.score(m, part, protocols, threads,
                            (done, total, rate, eta) -> { })).toList());
        }
    }

    /**
     * Evaluates the checkpoints (an ensemble if several) on {@code data} across the cluster of {@code spark}. A
     * backend of reduced precision is compared with the same checkpoint in float32, as in
     * {@code EnsembleEvaluator#compare}.
     *
     * @param threads loader threads per task (decoding, cropping)
     */
    public static EnsembleEvaluator.Result evaluate(SparkSession spark, List<String> checkpoints,
                                                    InferenceBackend backend, String data, Integer limit,
                                                    List<CropProtocol> protocols, int threads) {
        if (checkpoints.isEmpty() || protocols.isEmpty()) {
            throw new IllegalArgumentException("evaluation needs at least one model and one crop protocol");
        }
        if (backend.reducedPrecision() && checkpoints.size() > 1) {
            throw new IllegalArgumentException("an " + backend.id() + " evaluation compares one checkpoint with "
                    + "its float32 results; ensembles run in float32");
        }
        ImageDataset dataset = DataSources.openForEvaluation(data, limit);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int parts = Math.max(1, Math.min(dataset.size(), context.defaultParallelism() * PARTS_PER_CORE));
        Job job = new Job(List.copyOf(checkpoints), backend, new Source(data, limit, dataset.size()),
                List.copyOf(protocols), threads, parts);
        List<Part> scored = new ArrayList<>(context.parallelize(IntStream.range(0, parts).boxed().toList(), parts)
                .map(job::score).collect());
        scored.sort(Comparator.comparingInt(Part::index));
        List<EnsembleEvaluator.Scores> joined = IntStream.range(0, scored.get(0).members().size())
                .mapToObj(m -> EnsembleEvaluator.Scores.concat(scored.stream().map(p -> p.scores().get(m)).toList()))
                .toList();
        return EnsembleEvaluator.assemble(scored.get(0).members(), joined, dataset.classNames(), protocols,
                !backend.reducedPrecision());
    }
}
