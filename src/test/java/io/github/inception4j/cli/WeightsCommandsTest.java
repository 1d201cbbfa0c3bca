package io.github.inception4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.weights.Numpy;
import io.github.inception4j.weights.Tensor;
import io.github.inception4j.weights.WeightFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** convert and forward as a user runs them, against the Java API on the same weights and tensor. */
class WeightsCommandsTest {

    @TempDir
    Path dir;

    @Test
    void convertThenForwardGivesTheSameLogitsAsTheJavaApi() throws IOException {
        String[] model = {"--model", "googlenet-torchvision", "--width", "0.25", "--num-classes", "6",
                "--input-size", "64"};
        Path weights = dir.resolve("tv.safetensors");
        Path input = dir.resolve("x.npy");
        float[] expected;
        try (NDManager m = NDManager.newBaseManager()) {
            Architecture a = Architecture.GOOGLENET_TORCHVISION;
            InceptionNetwork net = new InceptionNetwork(a.spec(a.defaultOptions().withWidthMultiplier(0.25)
                    .withNumClasses(6).withInputSize(64)));
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 64, 64));
            Checkpoint.exportTorchvision(weights, net);
            var x = m.randomUniform(-1, 1, new Shape(2, 3, 64, 64));
            try (var out = Files.newOutputStream(input)) {
                Numpy.writeNpy(out, Tensor.ofFloats("x", new long[] {2, 3, 64, 64}, x.toFloatArray()));
            }
            expected = net.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
        }
        Path checkpoint = dir.resolve("ckpt");
        CliTest.Result convert = CliTest.run(concat(new String[] {"convert", weights.toString(),
                checkpoint.toString()}, model));
        assertEquals(0, convert.exitCode(), convert.err());
        assertTrue(convert.out().contains("torchvision names"), convert.out());

        Path y = dir.resolve("y.npy");
        CliTest.Result forward = CliTest.run("forward", "--weights", checkpoint.toString(), "--input",
                input.toString(), "--output", y.toString());
        assertEquals(0, forward.exitCode(), forward.err());
        assertArrayEquals(expected, WeightFiles.read(y).get("y").toFloats(), 1e-5f);

        Path named = dir.resolve("train.npz");
        CliTest.Result train = CliTest.run("forward", "--weights", checkpoint.toString(), "--input",
                input.toString(), "--output", named.toString(), "--train-mode");
        assertEquals(0, train.exitCode(), train.err());
        Map<String, Tensor> outputs = WeightFiles.read(named);
        assertEquals(java.util.Set.of("logits", "aux1", "aux2"), outputs.keySet());
    }

    @Test
    void aWeightFileWithoutModelOrOfTheWrongModelFailsWithOneLine() throws IOException {
        Path junk = dir.resolve("junk.pth");
        Files.writeString(junk, "not weights");
        CliTest.Result r = CliTest.run("convert", junk.toString(), dir.resolve("out").toString(), "--model",
                "googlenet");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: " + junk), r.err());
        Path x = dir.resolve("x.npy");
        try (var out = Files.newOutputStream(x)) {
            Numpy.writeNpy(out, Tensor.ofFloats("x", new long[] {1, 3, 8, 8}, new float[3 * 64]));
        }
        CliTest.Result noModel = CliTest.run("forward", "--weights", junk.toString(), "--input", x.toString(),
                "--output", dir.resolve("y.npy").toString());
        assertEquals(1, noModel.exitCode());
        assertTrue(noModel.err().contains("--model is required"), noModel.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
