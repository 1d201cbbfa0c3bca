package io.github.inception4j.report;

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
     * loss = mean −log p(true class).
     */
    public static Evaluation of(float[][] probabilities, int[] labels, List<String> classNames) {
        Tally tally = new Tally(classNames.size(), classNames);
        for (int i = 0; i < labels.length; i++) {
            tally.add(probabilities[i], labels[i], -Math.log(Math.max(probabilities[i][labels[i]], MIN_PROBABILITY)));
        }
        return tally.result();
    }

    /**
     * Counts examples one at a time from per-class scores (logits or probabilities: only their order matters):
     * prediction = highest score (lowest index on ties), top-5 by the rank of the true class (classes scoring
     * strictly higher), and the mean of the losses given.
     */
    public static final class Tally {
        private final List<String> classNames;
        private final long[][] confusion;
        private long count;
        private long correct;
        private long correctTop5;
        private double lossSum;

        public Tally(int classes, List<String> classNames) {
            this.classNames = classNames;
            this.confusion = new long[classes][classes];
        }

        /** One example: its class scores, true class, and cross-entropy. */
        public void add(float[] scores, int label, double loss) {
            float truth = scores[label];
            int predicted = 0;
            int higher = 0;
            for (int c = 0; c < scores.length; c++) {
                if (scores[c] > scores[predicted]) {
                    predicted = c;
                }
                if (scores[c] > truth) {
                    higher++;
                }
            }
            confusion[label][predicted]++;
            correct += predicted == label ? 1 : 0;
            correctTop5 += higher < 5 ? 1 : 0;
            lossSum += loss;
            count++;
        }

        public Evaluation result() {
            return new Evaluation(count, count == 0 ? Double.NaN : lossSum / count, correct, correctTop5, confusion,
                    classNames);
        }
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
