package io.github.inception4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.nn.InceptionNetwork;

/** Classifies every batch of a loader in eval mode and counts top-1, top-5, loss and confusions. */
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
        long[][] confusion = new long[classes][classes];
        double lossSum = 0;
        long count = 0;
        long correct = 0;
        long correctTop5 = 0;
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
                    long[] labels = y.toLongArray();
                    NDArray logits = net.forward(store, new NDList(x), false).head();
                    NDArray logp = logits.logSoftmax(1);
                    // (N, 1): pick keeps the picked axis.
                    NDArray trueLogit = logits.get(new NDIndex().addAllDim().addPickDim(y));
                    lossSum += logp.get(new NDIndex().addAllDim().addPickDim(y)).neg().sum().getFloat();
                    // Rank of the true class = number of classes scoring strictly higher.
                    long[] rank = logits.gt(trueLogit).toType(DataType.INT64, false).sum(new int[] {1})
                            .toLongArray();
                    long[] predicted = logits.argMax(1).toLongArray();
                    for (int i = 0; i < labels.length; i++) {
                        confusion[(int) labels[i]][(int) predicted[i]]++;
                        if (predicted[i] == labels[i]) {
                            correct++;
                        }
                        if (rank[i] < 5) {
                            correctTop5++;
                        }
                    }
                    count += labels.length;
                }
            }
        }
        return new Evaluation(count, count == 0 ? Double.NaN : lossSum / count, correct, correctTop5, confusion,
                loader.data().classNames());
    }

    /** The batch's samples as (N, 3, S, S) float32. */
    static NDArray images(DataLoader.Batch batch, int inputSize, NDManager manager) {
        return manager.create(batch.samples(), new Shape(batch.count(), 3, inputSize, inputSize));
    }

    /** The batch's labels as (N) int64, what pick indexing takes. */
    static NDArray labels(DataLoader.Batch batch, NDManager manager) {
        return manager.create(java.util.Arrays.stream(batch.labels()).asLongStream().toArray());
    }
}
