package io.github.inception4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.nn.InceptionOutputs;
import java.util.Map;

/**
 * What a {@link TrainingStep} minimises: the batch's mean loss from the network's training-mode outputs, and how
 * many of the batch's examples the outputs get right (the step's accuracy count). Classification is
 * {@link #classification}; a detector's box regressor brings its own (targets in {@link DataLoader.Batch#targets}).
 * Constants inside the loss must come from {@link io.github.inception4j.nn.Scalars} (decisions.md #33).
 */
public interface Objective {

    /** The batch's mean loss, a scalar in {@code manager}, differentiable with respect to the outputs. */
    NDArray loss(InceptionOutputs outputs, DataLoader.Batch batch, NDManager manager);

    /** The examples of the batch the outputs get right. */
    long correct(InceptionOutputs outputs, DataLoader.Batch batch, NDManager manager);

    /**
     * Cross-entropy against the batch's labels with label smoothing and the auxiliary heads weighted by name
     * ({@link Losses#total}); correct = top-1 of the main logits.
     */
    static Objective classification(double labelSmoothing, Map<String, Double> auxWeights) {
        Map<String, Double> weights = Map.copyOf(auxWeights);
        return new Objective() {
            @Override
            public NDArray loss(InceptionOutputs outputs, DataLoader.Batch batch, NDManager manager) {
                return Losses.total(outputs, Evaluator.labels(batch, manager), labelSmoothing, weights);
            }

            @Override
            public long correct(InceptionOutputs outputs, DataLoader.Batch batch, NDManager manager) {
                return outputs.logits().argMax(1).eq(Evaluator.labels(batch, manager)).sum().getLong();
            }
        };
    }
}
