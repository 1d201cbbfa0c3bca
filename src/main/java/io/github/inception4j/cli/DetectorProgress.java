package io.github.inception4j.cli;

import io.github.inception4j.detect.DetectorTraining;
import io.github.inception4j.detect.RegressionTraining;
import io.github.inception4j.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/** A detector's training on the console: each stage with the minutes so far, MultiBox's epochs, the classifiers'. */
final class DetectorProgress implements DetectorTraining.Progress {

    private final PrintWriter out;
    private final ConsoleProgress classifiers;
    private final long start = System.nanoTime();

    DetectorProgress(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.classifiers = new ConsoleProgress(out, err, System.console() != null);
    }

    /** Minutes since this progress was made. */
    double minutes() {
        return (System.nanoTime() - start) / 6e10;
    }

    @Override
    public void stage(String text) {
        out.println(String.format(Locale.ROOT, "[%.1f min] %s", minutes(), text));
    }

    @Override
    public void multiBoxEpoch(RegressionTraining.Epoch e) {
        out.println(String.format(Locale.ROOT, "  MultiBox epoch %d/%d: loss %.3f, %.0f images/s, %.0f s left",
                e.epoch(), e.epochs(), e.loss(), e.imagesPerSecond(), e.secondsLeft()));
    }

    @Override
    public void refinerEpoch(RegressionTraining.Epoch e) {
        out.println(String.format(Locale.ROOT, "  box refiner epoch %d/%d: loss %.3f, %.1f%% refined to IoU ≥ 0.7, "
                + "%.0f crops/s, %.0f s left", e.epoch(), e.epochs(), e.loss(), 100 * e.correct(), e.imagesPerSecond(),
                e.secondsLeft()));
    }

    @Override
    public TrainingListener classifier(int member) {
        return classifiers;
    }
}
