package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDecodeException;
import io.github.inception4j.report.Charts;
import io.github.inception4j.weights.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A detection evaluation as a page: the headline figures, AP per class, each class's precision-recall curve, and
 * pictures of the first images with their detections drawn ({@code examples/}) — {@code report.html} and
 * {@code evaluation.json} in one directory.
 */
public final class DetectionReport {

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private DetectionReport() {
    }

    /** Writes the report of {@code r} into {@code dir}, drawing {@code examples} images of {@code data}. */
    public static Path write(Path dir, DetectionEvaluation r, ObjectDetector detector, DetectionDataset data,
                             String dataName, int examples) throws IOException {
        List<String> pictures = new ArrayList<>();
        for (int i = 0; i < Math.min(examples, data.size()); i++) {
            FloatImage image;
            try {
                image = data.image(i);
            } catch (ImageDecodeException e) {
                continue;
            }
            String name = String.format(Locale.ROOT, "examples/%03d.png", i);
            DetectionDrawing.write(image, detector.detect(image), detector.classNames(), dir.resolve(name));
            pictures.add(name);
        }
        Checkpoint.writeAtomically(dir.resolve("evaluation.json"), r.toJson().getBytes(StandardCharsets.UTF_8));
        Path page = dir.resolve("report.html");
        Checkpoint.writeAtomically(page, html(r, dataName, detector, pictures).getBytes(StandardCharsets.UTF_8));
        return page;
    }

    static String html(DetectionEvaluation r, String dataName, ObjectDetector detector, List<String> pictures) {
        String title = "Detection on " + dataName;
        ObjectDetector.Settings s = detector.settings();
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                .append(Charts.escape(title)).append("</title><style>body{font-family:sans-serif;margin:2em;"
                        + "color:#222}.row{display:flex;flex-wrap:wrap;gap:1em}img{border:1px solid #ccc}"
                        + "</style></head><body><h1>").append(Charts.escape(title)).append("</h1>");
        h.append(String.format(Locale.ROOT, "<p><b>VOC mAP50 %.3f</b> (11-point %.3f) · COCO AP %.3f, AP50 %.3f, "
                        + "AP75 %.3f, small %.3f, medium %.3f, large %.3f</p>", r.map(), r.map11(), r.coco().ap(),
                r.coco().ap50(), r.coco().ap75(), r.coco().apSmall(), r.coco().apMedium(), r.coco().apLarge()));
        h.append(String.format(Locale.ROOT, "<p>%d images (%d skipped), %d objects · proposals: %s, %.1f per image, "
                        + "recall %.1f%% at IoU 0.5, %.1f%% at 0.7 · %d region classifier%s · %.0f s</p>", r.images(),
                r.skipped(), r.objects(), proposals(s), r.proposalsPerImage(), 100 * r.recall50(),
                100 * r.recall70(), detector.ensembleSize(), detector.ensembleSize() == 1 ? "" : "s", r.seconds()));
        double[] ap = r.curves().stream().mapToDouble(DetectionMetrics.Curve::ap).toArray();
        List<Charts.Series> curves = new ArrayList<>();
        for (DetectionMetrics.Curve c : r.curves()) {
            if (c.recall().length > 0) {
                // At most ~200 points a class: a test set's thousands of detections would make megabytes of SVG.
                int step = Math.max(1, c.recall().length / 200);
                int n = (c.recall().length + step - 1) / step;
                double[] x = new double[n];
                double[] y = new double[n];
                for (int i = 0; i < n; i++) {
                    int j = Math.min(c.recall().length - 1, i * step);
                    x[i] = c.recall()[j];
                    y[i] = c.precision()[j];
                }
                curves.add(new Charts.Series(r.classNames().get(c.label()), COLOURS[c.label() % COLOURS.length], x,
                        y));
            }
        }
        h.append("<div class=\"row\"><div>").append(Charts.bars("AP50 per class", r.classNames(), ap))
                .append("</div><div>");
        if (!curves.isEmpty()) {
            h.append(Charts.lineChart("precision against recall (IoU 0.5)", "recall", curves));
        }
        h.append("</div></div><h2>Examples</h2><div class=\"row\">");
        for (String p : pictures) {
            h.append("<img src=\"").append(p).append("\" width=\"320\">");
        }
        return h.append("</div></body></html>\n").toString();
    }

    private static String proposals(ObjectDetector.Settings s) {
        List<String> parts = new ArrayList<>();
        if (s.selectiveSearch() > 0) {
            parts.add("Selective Search " + s.selectiveSearch() + (s.diversified() ? " diversified" : "")
                    + (s.p1Doubled() ? " (superpixels doubled)" : ""));
        }
        if (s.multiBox() > 0) {
            parts.add("MultiBox " + s.multiBox());
        }
        return String.join(" + ", parts) + (s.refine() ? ", refined" : "");
    }
}
