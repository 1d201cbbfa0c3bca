package io.github.inception4j.train;

import io.github.inception4j.report.Evaluation;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.nn.InceptionNetwork;
import java.util.Arrays;

/** Classifies every batch of a loader in eval mode and tallies top-1, top-5, loss and confusions. */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * @param inputSize side of the square samples the loader produces (3 × S × S floats each)
     */
    public static Evaluation evaluate(InceptionNetwork net, DataLoader loader, int inputSize, NDManager manager) {
        // Grad mode is per thread in libtorch: make sure no graph is recorded whichever thread evaluates.
        JniUtils.setGradMode(false);
        int classes = net.spec().numClasses();
        Evaluation.Tally tally = new Evaluation.Tally(classes, loader.data().classNames());
        ParameterStore store = new ParameterStore(manager, false);
        try (DataLoader.EpochIterator it = loader.epoch(0, 0)) {
            while (it.hasNext()) {
                DataLoader.Batch batch = it.next();
                if (batch.count() == 0) {
                    continue;
                }
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = images(batch, inputSize, step);
                    NDArray y = labels(batch, step);
                    NDArray logits = net.forward(store, new NDList(x), false).head();
                    // Only the logits and each example's cross-entropy cross into Java.
                    float[] losses = logits.logSoftmax(1).get(new NDIndex().addAllDim().addPickDim(y)).neg()
                            .toFloatArray();
                    float[] scores = logits.toFloatArray();
                    for (int i = 0; i < batch.count(); i++) {
                        tally.add(Arrays.copyOfRange(scores, i * classes, (i + 1) * classes), batch.labels()[i],
                                losses[i]);
                    }
                }
            }
        }
        return tally.result();
    }

    /** The batch's samples as (N, 3, S, S) float32. */
    static NDArray images(DataLoader.Batch batch, int inputSize, NDManager manager) {
        return manager.create(batch.samples(), new Shape(batch.count(), 3, inputSize, inputSize));
    }

    /** The batch's labels as (N) int64, what pick indexing takes. */
    static NDArray labels(DataLoader.Batch batch, NDManager manager) {
        return manager.create(Arrays.stream(batch.labels()).asLongStream().toArray());
    }
}
