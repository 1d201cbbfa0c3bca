package io.github.inception4j.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.inception4j.json.JsonRecords;
import io.github.inception4j.report.Charts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A recipe against its one-change variants, each trained with several seeds (issue #22's ablations): mean and
 * standard deviation of validation accuracy per variant, and whether a variant's difference from the baseline is
 * larger than the seeds' spread. The rule is that the two mean ± sd intervals do not overlap,
 * {@code |mean_v − mean_b| > sd_v + sd_b}; anything less is reported as no difference, and a variant or baseline of
 * one seed is not judged.
 */
public final class Ablations {

    /** One variant: its validation accuracy for each seed, in the order the runs finished. */
    public record Variant(String name, String change, double[] accuracies, double[] minutes) {

        public Variant {
            if (accuracies.length == 0 || accuracies.length != minutes.length) {
                throw new IllegalArgumentException("variant '" + name + "' needs one accuracy and one time a run");
            }
        }

        public double mean() {
            return average(accuracies);
        }

        /** The sample standard deviation (n − 1); 0 for a single seed. */
        public double sd() {
            if (accuracies.length < 2) {
                return 0;
            }
            double m = mean();
            double sum = 0;
            for (double a : accuracies) {
                sum += (a - m) * (a - m);
            }
            return Math.sqrt(sum / (accuracies.length - 1));
        }

        public double meanMinutes() {
            return average(minutes);
        }

        /** Whether this variant's mean ± sd interval and {@code baseline}'s are disjoint. */
        public boolean differsFrom(Variant baseline) {
            return Math.abs(mean() - baseline.mean()) > sd() + baseline.sd();
        }

        private static double average(double[] values) {
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            return sum / values.length;
        }
    }

    private Ablations() {
    }

    /**
     * The runs of {@code bench/ablations.sh}'s log, one JSON object a line with {@code variant}, {@code change},
     * {@code val_accuracy} and {@code minutes}, grouped by variant in the order variants first appear.
     */
    public static List<Variant> read(Path log) throws IOException {
        return parse(Files.readAllLines(log), log.toString());
    }

    /**
     * {@link #read} of lines already read; {@code source} names them in errors.
     *
     * @throws IllegalArgumentException naming the line that is not a run (an accuracy outside [0, 1] included)
     */
    public static List<Variant> parse(List<String> lines, String source) {
        Map<String, List<double[]>> byVariant = new LinkedHashMap<>();
        Map<String, String> changes = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = source + " line " + (i + 1);
            try {
                JsonElement e = JsonRecords.parse(lines.get(i), where);
                if (!(e instanceof JsonObject run) || !(run.get("variant") instanceof JsonPrimitive variant)
                        || !(run.get("val_accuracy") instanceof JsonPrimitive accuracy) || !accuracy.isNumber()
                        || !(run.get("minutes") instanceof JsonPrimitive minutes) || !minutes.isNumber()) {
                    throw new IllegalArgumentException("expected an object with variant, val_accuracy and minutes");
                }
                double a = accuracy.getAsDouble();
                double m = minutes.getAsDouble();
                if (!(a >= 0 && a <= 1) || !(m >= 0 && m < Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException("val_accuracy must be in [0, 1] and minutes finite and ≥ 0");
                }
                String name = variant.getAsString();
                byVariant.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {a, m});
                changes.putIfAbsent(name, run.get("change") instanceof JsonPrimitive c ? c.getAsString() : "");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        List<Variant> out = new ArrayList<>();
        byVariant.forEach((name, runs) -> out.add(new Variant(name, changes.get(name),
                runs.stream().mapToDouble(r -> r[0]).toArray(), runs.stream().mapToDouble(r -> r[1]).toArray())));
        return out;
    }

    static Variant baseline(List<Variant> variants, String baseline) {
        return variants.stream().filter(v -> v.name().equals(baseline)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no runs of the baseline '" + baseline + "'"));
    }

    /** Whether {@code v} and {@code base} both have a spread to judge a difference by (two seeds or more). */
    private static boolean judged(Variant v, Variant base) {
        return v.accuracies().length > 1 && base.accuracies().length > 1;
    }

    /** A Markdown table: variant, seeds, mean ± sd and each seed (percent), minutes a run, verdict. */
    public static String table(List<Variant> variants, String baseline) {
        Variant base = baseline(variants, baseline);
        StringBuilder md = new StringBuilder("| variant | change | seeds | mean ± sd (%) | runs (%) | min a run "
                + "| vs baseline |\n|---|---|---|---|---|---|---|\n");
        for (Variant v : variants) {
            List<String> runs = new ArrayList<>();
            for (double a : v.accuracies()) {
                runs.add(String.format(Locale.ROOT, "%.2f", 100 * a));
            }
            String verdict;
            if (v == base) {
                verdict = "–";
            } else if (!judged(v, base)) {
                verdict = "not judged: one seed has no spread";
            } else {
                double delta = 100 * (v.mean() - base.mean());
                double spread = 100 * (v.sd() + base.sd());
                verdict = String.format(Locale.ROOT, "%+.2f (spread %.2f): %s", delta, spread,
                        v.differsFrom(base) ? "**a difference**" : "no difference");
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f ± %.2f | %s | %.1f | %s |%n", v.name(),
                    v.change().isEmpty() ? "–" : "`" + v.change() + "`", v.accuracies().length, 100 * v.mean(),
                    100 * v.sd(), String.join(", ", runs), v.meanMinutes(), verdict));
        }
        return md.toString();
    }

    /** Every seed as a dot and each variant's mean ± sd as a bar, against the baseline's band; SVG. */
    public static String plot(List<Variant> variants, String baseline, String title) {
        Variant base = baseline(variants, baseline);
        List<Charts.Spread> rows = new ArrayList<>();
        for (Variant v : variants) {
            double[] percent = new double[v.accuracies().length];
            for (int i = 0; i < percent.length; i++) {
                percent[i] = 100 * v.accuracies()[i];
            }
            rows.add(new Charts.Spread(v.name(), percent, 100 * v.mean(), 100 * v.sd(),
                    v != base && judged(v, base) && v.differsFrom(base)));
        }
        return Charts.spreads(title, "validation accuracy (%), each seed a dot, mean ± sd a bar", rows,
                variants.indexOf(base));
    }
}
