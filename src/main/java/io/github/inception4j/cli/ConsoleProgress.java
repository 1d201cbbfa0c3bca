package io.github.inception4j.cli;

import io.github.inception4j.train.EpochMetrics;
import io.github.inception4j.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress on the console: a bar redrawn in place on a terminal, a line every {@value #LINE_SECONDS}
 * seconds otherwise (logs, CI), and one line per epoch.
 */
final class ConsoleProgress implements TrainingListener {

    private static final int LINE_SECONDS = 15;

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private long lastPrint;

    ConsoleProgress(PrintWriter out, PrintWriter err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void message(String text) {
        clearLine();
        out.println(text);
    }

    @Override
    public void batch(int epoch, int epochs, int batch, int batches, double loss, double imagesPerSecond,
                      double etaSeconds) {
        progress("epoch " + epoch + "/" + epochs, batch, batches,
                String.format(Locale.ROOT, "loss %.4f", loss), imagesPerSecond, etaSeconds);
    }

    /** A progress bar: {@code label [###...] done/total  detail  rate img/s  ETA}. */
    void progress(String label, long done, long total, String detail, double imagesPerSecond, double etaSeconds) {
        long now = System.nanoTime();
        boolean last = done == total;
        if (!terminal && !last && now - lastPrint < LINE_SECONDS * 1_000_000_000L) {
            return;
        }
        if (terminal && !last && now - lastPrint < 200_000_000L) {
            return;
        }
        lastPrint = now;
        int width = 24;
        int filled = (int) Math.round(width * (double) done / total);
        String line = String.format(Locale.ROOT, "%s [%s%s] %d/%d  %s%.0f img/s  ETA %s", label,
                "#".repeat(filled), ".".repeat(width - filled), done, total, detail.isEmpty() ? "" : detail + "  ",
                imagesPerSecond, duration(etaSeconds));
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            err.flush();
        } else {
            err.println(line);
        }
    }

    @Override
    public void epoch(EpochMetrics m) {
        clearLine();
        // A run without a validation split (a detector's region classifiers) has NaN there: say nothing of it.
        String validation = Double.isNaN(m.validation().loss()) ? "" : String.format(Locale.ROOT,
                " | val loss %.4f acc %.2f%%", m.validation().loss(), 100 * m.validation().accuracy());
        out.println(String.format(Locale.ROOT, "epoch %d: train loss %.4f acc %.2f%%%s | lr %.3g | %.0f s, %.0f "
                        + "img/s%s", m.epoch(), m.training().loss(), 100 * m.training().accuracy(), validation, m.lr(),
                m.timing().seconds(), m.timing().imagesPerSecond(),
                m.training().skippedImages() > 0 ? " | skipped images " + m.training().skippedImages() : ""));
    }

    /** Ends a bar drawn in place, so what follows starts on a clean line. */
    void clearLine() {
        if (terminal) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
