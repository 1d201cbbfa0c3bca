package io.github.inception4j.detect;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.inception4j.json.JsonRecords;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MultiBox (Erhan, Szegedy, Toshev, Anguelov, "Scalable Object Detection using Deep Neural Networks", CVPR 2014;
 * P1 ref. [5]): a network whose last layer regresses K class-agnostic boxes with a confidence each. Boxes are in
 * coordinates normalised to the image (corners in [0, 1]), each predicted as an offset from a <em>prior</em>, a
 * box clustered from the training boxes (k-means on the corners, the paper's §3.1 "training with priors").
 * Each annotated box is assigned to one prior (the bipartite matching of §3, greedy here: the closest pair first,
 * every prior and box used once); the loss is α·½Σ matched ‖offset − (g − prior)‖² plus the logistic loss of
 * every confidence against "assigned" (α = 0.3, §3). The network's 5K outputs are laid out as K confidence logits,
 * then (x0, y0, x1, y1) offsets prior by prior.
 *
 * @param priors K boxes in normalised coordinates
 * @param alpha  the weight of the localisation term
 */
public record MultiBox(List<Box> priors, double alpha) {

    /** Erhan et al. 2014 §3: the localisation term's weight. */
    public static final double ALPHA = 0.3;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final int KMEANS_ITERATIONS = 50;

    public MultiBox {
        priors = List.copyOf(priors);
        if (priors.isEmpty() || !(alpha >= 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("MultiBox needs at least one prior and a finite α ≥ 0");
        }
    }

    /** K, the boxes the network proposes. */
    public int size() {
        return priors.size();
    }

    /** The network's outputs: a confidence and four coordinates per prior. */
    public int outputs() {
        return 5 * priors.size();
    }

    /** Output names in order ("confidence 0" … then "x0 0", "y0 0", "x1 0", "y1 0", …), the checkpoint's classes. */
    public List<String> outputNames() {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < size(); k++) {
            names.add("confidence " + k);
        }
        for (int k = 0; k < size(); k++) {
            for (String c : List.of("x0 ", "y0 ", "x1 ", "y1 ")) {
                names.add(c + k);
            }
        }
        return names;
    }

    /**
     * k-means (k-means++ seeding, squared distance between corners) of {@code boxes} in normalised coordinates:
     * the priors. An empty cluster takes the box farthest from its centre.
     */
    public static List<Box> clusterPriors(List<Box> boxes, int k, long seed) {
        if (k < 1 || boxes.size() < k) {
            throw new IllegalArgumentException("clustering " + k + " priors needs at least as many boxes, have "
                    + boxes.size());
        }
        double[][] points = boxes.stream().map(MultiBox::corners).toArray(double[][]::new);
        SplittableRandom random = new SplittableRandom(seed);
        double[][] centres = new double[k][];
        centres[0] = points[random.nextInt(points.length)].clone();
        double[] nearest = new double[points.length];
        Arrays.fill(nearest, Double.MAX_VALUE);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < points.length; i++) {
                nearest[i] = Math.min(nearest[i], distance(points[i], centres[c - 1]));
                total += nearest[i];
            }
            double r = random.nextDouble() * total;
            int pick = points.length - 1;
            for (int i = 0; i < points.length; i++) {
                r -= nearest[i];
                if (r <= 0) {
                    pick = i;
                    break;
                }
            }
            centres[c] = points[pick].clone();
        }
        int[] assigned = new int[points.length];
        for (int iteration = 0; iteration < KMEANS_ITERATIONS; iteration++) {
            boolean changed = iteration == 0;
            for (int i = 0; i < points.length; i++) {
                int best = closest(points[i], centres);
                changed |= best != assigned[i];
                assigned[i] = best;
            }
            if (!changed) {
                break;
            }
            double[][] sums = new double[k][4];
            int[] counts = new int[k];
            for (int i = 0; i < points.length; i++) {
                counts[assigned[i]]++;
                for (int d = 0; d < 4; d++) {
                    sums[assigned[i]][d] += points[i][d];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    int far = 0;
                    for (int i = 1; i < points.length; i++) {
                        if (distance(points[i], centres[assigned[i]]) > distance(points[far], centres[assigned[far]])) {
                            far = i;
                        }
                    }
                    centres[c] = points[far].clone();
                    assigned[far] = c;
                } else {
                    for (int d = 0; d < 4; d++) {
                        centres[c][d] = sums[c][d] / counts[c];
                    }
                }
            }
        }
        List<Box> priors = new ArrayList<>();
        for (double[] c : centres) {
            priors.add(new Box(c[0], c[1], Math.max(c[0], c[2]), Math.max(c[1], c[3])));
        }
        return priors;
    }

    /**
     * The prior each of {@code truth} (normalised boxes) is assigned to: closest pair first by squared corner
     * distance, each prior at most once; −1 for a box left without one (more boxes than priors).
     */
    public int[] match(List<Box> truth) {
        int k = size();
        int n = truth.size();
        Integer[] pairs = new Integer[n * k];
        double[] d = new double[n * k];
        for (int j = 0; j < n; j++) {
            double[] g = corners(truth.get(j));
            for (int i = 0; i < k; i++) {
                d[j * k + i] = distance(g, corners(priors.get(i)));
                pairs[j * k + i] = j * k + i;
            }
        }
        Arrays.sort(pairs, Comparator.comparingDouble(p -> d[p]));
        int[] prior = new int[n];
        Arrays.fill(prior, -1);
        boolean[] used = new boolean[k];
        int left = Math.min(n, k);
        for (int p : pairs) {
            if (left == 0) {
                break;
            }
            int j = p / k;
            int i = p % k;
            if (prior[j] < 0 && !used[i]) {
                prior[j] = i;
                used[i] = true;
                left--;
            }
        }
        return prior;
    }

    /**
     * What the network should output for an image holding {@code truth} (normalised boxes), laid out as its
     * outputs: 1 for an assigned prior's confidence (0 otherwise), then each assigned prior's offset to its box
     * (0 for the others, which the loss ignores).
     */
    public float[] targets(List<Box> truth) {
        int k = size();
        float[] t = new float[outputs()];
        int[] prior = match(truth);
        for (int j = 0; j < truth.size(); j++) {
            int i = prior[j];
            if (i >= 0) {
                t[i] = 1;
                double[] g = corners(truth.get(j));
                double[] p = corners(priors.get(i));
                for (int c = 0; c < 4; c++) {
                    t[k + 4 * i + c] = (float) (g[c] - p[c]);
                }
            }
        }
        return t;
    }

    /** A decoded proposal: a box in pixels and its confidence (the sigmoid of its logit). */
    public record Scored(Box box, double confidence) {
    }

    /**
     * The K boxes of one image's outputs in its pixel coordinates ({@code width} × {@code height}), corners put in
     * order and cut to the image, most confident first.
     */
    public List<Scored> decode(float[] outputs, double width, double height) {
        int k = size();
        if (outputs.length != outputs()) {
            throw new IllegalArgumentException("MultiBox with " + k + " priors reads " + outputs() + " outputs, got "
                    + outputs.length);
        }
        List<Scored> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            double[] p = corners(priors.get(i));
            double[] c = new double[4];
            for (int d = 0; d < 4; d++) {
                c[d] = Math.min(Math.max(p[d] + outputs[k + 4 * i + d], 0), 1);
            }
            Box box = new Box(Math.min(c[0], c[2]) * width, Math.min(c[1], c[3]) * height,
                    Math.max(c[0], c[2]) * width, Math.max(c[1], c[3]) * height);
            out.add(new Scored(box, 1 / (1 + Math.exp(-outputs[i]))));
        }
        out.sort(Comparator.comparingDouble(Scored::confidence).reversed());
        return out;
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static MultiBox fromJson(String json) {
        return JsonRecords.read(GSON, JsonRecords.parse(json, MultiBoxTraining.PRIORS), MultiBox.class,
                MultiBoxTraining.PRIORS);
    }

    private static double[] corners(Box b) {
        return new double[] {b.x0(), b.y0(), b.x1(), b.y1()};
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < 4; d++) {
            s += (a[d] - b[d]) * (a[d] - b[d]);
        }
        return s;
    }

    private static int closest(double[] point, double[][] centres) {
        int best = 0;
        for (int c = 1; c < centres.length; c++) {
            if (distance(point, centres[c]) < distance(point, centres[best])) {
                best = c;
            }
        }
        return best;
    }
}
