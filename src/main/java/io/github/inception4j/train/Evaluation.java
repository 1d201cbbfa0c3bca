package io.github.inception4j.train;

import java.util.List;

/**
 * Results of classifying a labelled set: accuracy, top-5, mean cross-entropy and the confusion matrix
 * ({@code confusion[true][predicted]} counts).
 */
public record Evaluation(long count, double loss, long correct, long correctTop5, long[][] confusion,
                         List<String> classNames) {

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
