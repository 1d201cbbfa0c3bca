package io.github.inception4j.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras' weights layout, written here the way {@code model.save_weights} writes it (Keras is not installable on
 * this machine): a group per layer named by creation order, {@code weight_names} attributes, HWIO kernels, BN
 * without γ, a (in, out) dense kernel. The test checks that every value lands where it belongs.
 */
class KerasH5Test {

    @TempDir
    Path dir;

    /** Keras' layer names: the first of a kind has no suffix in tf.keras; we write the old 1-based style. */
    private static String conv(int i) {
        return "conv2d_" + (i + 1);
    }

    private static String bn(int i) {
        return "batch_normalization_" + (i + 1);
    }

    /** A recognisable value for element (layer, y, x, in, out) of a Keras kernel. */
    private static float kernelValue(int layer, int y, int x, int in, int out) {
        return layer * 1000f + y * 100 + x * 10 + in * 0.01f + out * 0.0001f;
    }

    @Test
    void kerasWeightsLandWhereTheyBelong() throws Exception {
        Architecture a = Architecture.INCEPTION_V3_KERAS;
        ModelOptions options = a.defaultOptions().withWidthMultiplier(0.25).withNumClasses(7);
        NetworkSpec spec = a.spec(options);
        List<ParameterSpec> convs = spec.parameters().stream().filter(p -> p.name().endsWith(".conv.weight")).toList();
        assertEquals(94, convs.size(), "Keras' InceptionV3 has 94 Conv2D layers");
        Path file = dir.resolve("keras.h5");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < convs.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7)); // layer order in the file must not matter, names do
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            List<String> layerNames = new ArrayList<>();
            for (int i : order) {
                long[] s = convs.get(i).shape(); // (out, in, kh, kw)
                float[][][][] kernel = new float[(int) s[2]][(int) s[3]][(int) s[1]][(int) s[0]];
                for (int y = 0; y < s[2]; y++) {
                    for (int x = 0; x < s[3]; x++) {
                        for (int in = 0; in < s[1]; in++) {
                            for (int out = 0; out < s[0]; out++) {
                                kernel[y][x][in][out] = kernelValue(i, y, x, in, out);
                            }
                        }
                    }
                }
                layer(h5, conv(i), new String[] {"kernel:0"}, new Object[] {kernel});
                float[] beta = fill((int) s[0], i + 0.5f);
                float[] mean = fill((int) s[0], -i);
                float[] var = fill((int) s[0], i + 2f);
                layer(h5, bn(i), new String[] {"beta:0", "moving_mean:0", "moving_variance:0"},
                        new Object[] {beta, mean, var});
                layerNames.add(conv(i));
                layerNames.add(bn(i));
            }
            float[][] dense = new float[512][7];
            for (int in = 0; in < 512; in++) {
                for (int out = 0; out < 7; out++) {
                    dense[in][out] = in + out / 10f;
                }
            }
            layer(h5, "predictions", new String[] {"kernel:0", "bias:0"}, new Object[] {dense, fill(7, 3f)});
            layerNames.add("predictions");
            h5.putAttribute("layer_names", layerNames.toArray(String[]::new));
            h5.putAttribute("backend", "tensorflow");
            h5.putAttribute("keras_version", "2.2.4");
        }

        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork net = new InceptionNetwork(spec);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 299, 299));
            LoadReport report = WeightLoader.load(net, file, WeightLoader.Mode.STRICT);
            assertTrue(report.complete(), report.summary());
            // The 94th convolution is Mixed_7c's pool projection; Keras' 1×3 split of branch3x3dbl is the 91st.
            int last = convs.size() - 1;
            assertEquals("Mixed_7c.branch_pool.conv.weight", convs.get(last).name());
            assertEquals("Mixed_7c.branch3x3dbl_3a.conv.weight", convs.get(last - 2).name());
            float[] w = net.parameter(convs.get(last - 2).name()).getArray().toFloatArray();
            long[] s = convs.get(last - 2).shape(); // (96, 96, 1, 3)
            int o = 5;
            int in = 3;
            int x = 2;
            assertEquals(kernelValue(last - 2, 0, x, in, o), w[(int) (((o * s[1] + in) * s[2]) * s[3] + x)]);
            assertArrayEquals(fill((int) s[0], last - 2 + 0.5f),
                    net.parameter("Mixed_7c.branch3x3dbl_3a.bn.bias").getArray().toFloatArray());
            assertArrayEquals(fill((int) s[0], last - 2 + 2f),
                    net.parameter("Mixed_7c.branch3x3dbl_3a.bn.running_var").getArray().toFloatArray());
            assertArrayEquals(fill((int) s[0], 1f),
                    net.parameter("Mixed_7c.branch3x3dbl_3a.bn.weight").getArray().toFloatArray(), "no γ: 1");
            float[] fc = net.parameter("fc.weight").getArray().toFloatArray(); // (7, 512)
            assertEquals(100 + 4 / 10f, fc[4 * 512 + 100], 1e-4, "dense (in, out) is transposed");
        }
    }

    @Test
    void aKerasFileOfAnotherModelIsRefusedByCount() throws Exception {
        Path file = dir.resolve("small.h5");
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            layer(h5, conv(0), new String[] {"kernel:0"}, new Object[] {new float[3][3][3][32]});
            h5.putAttribute("layer_names", new String[] {conv(0)});
        }
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork net = new InceptionNetwork(Architecture.INCEPTION_V3_KERAS.spec(
                    Architecture.INCEPTION_V3_KERAS.defaultOptions().withWidthMultiplier(0.25)));
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 299, 299));
            WeightFileException e = assertThrows(WeightFileException.class,
                    () -> WeightLoader.load(net, file, WeightLoader.Mode.STRICT));
            assertTrue(e.getMessage().contains("1 Conv2D") && e.getMessage().contains("94 convolutions"),
                    e.getMessage());
        }
    }

    /** One Keras layer: group L with attribute weight_names [L/w ...] and datasets L/L/w. */
    private static void layer(WritableHdfFile h5, String name, String[] weights, Object[] data) {
        WritableGroup group = h5.putGroup(name);
        WritableGroup inner = group.putGroup(name);
        String[] names = new String[weights.length];
        for (int i = 0; i < weights.length; i++) {
            inner.putDataset(weights[i], data[i]);
            names[i] = name + "/" + weights[i];
        }
        group.putAttribute("weight_names", names);
    }

    private static float[] fill(int n, float value) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, value);
        return out;
    }
}
