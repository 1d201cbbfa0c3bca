package io.github.inception4j.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
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
 * {@code |mean_v − mean_b| > sd_v + sd_b}; anything less is reported as no difference.
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
        Map<String, List<JsonObject>> byVariant = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(log);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = log + " line " + (i + 1);
            JsonElement e = JsonRecords.parse(lines.get(i), where);
            if (!(e instanceof JsonObject run) || !run.has("variant") || !run.has("val_accuracy")
                    || !run.has("minutes")) {
                throw new IllegalArgumentException(where + ": expected an object with variant, val_accuracy and "
                        + "minutes");
            }
            byVariant.computeIfAbsent(run.get("variant").getAsString(), k -> new ArrayList<>()).add(run);
        }
        List<Variant> out = new ArrayList<>();
        for (Map.Entry<String, List<JsonObject>> v : byVariant.entrySet()) {
            List<JsonObject> runs = v.getValue();
            double[] accuracies = runs.stream().mapToDouble(r -> r.get("val_accuracy").getAsDouble()).toArray();
            double[] minutes = runs.stream().mapToDouble(r -> r.get("minutes").getAsDouble()).toArray();
            String change = runs.get(0).has("change") ? runs.get(0).get("change").getAsString() : "";
            out.add(new Variant(v.getKey(), change, accuracies, minutes));
        }
        return out;
    }

    static Variant baseline(List<Variant> variants, String baseline) {
        return variants.stream().filter(v -> v.name().equals(baseline)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no runs of the baseline '" + baseline + "'"));
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
            rows.add(new Charts.Spread(v.name(), percent, v != base && v.differsFrom(base)));
        }
        return Charts.spreads(title, "validation accuracy (%), each seed a dot, mean ± sd a bar", rows,
                variants.indexOf(base));
    }
}
