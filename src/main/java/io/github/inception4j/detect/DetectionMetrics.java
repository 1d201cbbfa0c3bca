package io.github.inception4j.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Detection metrics over a set of images, the detections of each image against its annotations.
 * <ul>
 *   <li>VOC (Everingham et al.): per class, detections by falling score; one is right if its best-overlapping
 *       annotation of that class in its image has IoU ≥ the threshold (0.5) and was not matched before; a match to
 *       a {@code difficult} (ignored) annotation counts neither way. AP is the 11-point interpolated mean (VOC 2007)
 *       or the area under the monotone precision envelope (VOC 2010 and later).</li>
 *   <li>COCO (cocoeval): the same greedy matching at IoU 0.50, 0.55 … 0.95, at most 100 detections per image,
 *       precision read at 101 recall points; AP averages over thresholds and classes (classes without annotations
 *       left out); AP50, AP75 and AP by annotation area (small &lt; 32², medium &lt; 96², large) as cocoeval
 *       reports them. Areas are box areas.</li>
 * </ul>
 */
public final class DetectionMetrics {

    static final int MAX_DETECTIONS = 100;
    static final double SMALL = 32 * 32;
    static final double LARGE = 96 * 96;

    /** One class's precision-recall curve (detections by falling score) and its VOC APs. */
    public record Curve(int label, int positives, double[] recall, double[] precision, double ap, double ap11) {
    }

    /** COCO's summary numbers (NaN where no class has annotations in the range). */
    public record Coco(double ap, double ap50, double ap75, double apSmall, double apMedium, double apLarge) {
    }

    private DetectionMetrics() {
    }

