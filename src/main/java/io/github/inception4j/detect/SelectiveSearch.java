package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Selective Search (Uijlings et al., IJCV 2013) for class-agnostic region proposals: Felzenszwalb–Huttenlocher
 * graph segmentation into initial regions, then hierarchical grouping of the most similar neighbouring pair until
 * one region is left; every region of the hierarchy is a proposal. Similarity is the sum of colour (25-bin
 * intensity histograms per channel), texture (gradient histograms, 8 orientations × 10 bins per channel), size
 * (small regions merge first) and fill (regions that fill each other's box merge first). Proposals are ranked as
 * the paper does — hierarchy position (the last merge first) times a random number — and deduplicated.
 *
 * <p>The paper diversifies: several segmentation scales and similarity measures, their hierarchies pooled and ranked
 * together ({@link #fast}: k 50 and 100, with and without colour; the paper's colour spaces do not apply to these
 * grayscale images). P1 §8 doubles the superpixel size ({@link #p1}): about half the proposals.
 *
 * @param scales FH's k on the 0–255 scale of the paper's code (pixels here are 0–1), one hierarchy each: larger,
 *               fewer and larger initial regions
 * @param minSize initial regions smaller than this many pixels are merged into a neighbour
 * @param sigma Gaussian smoothing before segmentation
 * @param withoutColour also group by texture, size and fill alone (the paper's second similarity)
 */
public record SelectiveSearch(List<Double> scales, int minSize, double sigma, boolean withoutColour)
        implements Proposer {

    private static final int COLOUR_BINS = 25;
    private static final int ORIENTATIONS = 8;
    private static final int TEXTURE_BINS = 10;

    public SelectiveSearch {
        scales = List.copyOf(scales);
        if (scales.isEmpty() || scales.stream().anyMatch(k -> !(k > 0)) || minSize < 1 || sigma < 0) {
            throw new IllegalArgumentException("selective search needs scales > 0, min size ≥ 1, sigma ≥ 0");
        }
    }

    /** One hierarchy: k = 100, min size 20, σ 0.8, colour, texture, size and fill. */
    public static SelectiveSearch defaults() {
        return new SelectiveSearch(List.of(100.0), 20, 0.8, false);
    }

    /** The paper's fast mode as far as grayscale allows: k 50 and 100, each with and without colour. */
    public static SelectiveSearch fast() {
        return new SelectiveSearch(List.of(50.0, 100.0), 20, 0.8, true);
    }

    /** P1 §8: the superpixel size doubled (every k and the minimum size), about half the proposals. */
    public SelectiveSearch p1() {
        return new SelectiveSearch(scales.stream().map(k -> 2 * k).toList(), 2 * minSize, sigma, withoutColour);
    }

    /** The proposals of {@code image}, best first, without duplicates; {@code seed} fixes the ranking's noise. */
    public List<Box> propose(FloatImage image, long seed) {
        FloatImage smooth = blur(image, sigma);
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> keys = new ArrayList<>();
        List<Box> boxes = new ArrayList<>();
        for (double scale : scales) {
            int[] label = segment(smooth, scale / 255, minSize);
            for (boolean colour : withoutColour ? List.of(true, false) : List.of(true)) {
                List<Region> hierarchy = group(image, label, colour);
                // The paper's ranking: position from the top of the hierarchy (1 = the last merge) times U(0, 1).
                int n = hierarchy.size();
                for (int i = 0; i < n; i++) {
                    keys.add(new double[] {(n - i) * random.nextDouble(), boxes.size()});
                    boxes.add(hierarchy.get(i).box());
                }
            }
        }
        keys.sort((p, q) -> Double.compare(p[0], q[0]));
        Set<Box> unique = new LinkedHashSet<>();
        keys.forEach(k -> unique.add(boxes.get((int) k[1])));
        return List.copyOf(unique);
    }

    /** Every region of one hierarchy, in the order it came into being (initial regions first). */
    private static List<Region> group(FloatImage image, int[] label, boolean colour) {
        int h = image.height();
        int w = image.width();
        int regions = Arrays.stream(label).max().orElse(-1) + 1;
        Region[] r = describe(image, label, regions);
        Set<Long> adjacent = new HashSet<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = label[y * w + x];
                if (x + 1 < w && label[y * w + x + 1] != a) {
                    adjacent.add(pair(a, label[y * w + x + 1]));
                }
                if (y + 1 < h && label[(y + 1) * w + x] != a) {
                    adjacent.add(pair(a, label[(y + 1) * w + x]));
                }
            }
        }
        List<Region> all = new ArrayList<>(Arrays.asList(r));
        List<Set<Integer>> neighbours = new ArrayList<>();
        for (int i = 0; i < regions; i++) {
            neighbours.add(new HashSet<>());
        }
        PriorityQueue<double[]> queue = new PriorityQueue<>((p, q) -> Double.compare(q[0], p[0]));
        double imageSize = (double) h * w;
        for (long p : adjacent) {
            int a = (int) (p >> 32);
            int b = (int) p;
            neighbours.get(a).add(b);
            neighbours.get(b).add(a);
            queue.add(new double[] {similarity(all.get(a), all.get(b), imageSize, colour), a, b});
        }
        boolean[] merged = new boolean[2 * regions];
        while (!queue.isEmpty()) {
            double[] best = queue.poll();
            int a = (int) best[1];
            int b = (int) best[2];
            if (merged[a] || merged[b]) {
                continue;
            }
            Region m = Region.merge(all.get(a), all.get(b));
            int id = all.size();
            all.add(m);
            neighbours.add(new HashSet<>());
            merged[a] = true;
            merged[b] = true;
            Set<Integer> around = new HashSet<>(neighbours.get(a));
            around.addAll(neighbours.get(b));
            around.remove(a);
            around.remove(b);
            for (int n : around) {
                if (!merged[n]) {
                    neighbours.get(n).add(id);
                    neighbours.get(id).add(n);
                    queue.add(new double[] {similarity(m, all.get(n), imageSize, colour), id, n});
                }
            }
        }
        return all;
    }

    private static long pair(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }

    private static double similarity(Region a, Region b, double imageSize, boolean withColour) {
        double colour = withColour ? intersection(a.colour, b.colour) : 0;
        double texture = intersection(a.texture, b.texture);
        double size = 1 - (a.size + b.size) / imageSize;
        Box both = union(a.box(), b.box());
        double fill = 1 - (both.area() - a.size - b.size) / imageSize;
        return colour + texture + size + fill;
    }

    private static double intersection(double[] p, double[] q) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += Math.min(p[i], q[i]);
        }
        return s;
    }

    static Box union(Box a, Box b) {
        return new Box(Math.min(a.x0(), b.x0()), Math.min(a.y0(), b.y0()), Math.max(a.x1(), b.x1()),
                Math.max(a.y1(), b.y1()));
    }

    /** A region: its box, pixel count and L1-normalised colour and texture histograms. */
    private static final class Region {
        double x0;
        double y0;
        double x1;
        double y1;
        double size;
        double[] colour;
        double[] texture;

        Box box() {
            return new Box(x0, y0, x1, y1);
        }

        static Region merge(Region a, Region b) {
            Region m = new Region();
            m.x0 = Math.min(a.x0, b.x0);
            m.y0 = Math.min(a.y0, b.y0);
            m.x1 = Math.max(a.x1, b.x1);
            m.y1 = Math.max(a.y1, b.y1);
            m.size = a.size + b.size;
            m.colour = mix(a.colour, a.size, b.colour, b.size);
            m.texture = mix(a.texture, a.size, b.texture, b.size);
            return m;
        }

        private static double[] mix(double[] p, double wp, double[] q, double wq) {
            double[] out = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = (p[i] * wp + q[i] * wq) / (wp + wq);
            }
            return out;
        }
    }

    /** Boxes, sizes and histograms of the labelled regions. */
    private static Region[] describe(FloatImage image, int[] label, int regions) {
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        Region[] r = new Region[regions];
        for (int i = 0; i < regions; i++) {
            r[i] = new Region();
            r[i].x0 = w;
            r[i].y0 = h;
            r[i].colour = new double[c * COLOUR_BINS];
            r[i].texture = new double[c * ORIENTATIONS * TEXTURE_BINS];
        }
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    Region g = r[label[y * w + x]];
                    float v = Math.max(0, Math.min(1, image.get(ch, y, x)));
                    g.colour[ch * COLOUR_BINS + Math.min(COLOUR_BINS - 1, (int) (v * COLOUR_BINS))]++;
                    double gx = image.get(ch, y, Math.min(w - 1, x + 1)) - image.get(ch, y, Math.max(0, x - 1));
                    double gy = image.get(ch, Math.min(h - 1, y + 1), x) - image.get(ch, Math.max(0, y - 1), x);
                    double angle = Math.atan2(gy, gx) + Math.PI;
                    int o = Math.min(ORIENTATIONS - 1, (int) (angle / (2 * Math.PI) * ORIENTATIONS));
                    double magnitude = Math.min(1, Math.hypot(gx, gy));
                    int bin = Math.min(TEXTURE_BINS - 1, (int) (magnitude * TEXTURE_BINS));
                    g.texture[(ch * ORIENTATIONS + o) * TEXTURE_BINS + bin]++;
                    if (ch == 0) {
                        g.size++;
                        g.x0 = Math.min(g.x0, x);
                        g.y0 = Math.min(g.y0, y);
                        g.x1 = Math.max(g.x1, x + 1);
                        g.y1 = Math.max(g.y1, y + 1);
                    }
                }
            }
        }
        for (Region g : r) {
            normalise(g.colour);
            normalise(g.texture);
        }
        return r;
    }

    private static void normalise(double[] histogram) {
        double sum = Arrays.stream(histogram).sum();
        if (sum > 0) {
            for (int i = 0; i < histogram.length; i++) {
                histogram[i] /= sum;
            }
        }
    }

    /**
     * Felzenszwalb–Huttenlocher: 8-connected pixel graph, edge weight the colour distance; edges by rising weight,
     * two components join when the edge is no heavier than either one's internal difference plus k / its size;
     * then components under {@code minSize} join a neighbour. Returns labels 0 … n−1 per pixel.
     */
    static int[] segment(FloatImage image, double k, int minSize) {
        int h = image.height();
        int w = image.width();
        int[][] steps = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
        float[] weights = new float[h * w * 4];
        int count = 0;
        int[] from = new int[h * w * 4];
        int[] to = new int[h * w * 4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int[] s : steps) {
                    int ny = y + s[0];
                    int nx = x + s[1];
                    if (ny < h && nx >= 0 && nx < w) {
                        double d = 0;
                        for (int ch = 0; ch < image.channels(); ch++) {
                            double diff = image.get(ch, y, x) - image.get(ch, ny, nx);
                            d += diff * diff;
                        }
                        weights[count] = (float) Math.sqrt(d);
                        from[count] = y * w + x;
                        to[count] = ny * w + nx;
                        count++;
                    }
                }
            }
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Float.compare(weights[p], weights[q]));
        int[] parent = new int[h * w];
        int[] size = new int[h * w];
        double[] threshold = new double[h * w];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
            size[i] = 1;
            threshold[i] = k;
        }
        for (int e : order) {
            int a = find(parent, from[e]);
            int b = find(parent, to[e]);
            if (a != b && weights[e] <= threshold[a] && weights[e] <= threshold[b]) {
                parent[b] = a;
                size[a] += size[b];
                threshold[a] = weights[e] + k / size[a];
            }
        }
        for (int e : order) {
            int a = find(parent, from[e]);
            int b = find(parent, to[e]);
            if (a != b && (size[a] < minSize || size[b] < minSize)) {
                parent[b] = a;
                size[a] += size[b];
            }
        }
        int[] label = new int[h * w];
        int[] relabel = new int[h * w];
        Arrays.fill(relabel, -1);
        int next = 0;
        for (int i = 0; i < label.length; i++) {
            int root = find(parent, i);
            if (relabel[root] < 0) {
                relabel[root] = next++;
            }
            label[i] = relabel[root];
        }
        return label;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Separable Gaussian smoothing with σ (none at 0); borders replicated. */
    static FloatImage blur(FloatImage image, double sigma) {
        if (sigma == 0) {
            return image;
        }
        int radius = (int) Math.ceil(4 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        float[] tmp = new float[c * h * w];
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 0;
                    for (int i = -radius; i <= radius; i++) {
                        v += kernel[i + radius] * image.get(ch, y, Math.max(0, Math.min(w - 1, x + i)));
                    }
                    tmp[(ch * h + y) * w + x] = (float) v;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 0;
                    for (int i = -radius; i <= radius; i++) {
                        v += kernel[i + radius] * tmp[(ch * h + Math.max(0, Math.min(h - 1, y + i))) * w + x];
                    }
                    out[(ch * h + y) * w + x] = (float) v;
                }
            }
        }
        return new FloatImage(c, h, w, out);
    }
}
