package io.github.inception4j.train;

/**
 * One line of metrics.jsonl / metrics.csv. Validation fields are NaN when there is no validation set.
 *
 * @param epoch 1-based
 * @param lr the learning rate at the epoch's last step
 * @param trainLoss mean training loss (smoothed, auxiliary heads included), as optimised
 * @param trainAccuracy top-1 of the main head on the (distorted) training batches, in training mode
 * @param valLoss plain cross-entropy of the main head on the validation set
 * @param gradNorm mean global gradient norm before clipping
 * @param averaged whether validation used the EMA (Polyak) weights
 */
public record EpochMetrics(int epoch, double lr, double trainLoss, double trainAccuracy, double valLoss,
                           double valAccuracy, double valTop5, double gradNorm, double seconds, double imagesPerSecond,
                           long skippedImages, boolean averaged) {

    static final String CSV_HEADER = "epoch,lr,train_loss,train_accuracy,val_loss,val_accuracy,val_top5,grad_norm,"
            + "seconds,images_per_second,skipped_images,averaged";

    String csv() {
        return epoch + "," + lr + "," + trainLoss + "," + trainAccuracy + "," + valLoss + "," + valAccuracy + ","
                + valTop5 + "," + gradNorm + "," + seconds + "," + imagesPerSecond + "," + skippedImages + ","
                + averaged;
    }
}