    /** VOC curves for every class, at {@code iouThreshold} (VOC: 0.5); a class without annotations gets NaN APs. */
    public static List<Curve> voc(List<List<Annotation>> truth, List<List<Detection>> detections, int classes,
                                  double iouThreshold) {
        check(truth, detections);
        List<Curve> curves = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            Match m = match(truth, detections, c, iouThreshold, Rules.VOC, 0, Double.POSITIVE_INFINITY);
            double[] recall = new double[m.counted()];
            double[] precision = new double[m.counted()];
            int tp = 0;
            int n = 0;
            for (int i = 0; i < m.correct.length; i++) {
                if (m.ignored[i]) {
                    continue;
                }
                tp += m.correct[i] ? 1 : 0;
                n++;
                recall[n - 1] = m.positives == 0 ? Double.NaN : (double) tp / m.positives;
                precision[n - 1] = (double) tp / n;
            }
            double ap = m.positives == 0 ? Double.NaN : allPoint(recall, precision);
            double ap11 = m.positives == 0 ? Double.NaN : elevenPoint(recall, precision);
            curves.add(new Curve(c, m.positives, recall, precision, ap, ap11));
        }
        return curves;
    }

    /** The mean of the classes' APs ({@code elevenPoint}: VOC 2007's), over classes with annotations. */
    public static double meanAp(List<Curve> curves, boolean elevenPoint) {
        return curves.stream().mapToDouble(c -> elevenPoint ? c.ap11() : c.ap()).filter(v -> !Double.isNaN(v))
                .average().orElse(Double.NaN);
    }

    /** VOC 2010+: area under the precision envelope, the envelope made monotone from the right. */
    static double allPoint(double[] recall, double[] precision) {
        int n = recall.length;
        double[] r = new double[n + 2];
        double[] p = new double[n + 2];
        System.arraycopy(recall, 0, r, 1, n);
        System.arraycopy(precision, 0, p, 1, n);
        r[n + 1] = 1;
        for (int i = n; i >= 0; i--) {
            p[i] = Math.max(p[i], p[i + 1]);
        }
        double ap = 0;
        for (int i = 0; i <= n; i++) {
            ap += (r[i + 1] - r[i]) * p[i + 1];
        }
        return ap;
    }

    /** VOC 2007: the mean over t = 0, 0.1 … 1 of the best precision at recall ≥ t (0 if none). */
    static double elevenPoint(double[] recall, double[] precision) {
        double sum = 0;
        for (int k = 0; k <= 10; k++) {
            double t = k / 10.0;
            double best = 0;
            for (int i = 0; i < recall.length; i++) {
                if (recall[i] >= t - 1e-12) {
                    best = Math.max(best, precision[i]);
                }
            }
            sum += best;
        }
        return sum / 11;
    }

    /** COCO's AP, AP50, AP75 and AP by size. */
    public static Coco coco(List<List<Annotation>> truth, List<List<Detection>> detections, int classes) {
        check(truth, detections);
        return new Coco(cocoAp(truth, detections, classes, 0, 10, 0, Double.POSITIVE_INFINITY),
                cocoAp(truth, detections, classes, 0, 1, 0, Double.POSITIVE_INFINITY),
                cocoAp(truth, detections, classes, 5, 6, 0, Double.POSITIVE_INFINITY),
                cocoAp(truth, detections, classes, 0, 10, 0, SMALL),
                cocoAp(truth, detections, classes, 0, 10, SMALL, LARGE),
                cocoAp(truth, detections, classes, 0, 10, LARGE, Double.POSITIVE_INFINITY));
    }

    /** Mean over classes with annotations in the area range and over thresholds 0.5 + 0.05·t, t in [from, to). */
    private static double cocoAp(List<List<Annotation>> truth, List<List<Detection>> detections, int classes,
                                 int from, int to, double minArea, double maxArea) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < classes; c++) {
            for (int t = from; t < to; t++) {
                Match m = match(truth, detections, c, 0.5 + 0.05 * t, Rules.COCO, minArea, maxArea);
                if (m.positives == 0) {
                    continue;
                }
                sum += interpolated101(m);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** cocoeval's precision at recall 0, 0.01 … 1 from the envelope, averaged. */
    private static double interpolated101(Match m) {
        int counted = m.counted();
        double[] recall = new double[counted];
        double[] precision = new double[counted];
        int tp = 0;
        int k = 0;
        for (int i = 0; i < m.correct.length; i++) {
            if (!m.ignored[i]) {
                tp += m.correct[i] ? 1 : 0;
                k++;
                recall[k - 1] = (double) tp / m.positives;
                precision[k - 1] = (double) tp / k;
            }
        }
        for (int i = counted - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double sum = 0;
        for (int r = 0; r <= 100; r++) {
            double at = r / 100.0;
            int first = 0;
            while (first < counted && recall[first] < at - 1e-12) {
                first++;
            }
            sum += first < counted ? precision[first] : 0;
        }
        return sum / 101;
    }

    /** Detections of one class in falling score order, each right or wrong or ignored, and the positives. */
    private record Match(boolean[] correct, boolean[] ignored, int positives) {
        int counted() {
            int n = 0;
            for (boolean i : ignored) {
                n += i ? 0 : 1;
            }
            return n;
        }
    }

    private record Scored(int image, Detection detection) {
    }

    /** An annotation as one matching sees it: ignored when flagged or outside the area range. */
    private record Truth(Box box, boolean ignored, boolean flagged) {
    }

    /** VOC's matching (the devkit's VOCevaldet), or COCO's (cocoeval's evaluateImg). */
    private enum Rules { VOC, COCO }

    /**
     * Each detection of class {@code label}, by falling score (COCO: at most 100 per image), judged right, wrong or
     * ignored against the annotations of its image; annotations outside [minArea, maxArea) are ignored, and so are
     * COCO detections left unmatched outside it.
     */
    private static Match match(List<List<Annotation>> truth, List<List<Detection>> detections, int label,
                               double threshold, Rules rules, double minArea, double maxArea) {
        int perImage = rules == Rules.COCO ? MAX_DETECTIONS : Integer.MAX_VALUE;
        int positives = 0;
        List<Scored> all = new ArrayList<>();
        List<boolean[]> taken = new ArrayList<>();
        List<List<Truth>> ofClass = new ArrayList<>();
        for (int i = 0; i < truth.size(); i++) {
            List<Truth> gts = new ArrayList<>();
            for (Annotation a : truth.get(i)) {
                if (a.label() == label) {
                    boolean outside = a.box().area() < minArea || a.box().area() >= maxArea;
                    gts.add(new Truth(a.box(), a.ignored() || outside, a.ignored()));
                }
            }
            // cocoeval puts the annotations that count first, so a detection prefers them.
            gts.sort(Comparator.comparing(Truth::ignored));
            positives += (int) gts.stream().filter(t -> !t.ignored()).count();
            ofClass.add(gts);
            taken.add(new boolean[gts.size()]);
            int image = i;
            detections.get(i).stream().filter(d -> d.label() == label)
                    .sorted(Comparator.comparingDouble(Detection::score).reversed()).limit(perImage)
                    .forEach(d -> all.add(new Scored(image, d)));
        }
        // A stable sort: equal scores keep image order, as both reference implementations do.
        all.sort(Comparator.comparingDouble((Scored s) -> s.detection().score()).reversed());
        boolean[] correct = new boolean[all.size()];
        boolean[] ignored = new boolean[all.size()];
        for (int k = 0; k < all.size(); k++) {
            Scored s = all.get(k);
            Box box = s.detection().box();
            List<Truth> gts = ofClass.get(s.image());
            boolean[] used = taken.get(s.image());
            if (rules == Rules.VOC) {
                // The best-overlapping annotation decides, matched before or not; difficult ones are ignored.
                int best = -1;
                double most = Double.NEGATIVE_INFINITY;
                for (int g = 0; g < gts.size(); g++) {
                    double iou = box.iou(gts.get(g).box());
                    if (iou > most) {
                        most = iou;
                        best = g;
                    }
                }
                if (best >= 0 && most >= threshold) {
                    ignored[k] = gts.get(best).ignored();
                    correct[k] = !ignored[k] && !used[best];
                    used[best] |= correct[k];
                }
                continue;
            }
            double most = Math.min(threshold, 1 - 1e-10);
            int match = -1;
            for (int g = 0; g < gts.size(); g++) {
                Truth t = gts.get(g);
                if (used[g] && !t.flagged()) {
                    continue;
                }
                if (match >= 0 && !gts.get(match).ignored() && t.ignored()) {
                    break;
                }
                // A crowd region (flagged) is matched by how much of the detection it covers.
                double iou = t.flagged() ? (box.area() > 0 ? box.intersection(t.box()) / box.area() : 0)
                        : box.iou(t.box());
                if (iou >= most) {
                    most = iou;
                    match = g;
                }
            }
            if (match >= 0) {
                used[match] = true;
                ignored[k] = gts.get(match).ignored();
                correct[k] = !ignored[k];
            } else {
                double area = box.area();
                ignored[k] = area < minArea || area >= maxArea;
            }
        }
        return new Match(correct, ignored, positives);
    }

    private static void check(List<List<Annotation>> truth, List<List<Detection>> detections) {
        if (truth.size() != detections.size()) {
            throw new IllegalArgumentException(truth.size() + " annotated images but detections for "
                    + detections.size());
        }
    }

}
