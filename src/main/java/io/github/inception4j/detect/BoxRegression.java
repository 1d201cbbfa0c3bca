package io.github.inception4j.detect;

import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.weights.Safetensors;
import io.github.inception4j.weights.Tensor;
import io.github.inception4j.weights.WeightFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * R-CNN's bounding-box regression (Girshick et al. 2014, appendix C), which P1 §8 leaves out: for each class, a
 * linear map from the region classifier's pooled features of a proposal P to the offsets of the object G it
 * covers, t = ((G<sub>x</sub> − P<sub>x</sub>) / P<sub>w</sub>, (G<sub>y</sub> − P<sub>y</sub>) / P<sub>h</sub>,
 * log(G<sub>w</sub> / P<sub>w</sub>), log(G<sub>h</sub> / P<sub>h</sub>)) with x, y the centre; ridge regression,
 * fitted in closed form on the proposals that overlap an object by at least {@link #MIN_IOU} (R-CNN's 0.6).
 *
 * @param weights per class, per target (x, y, w, h): D feature weights then a bias — shape [classes][4][D + 1]
 * @param lambda the ridge penalty it was fitted with
 */
public record BoxRegression(double[][][] weights, double lambda) {

    /** R-CNN's: proposals overlapping their object less are too far off for a linear map. */
    public static final double MIN_IOU = 0.6;
    /** The penalties tried, the one with the least held-out squared error kept (R-CNN's was 1,000 on pool5). */
    static final double[] LAMBDAS = {1, 10, 100, 1000, 10000};
    public static final String FILE = "box-regression.safetensors";

    public BoxRegression {
        if (weights.length == 0 || Arrays.stream(weights).anyMatch(w -> w.length != 4
                || Arrays.stream(w).anyMatch(row -> row.length != weights[0][0].length))) {
            throw new IllegalArgumentException("box regression needs 4 × (D + 1) weights for every class");
        }
    }

    /** One training example: a proposal's features, the proposal, and the object it overlaps. */
    public record Example(float[] features, Box proposal, Box object, int label) {
    }

    public int classes() {
        return weights.length;
    }

    /** The feature length D it reads. */
    public int dimension() {
        return weights[0][0].length - 1;
    }

    /** R-CNN's targets of {@code object} relative to {@code proposal}: centre shift over size, log size ratio. */
    static double[] targets(Box proposal, Box object) {
        double pw = proposal.width();
        double ph = proposal.height();
        return new double[] {
            (object.x0() + object.width() / 2 - proposal.x0() - pw / 2) / pw,
            (object.y0() + object.height() / 2 - proposal.y0() - ph / 2) / ph,
            Math.log(object.width() / pw),
            Math.log(object.height() / ph)};
    }

    /** {@code proposal} moved by offsets {@code t} (the inverse of {@link #targets}). */
    static Box apply(Box proposal, double[] t) {
        double w = proposal.width() * Math.exp(t[2]);
        double h = proposal.height() * Math.exp(t[3]);
        double cx = proposal.x0() + proposal.width() / 2 + t[0] * proposal.width();
        double cy = proposal.y0() + proposal.height() / 2 + t[1] * proposal.height();
        return new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }

    /**
     * Fits one regressor per class; every tenth example of a class is held out to choose the penalty among
     * {@link #LAMBDAS} (least squared error over all classes), then the chosen one is refitted on all. A class
     * without examples keeps its proposals (zero weights).
     */
    public static BoxRegression fit(List<Example> examples, int classes) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("box regression needs examples");
        }
        int d = examples.get(0).features().length;
        NormalEquations[] fitting = new NormalEquations[classes];
        NormalEquations[] all = new NormalEquations[classes];
        for (int c = 0; c < classes; c++) {
            fitting[c] = new NormalEquations(d);
            all[c] = new NormalEquations(d);
        }
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            all[e.label()].add(e);
            if (i % 10 != 9) {
                fitting[e.label()].add(e);
            }
        }
        double chosen = LAMBDAS[0];
        double bestError = Double.POSITIVE_INFINITY;
        for (double lambda : LAMBDAS) {
            double[][][] w = new double[classes][][];
            for (int c = 0; c < classes; c++) {
                w[c] = fitting[c].solve(lambda);
            }
            double error = 0;
            for (int i = 9; i < examples.size(); i += 10) {
                Example e = examples.get(i);
                double[] t = targets(e.proposal(), e.object());
                for (int k = 0; k < 4; k++) {
                    double r = predict(w[e.label()][k], e.features()) - t[k];
                    error += r * r;
                }
            }
            if (error < bestError) {
                bestError = error;
                chosen = lambda;
            }
        }
        double[][][] weights = new double[classes][][];
        for (int c = 0; c < classes; c++) {
            weights[c] = all[c].solve(chosen);
        }
        return new BoxRegression(weights, chosen);
    }

    /** The box {@code proposal} regressed for {@code label} from its {@code features}. */
    public Box refine(Box proposal, int label, float[] features) {
        if (features.length != dimension()) {
            throw new IllegalArgumentException("box regression reads " + dimension() + " features, got "
                    + features.length);
        }
        double[] t = new double[4];
        for (int k = 0; k < 4; k++) {
            t[k] = predict(weights[label][k], features);
        }
        return apply(proposal, t);
    }

    public void write(Path file) throws IOException {
        int d = dimension();
        float[] values = new float[classes() * 4 * (d + 1)];
        int i = 0;
        for (double[][] perClass : weights) {
            for (double[] row : perClass) {
                for (double v : row) {
                    values[i++] = (float) v;
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, List.of(Tensor.ofFloats("weights", new long[] {classes(), 4, d + 1}, values)),
                Map.of("lambda", Double.toString(lambda)));
        Checkpoint.writeAtomically(file, out.toByteArray());
    }

    /**
     * Reads what {@link #write} wrote; a damaged file is refused as every weight file is
     * ({@link io.github.inception4j.weights.WeightFileException}), a wrong shape as an IllegalArgumentException.
     */
    public static BoxRegression read(Path file, int classes, int dimension) {
        Tensor t = WeightFiles.read(file).get("weights");
        if (t == null || !Arrays.equals(t.shape(), new long[] {classes, 4, dimension + 1})) {
            throw new IllegalArgumentException(file + " holds no box regression of " + classes + " classes × 4 × "
                    + (dimension + 1));
        }
        float[] values = t.toFloats();
        double[][][] weights = new double[classes][4][dimension + 1];
        int i = 0;
        for (double[][] perClass : weights) {
            for (double[] row : perClass) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = values[i++];
                    if (!Double.isFinite(row[j])) {
                        throw new IllegalArgumentException(file + " holds a weight that is not finite");
                    }
                }
            }
        }
        return new BoxRegression(weights, Double.NaN);
    }

    private static double predict(double[] w, float[] x) {
        double s = w[x.length];
        for (int j = 0; j < x.length; j++) {
            s += w[j] * x[j];
        }
        return s;
    }

    /**
     * Ridge regression of the 4 targets on [x, 1]: (XᵀX + λI′) w = Xᵀt with the bias unpenalised, XᵀX accumulated
     * once and solved by Cholesky for each λ ((D + 1)², D ≈ 512).
     */
    private static final class NormalEquations {
        private final int n;
        /** XᵀX, lower triangle, row-major. */
        private final double[] a;
        private final double[][] b;
        private int count;

        NormalEquations(int d) {
            n = d + 1;
            a = new double[n * n];
            b = new double[4][n];
        }

        void add(Example e) {
            float[] f = e.features();
            double[] x = new double[n];
            for (int j = 0; j < f.length; j++) {
                x[j] = f[j];
            }
            x[n - 1] = 1;
            for (int i = 0; i < n; i++) {
                if (x[i] == 0) {
                    continue; // ReLU features are sparse: a zero contributes nothing to its row
                }
                for (int j = 0; j <= i; j++) {
                    a[i * n + j] += x[i] * x[j];
                }
            }
            double[] t = targets(e.proposal(), e.object());
            for (int k = 0; k < 4; k++) {
                for (int i = 0; i < n; i++) {
                    b[k][i] += x[i] * t[k];
                }
            }
            count++;
        }

        /** The weights at penalty {@code lambda}; zero without examples (the proposal kept). */
        double[][] solve(double lambda) {
            if (count == 0) {
                return new double[4][n];
            }
            double[] l = a.clone();
            for (int i = 0; i < n - 1; i++) {
                l[i * n + i] += lambda;
            }
            l[n * n - 1] += 1e-9 * count; // the bias row stays positive definite whatever the features
            choleskyInPlace(l, n);
            double[][] w = new double[4][];
            for (int k = 0; k < 4; k++) {
                w[k] = choleskySolve(l, n, b[k]);
            }
            return w;
        }
    }

    /** The lower triangle of {@code a} (n × n, row-major, lower triangle filled) becomes L with LLᵀ = a. */
    private static void choleskyInPlace(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            double s = a[j * n + j];
            for (int k = 0; k < j; k++) {
                s -= a[j * n + k] * a[j * n + k];
            }
            if (!(s > 0)) {
                throw new IllegalStateException("box regression: the normal equations are not positive definite");
            }
            double diagonal = Math.sqrt(s);
            a[j * n + j] = diagonal;
            for (int i = j + 1; i < n; i++) {
                double v = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    v -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = v / diagonal;
            }
        }
    }

    private static double[] choleskySolve(double[] l, int n, double[] b) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * y[k];
            }
            y[i] = s / l[i * n + i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
        return x;
    }
}
