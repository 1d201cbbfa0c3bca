package io.github.inception4j.train;

import io.github.inception4j.report.Charts;
import io.github.inception4j.report.Evaluation;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** report.html of a run: curves, the epoch table, the test result with its confusion matrix, the recipe. */
public final class Report {

    private Report() {
    }

    public static String html(RunSettings settings, List<EpochMetrics> history, Evaluation test, String status) {
        double[] epochs = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
        StringBuilder h = new StringBuilder();
        String title = settings.architecture() + " · " + settings.recipe().name() + " · " + settings.data().train();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(Charts.escape(title))
                .append("</title><style>body{font-family:sans-serif;margin:2em;color:#222}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;"
                        + "text-align:right}th{background:#f4f4f4}.charts{display:flex;flex-wrap:wrap;gap:1em}"
                        + ".status{padding:.5em 1em;background:#fff4d6;border:1px solid #e0c070}</style></head><body>");
        h.append("<h1>").append(Charts.escape(title)).append("</h1>");
        if (status != null) {
            h.append("<p class=\"status\">").append(Charts.escape(status)).append("</p>");
        }
        h.append("<p>").append(history.size()).append(" of ").append(settings.recipe().run().epochs())
                .append(" epochs · input ").append(settings.options().inputSize()).append("×")
                .append(settings.options().inputSize()).append(" · width ×").append(settings.options().widthMultiplier())
                .append(" · seed ").append(settings.seed()).append("</p>");
        if (test != null) {
            h.append(String.format(Locale.ROOT, "<h2>Test set</h2><p><b>accuracy %.2f%%</b> on %d images "
                    + "(cross-entropy %.4f%s)</p>", 100 * test.accuracy(), test.count(), test.loss(),
                    Double.isNaN(test.top5()) ? "" : String.format(Locale.ROOT, ", top-5 %.2f%%", 100 * test.top5())));
            h.append(Charts.confusionMatrix(test.confusion(), test.classNames()));
        }
        h.append("<h2>Curves</h2><div class=\"charts\">");
        h.append(Charts.lineChart("Loss", "epoch", List.of(
                new Charts.Series("train (smoothed)", "#1f77b4", epochs,
                        history.stream().mapToDouble(m -> m.training().loss()).toArray()),
                new Charts.Series("validation", "#d62728", epochs,
                        history.stream().mapToDouble(m -> m.validation().loss()).toArray()))));
        h.append(Charts.lineChart("Accuracy", "epoch", List.of(
                new Charts.Series("train", "#1f77b4", epochs,
                        history.stream().mapToDouble(m -> m.training().accuracy()).toArray()),
                new Charts.Series("validation", "#d62728", epochs,
                        history.stream().mapToDouble(m -> m.validation().accuracy()).toArray()))));
        h.append(Charts.lineChart("Learning rate", "epoch", List.of(new Charts.Series("lr", "#2ca02c", epochs,
                history.stream().mapToDouble(EpochMetrics::lr).toArray()))));
        h.append("</div><h2>Epochs</h2><table><tr><th>epoch</th><th>lr</th><th>train loss</th><th>train acc</th>"
                + "<th>val loss</th><th>val acc</th><th>grad norm</th><th>seconds</th><th>images/s</th></tr>");
        for (EpochMetrics m : history) {
            h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4g</td><td>%.4f</td><td>%.2f%%</td><td>%.4f</td>"
                    + "<td>%.2f%%</td><td>%.3g</td><td>%.0f</td><td>%.0f</td></tr>", m.epoch(), m.lr(),
                    m.training().loss(), 100 * m.training().accuracy(), m.validation().loss(),
                    100 * m.validation().accuracy(), m.training().gradNorm(), m.timing().seconds(),
                    m.timing().imagesPerSecond()));
        }
        h.append("</table><h2>Recipe ").append(Charts.escape(settings.recipe().name())).append("</h2><p>")
                .append(Charts.escape(settings.recipe().summary())).append("</p><table>");
        for (Map.Entry<String, String> e : settings.recipe().settings().entrySet()) {
            h.append("<tr><th style=\"text-align:left\">").append(Charts.escape(e.getKey())).append("</th><td>")
                    .append(Charts.escape(e.getValue())).append("</td></tr>");
        }
        return h.append("</table></body></html>\n").toString();
    }
}
