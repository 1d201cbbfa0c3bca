package io.github.inception4j.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.nn.InceptionOutputs;
import io.github.inception4j.nn.Scalars;
import io.github.inception4j.train.Objective;

/**
 * The {@link BoxRefiner}'s loss: Fast R-CNN's smooth L1 (Girshick 2015, eq. 3) summed over the four scaled offsets,
 * ½d² below |d| = 1 and |d| − ½ above, averaged over the batch. An example is correct when the box it predicts
 * overlaps its object by IoU ≥ 0.7 (the region classifiers' positives), measured on a unit proposal — IoU does not
 * change when both boxes are scaled by the proposal's size.
 */
record BoxRefinerLoss() implements Objective {

    private static final double CORRECT_IOU = 0.7;

    @Override
    public NDArray loss(InceptionOutputs outputs, DataLoader.Batch batch, NDManager manager) {
        NDArray d = outputs.logits().sub(targets(batch, manager)).abs();
        NDArray inner = d.minimum(Scalars.of(1, d));
        NDArray smooth = inner.mul(inner).mul(Scalars.of(0.5, d)).add(d.sub(inner));
        return smooth.sum(new int[] {1}).mean();
    }

    @Override
    public long correct(InceptionOutputs outputs, DataLoader.Batch batch, NDManager manager) {
        float[] predicted = outputs.logits().toFloatArray();
        float[] wanted = batch.targets();
        Box unit = new Box(0, 0, 1, 1);
        long correct = 0;
        for (int i = 0; i < batch.count(); i++) {
            if (BoxRefiner.apply(unit, predicted, 4 * i).iou(BoxRefiner.apply(unit, wanted, 4 * i)) >= CORRECT_IOU) {
                correct++;
            }
        }
        return correct;
    }

    private static NDArray targets(DataLoader.Batch batch, NDManager manager) {
        if (batch.targets() == null || batch.targets().length != 4 * batch.count()) {
            throw new IllegalArgumentException("a box refiner's batch needs 4 targets per example");
        }
        return manager.create(batch.targets(), new Shape(batch.count(), 4));
    }
}
