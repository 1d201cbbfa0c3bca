package io.github.inception4j.train;

import java.util.List;

/**
 * Results of classifying a labelled set: accuracy, top-5, mean cross-entropy and the confusion matrix
 * ({@code confusion[true][predicted]} counts).
 */
public record Evaluation(long count, double loss, long correct, long correctTop5, long[][] confusion,
                         List<String> classNames) {

    /** Probabilities below this count as this in the loss, so one confident mistake cannot make it infinite. */
    static final double MIN_PROBABILITY = 1e-12;

    /**
     * Scores class probabilities (one row per example, e.g. averaged over crops or models) against the labels:
     * prediction = most probable class (lowest index on ties), top-5 by the rank of the true class, loss = mean
     * −log p(true class).
     */
    public static Evaluation of(float[][] probabilities, int[] labels, List<String> classNames) {
        int classes = classNames.size();
        long[][] confusion = new long[classes][classes];
        long correct = 0;
        long correctTop5 = 0;
        double lossSum = 0;
        for (int i = 0; i < labels.length; i++) {
            float[] p = probabilities[i];
            float truth = p[labels[i]];
            int predicted = 0;
            int higher = 0;
            for (int c = 0; c < p.length; c++) {
                if (p[c] > p[predicted]) {
                    predicted = c;
                }
                if (p[c] > truth) {
                    higher++;
                }
            }
            confusion[labels[i]][predicted]++;
            correct += predicted == labels[i] ? 1 : 0;
            correctTop5 += higher < 5 ? 1 : 0;
            lossSum -= Math.log(Math.max(truth, MIN_PROBABILITY));
        }
        return new Evaluation(labels.length, labels.length == 0 ? Double.NaN : lossSum / labels.length, correct,
                correctTop5, confusion, classNames);
    }

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    /** Top-5 accuracy; NaN with five classes or fewer, where it says nothing. */
    public double top5() {
        return count == 0 || classNames.size() <= 5 ? Double.NaN : (double) correctTop5 / count;
    }

    /** Recall of each class: correct / examples of that class. */
    public double[] perClassAccuracy() {
        double[] out = new double[confusion.length];
        for (int c = 0; c < confusion.length; c++) {
            long total = 0;
            for (long n : confusion[c]) {
                total += n;
            }
            out[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
        }
        return out;
    }
}
