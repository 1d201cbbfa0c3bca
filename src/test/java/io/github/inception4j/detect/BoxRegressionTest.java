package io.github.inception4j.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.inception4j.weights.WeightFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R-CNN's box regression: its targets by hand, a known linear map recovered, and its file. */
class BoxRegressionTest {

    @TempDir
    Path dir;

    @Test
    void targetsAreRcnnsAndApplyInvertsThem() {
        // Proposal 20 × 40 centred at (20, 40); object 24 × 40 centred at (24, 38).
        Box proposal = new Box(10, 20, 30, 60);
        Box object = new Box(12, 18, 36, 58);
        double[] t = BoxRegression.targets(proposal, object);
        assertArrayEquals(new double[] {4.0 / 20, -2.0 / 40, Math.log(24.0 / 20), 0}, t, 1e-12);
        Box back = BoxRegression.apply(proposal, t);
        assertArrayEquals(new double[] {12, 18, 36, 58}, new double[] {back.x0(), back.y0(), back.x1(), back.y1()},
                1e-9);
    }

    @Test
    void fitRecoversALinearMapPerClassAndLeavesAClassWithoutExamplesAlone() {
        // Class 0's offsets are a known linear function of 3 features plus a bias; class 2 has no examples.
        double[][] w = {{0.10, -0.20, 0.05, 0.01}, {0.00, 0.15, -0.10, -0.02}, {0.20, 0.00, 0.00, 0.05},
            {-0.05, 0.05, 0.10, 0.00}};
        SplittableRandom random = new SplittableRandom(7);
        List<BoxRegression.Example> examples = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            float[] x = {(float) random.nextDouble(), (float) random.nextDouble(), (float) random.nextDouble()};
            double left = 10 + 50 * random.nextDouble();
            double top = 10 + 50 * random.nextDouble();
            Box proposal = new Box(left, top, left + 20 + 30 * random.nextDouble(), top + 20 + 30 * random.nextDouble());
            examples.add(new BoxRegression.Example(x, proposal, BoxRegression.apply(proposal, map(w, x)), 0));
            if (i % 2 == 0) {
                examples.add(new BoxRegression.Example(x, proposal, proposal, 1)); // class 1: proposals are right
            }
        }
        BoxRegression fitted = BoxRegression.fit(examples, 3);
        assertEquals(1, fitted.lambda(), "the least penalty fits noiseless data best");
        float[] x = {0.3f, 0.6f, 0.9f};
        Box proposal = new Box(40, 50, 70, 90);
        Box expected = BoxRegression.apply(proposal, map(w, x));
        Box got = fitted.refine(proposal, 0, x);
        // The penalty (λ = 1 over 2,000 examples) shrinks the map a little: within a tenth of a pixel.
        assertArrayEquals(corners(expected), corners(got), 0.1);
        assertArrayEquals(corners(proposal), corners(fitted.refine(proposal, 1, x)), 1e-3);
        assertArrayEquals(corners(proposal), corners(fitted.refine(proposal, 2, x)), 0);
        assertThrows(IllegalArgumentException.class, () -> fitted.refine(proposal, 0, new float[2]));
    }

    @Test
    void itsFileRoundTripsAndDamageIsRefused() throws IOException {
        double[][][] weights = new double[2][4][4];
        weights[1][2][3] = 0.25; // class 1: width × e^0.25 whatever the features
        BoxRegression r = new BoxRegression(weights, 100);
        Path file = dir.resolve(BoxRegression.FILE);
        r.write(file);
        BoxRegression back = BoxRegression.read(file, 2, 3);
        Box proposal = new Box(0, 0, 10, 10);
        assertArrayEquals(corners(r.refine(proposal, 1, new float[3])), corners(back.refine(proposal, 1,
                new float[3])), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> BoxRegression.read(file, 3, 3), "another class count");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        assertThrows(WeightFileException.class, () -> BoxRegression.read(file, 2, 3));
    }

    private static double[] map(double[][] w, float[] x) {
        double[] t = new double[4];
        for (int k = 0; k < 4; k++) {
            t[k] = w[k][3];
            for (int j = 0; j < 3; j++) {
                t[k] += w[k][j] * x[j];
            }
        }
        return t;
    }

    private static double[] corners(Box b) {
        return new double[] {b.x0(), b.y0(), b.x1(), b.y1()};
    }
}
