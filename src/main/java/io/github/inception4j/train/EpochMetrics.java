package io.github.inception4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One epoch's metrics: one line of metrics.jsonl and metrics.csv (both flat, with the columns of {@link #columns}).
 *
 * @param epoch 1-based
 * @param lr the learning rate at the epoch's last step
 */
public record EpochMetrics(int epoch, double lr, Training training, Validation validation, Timing timing) {

    static final String CSV_HEADER = "epoch,lr,train_loss,train_accuracy,val_loss,val_accuracy,val_top5,grad_norm,"
            + "seconds,images_per_second,skipped_images,averaged";

    /**
     * @param loss mean training loss (smoothed, auxiliary heads included), as optimised
     * @param accuracy top-1 of the main head on the (distorted) training batches, in training mode
     * @param gradNorm mean global gradient norm before clipping
     * @param skippedImages training images that could not be read (skipped, not fatal)
     */
    public record Training(double loss, double accuracy, double gradNorm, long skippedImages) {
    }

    /**
     * @param loss plain cross-entropy of the main head on the validation set
     * @param averaged whether validation used the EMA (Polyak) weights
     */
    public record Validation(double loss, double accuracy, double top5, boolean averaged) {
        /** No validation set: every figure NaN. */
        public static Validation none(boolean averaged) {
            return new Validation(Double.NaN, Double.NaN, Double.NaN, averaged);
        }
    }

    public record Timing(double seconds, double imagesPerSecond) {
    }

    /** The flat columns, in file order, named as metrics.jsonl names them. */
    Map<String, Object> columns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("epoch", epoch);
        c.put("lr", lr);
        c.put("trainLoss", training.loss());
        c.put("trainAccuracy", training.accuracy());
        c.put("valLoss", validation.loss());
        c.put("valAccuracy", validation.accuracy());
        c.put("valTop5", validation.top5());
        c.put("gradNorm", training.gradNorm());
        c.put("seconds", timing.seconds());
        c.put("imagesPerSecond", timing.imagesPerSecond());
        c.put("skippedImages", training.skippedImages());
        c.put("averaged", validation.averaged());
        return c;
    }

    String csv() {
        return columns().values().stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
