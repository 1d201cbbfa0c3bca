package io.github.inception4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * Self-contained SVG drawings for reports: line charts with axes, a confusion-matrix heat map, bars, and the spread
 * of repeated measurements.
 */
public final class Charts {

    /**
     * One row of a spread chart: repeated measurements of one thing, their mean and standard deviation (the
     * caller's statistics, drawn as given); {@code marked} draws its bar in red.
     */
    public record Spread(String label, double[] values, double mean, double sd, boolean marked) {
    }

    /** One line of a chart; NaN values are gaps. */
    public record Series(String name, String color, double[] x, double[] y) {
    }

    private static final int W = 520;
    private static final int H = 300;
    private static final int LEFT = 60;
    private static final int RIGHT = 130;
    private static final int TOP = 30;
    private static final int BOTTOM = 45;

    private Charts() {
    }

    public static String lineChart(String title, String xLabel, List<Series> series) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i])) {
                    xMin = Math.min(xMin, s.x()[i]);
                    xMax = Math.max(xMax, s.x()[i]);
                    yMin = Math.min(yMin, s.y()[i]);
                    yMax = Math.max(yMax, s.y()[i]);
                }
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">", W, H, W, H));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>",
                LEFT, escape(title)));
        if (!Double.isFinite(xMin)) {
            svg.append("<text x=\"60\" y=\"150\">no data yet</text></svg>");
            return svg.toString();
        }
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        if (yMax == yMin) {
            yMax = yMin + Math.max(Math.abs(yMin) * 0.1, 1e-3);
        }
        double pad = (yMax - yMin) * 0.05;
        yMin -= pad;
        yMax += pad;
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>", LEFT, TOP, plotW, plotH));
        for (double t : ticks(yMin, yMax)) {
            double py = TOP + plotH * (1 - (t - yMin) / (yMax - yMin));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT, LEFT + plotW, py, py, LEFT - 4,
                    py + 4, label(t)));
        }
        for (double t : ticks(xMin, xMax)) {
            double px = LEFT + plotW * (t - xMin) / (xMax - xMin);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", px,
                    TOP + plotH + 15, label(t)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                LEFT + plotW / 2, H - 8, escape(xLabel)));
        int legendY = TOP + 10;
        for (Series s : series) {
            List<String> points = new ArrayList<>();
            StringBuilder markers = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) {
                    continue;
                }
                double px = LEFT + plotW * (s.x()[i] - xMin) / (xMax - xMin);
                double py = TOP + plotH * (1 - (s.y()[i] - yMin) / (yMax - yMin));
                points.add(String.format(Locale.ROOT, "%.1f,%.1f", px, py));
                markers.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>",
                        px, py, s.color()));
            }
            if (points.isEmpty()) {
                continue;
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"%s\"/>", s.color(), String.join(" ", points))).append(markers);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/><text x=\"%d\" y=\"%d\">%s</text>", W - RIGHT + 10, W - RIGHT + 28,
                    legendY, legendY, s.color(), W - RIGHT + 32, legendY + 4, escape(s.name())));
            legendY += 16;
        }
        return svg.append("</svg>").toString();
    }

    /** Rows are true classes, columns predictions; cell shade is the share of the row. */
    public static String confusionMatrix(long[][] confusion, List<String> classNames) {
        int n = confusion.length;
        int cell = Math.max(18, Math.min(40, 480 / Math.max(n, 1)));
        int labelW = 110;
        int size = labelW + n * cell + 10;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"10\">", size, size + 20));
        for (int r = 0; r < n; r++) {
            long total = 0;
            for (long v : confusion[r]) {
                total += v;
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", labelW - 4,
                    labelW + r * cell + cell / 2 + 4, escape(classNames.get(r))));
            for (int c = 0; c < n; c++) {
                double share = total == 0 ? 0 : (double) confusion[r][c] / total;
                int shade = (int) Math.round(255 * (1 - share));
                String fill = r == c ? String.format("rgb(%d,%d,255)", shade, shade)
                        : String.format("rgb(255,%d,%d)", shade, shade);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
                        + "stroke=\"#ddd\"><title>%s → %s: %d</title></rect>", labelW + c * cell, labelW + r * cell,
                        cell, cell, fill, escape(classNames.get(r)), escape(classNames.get(c)), confusion[r][c]));
                if (cell >= 28 && confusion[r][c] > 0) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                            + "fill=\"%s\">%d</text>", labelW + c * cell + cell / 2, labelW + r * cell + cell / 2 + 4,
                            share > 0.5 ? "white" : "black", confusion[r][c]));
                }
            }
        }
        for (int c = 0; c < n; c++) {
            int x = labelW + c * cell + cell / 2;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" transform=\"rotate(-60 %d %d)\">%s</text>",
                    x, labelW - 6, x, labelW - 6, escape(classNames.get(c))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">rows: true class; columns: predicted</text>",
                labelW, labelW + n * cell + 16));
        return svg.append("</svg>").toString();
    }

    /** One horizontal bar per label, for values in [0, 1] (accuracies, probabilities), each printed as a percentage. */
    public static String bars(String title, List<String> labels, double[] values) {
        int labelW = 130;
        int barW = 300;
        int row = 18;
        int height = TOP + labels.size() * row + 10;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">"
                + "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>", labelW + barW + 70,
                height, labelW, escape(title)));
        for (int i = 0; i < labels.size(); i++) {
            double v = Double.isFinite(values[i]) ? Math.max(0, Math.min(1, values[i])) : 0;
            int y = TOP + i * row;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                    + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eee\"/>"
                    + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#1f77b4\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>", labelW - 6, y + 12, escape(labels.get(i)), labelW, y + 2,
                    barW, row - 4, labelW, y + 2, v * barW, row - 4, labelW + barW + 6, y + 12,
                    Double.isFinite(values[i]) ? String.format(Locale.ROOT, "%.1f%%", 100 * values[i]) : "n/a"));
        }
        return svg.append("</svg>").toString();
    }

    /**
     * One row per {@link Spread}: each value a grey dot, the mean ± standard deviation a bar with the mean a disc; the row {@code reference} also spans the whole height as a shaded band, so overlapping bars read at a
     * glance.
     */
    public static String spreads(String title, String xLabel, List<Spread> rows, int reference) {
        int labelW = 140;
        int plotW = 360;
        int row = 22;
        int plotH = rows.size() * row;
        int height = TOP + plotH + BOTTOM;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Spread s : rows) {
            for (double x : s.values()) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            lo = Math.min(lo, s.mean() - s.sd());
            hi = Math.max(hi, s.mean() + s.sd());
        }
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">"
                + "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>", labelW + plotW + 20,
                height, labelW, escape(title)));
        if (!Double.isFinite(lo)) {
            return svg.append("<text x=\"10\" y=\"40\">no data yet</text></svg>").toString();
        }
        double pad = Math.max((hi - lo) * 0.05, 1e-3);
        double min = lo - pad;
        double max = hi + pad;
        DoubleUnaryOperator px = x -> labelW + plotW * (x - min) / (max - min);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>", labelW, TOP, plotW, plotH));
        for (double t : ticks(min, max)) {
            double x = px.applyAsDouble(t);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, x, TOP, TOP + plotH, x,
                    TOP + plotH + 15, label(t)));
        }
        if (reference >= 0) {
            Spread r = rows.get(reference);
            double x0 = px.applyAsDouble(r.mean() - r.sd());
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                    + "fill=\"#1f77b4\" fill-opacity=\"0.12\"/><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
                    + "stroke=\"#1f77b4\" stroke-dasharray=\"4 3\"/>", x0, TOP, px.applyAsDouble(r.mean() + r.sd()) - x0,
                    plotH, px.applyAsDouble(r.mean()), px.applyAsDouble(r.mean()), TOP, TOP + plotH));
        }
        for (int i = 0; i < rows.size(); i++) {
            Spread s = rows.get(i);
            double y = TOP + i * row + row / 2.0;
            String color = s.marked() ? "#d62728" : "#1f77b4";
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>"
                    + "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>"
                    + "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\"/>", labelW - 6, y + 4,
                    escape(s.label()), px.applyAsDouble(s.mean() - s.sd()), px.applyAsDouble(s.mean() + s.sd()), y, y,
                    color, px.applyAsDouble(s.mean()), y, color));
            for (double v : s.values()) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#555\" "
                        + "fill-opacity=\"0.7\"><title>%s</title></circle>", px.applyAsDouble(v), y - 6, label(v)));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                labelW + plotW / 2, height - 8, escape(xLabel)));
        return svg.append("</svg>").toString();
    }

    static List<Double> ticks(double lo, double hi) {
        double span = hi - lo;
        double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (span / (step * m) <= 6) {
                step *= m;
                break;
            }
        }
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out;
    }

    private static String label(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.valueOf((long) v);
        }
        return Math.abs(v) >= 0.01 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.1e", v);
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
