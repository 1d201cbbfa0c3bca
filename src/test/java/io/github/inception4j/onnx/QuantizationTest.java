package io.github.inception4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InferenceOptimizer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The int8 export: its logits follow the float graph's, ONNX Runtime turns it into integer kernels, the scale rules
 * of pools and concats hold, and what it cannot quantize is refused.
 */
class QuantizationTest {

    @TempDir
    Path dir;

    private static InceptionNetwork folded(String model, int size, NDManager m) {
        Architecture a = Architecture.byName(model);
        InceptionNetwork net = new InceptionNetwork(a.spec(a.defaultOptions().withInputSize(size).withAuxHeads(false)
                .withWidthMultiplier(0.25).withNumClasses(10)));
        net.initialize(m, DataType.FLOAT32, new Shape(1, 3, size, size));
        return InferenceOptimizer.foldBatchNorm(net, m);
    }

    private static FloatBuffer direct(float[] values) {
        return ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer()
                .put(values).flip();
    }

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({"googlenet-torchvision, 64", "inception-v3, 107", "googlenet, 64"})
    void int8LogitsFollowTheFloatGraph(String model, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork net = folded(model, size, m);
            int batch = 8;
            float[] x = m.randomNormal(new Shape(batch, 3, size, size)).toFloatArray();
            Calibration ranges = Calibrator.calibrate(net, each -> each.accept(direct(x)),
                    Calibration.Method.MINMAX, "random", 2);
            assertEquals(batch, ranges.images());
            float[] expected;
            float[] actual;
            try (OnnxRuntimeSession fp32 = OnnxRuntimeSession.of(net, 2);
                 OnnxRuntimeSession int8 = OnnxRuntimeSession.of(QuantizedExporter.export(net, ranges, 0),
                         net.spec(), 2)) {
                expected = fp32.logits(direct(x));
                actual = int8.logits(direct(x));
            }
            // Each image's logits point the same way (cosine similarity), as close as 8-bit steps allow.
            for (int i = 0; i < batch; i++) {
                double dot = 0;
                double a2 = 0;
                double b2 = 0;
                for (int c = i * 10; c < (i + 1) * 10; c++) {
                    dot += expected[c] * actual[c];
                    a2 += expected[c] * expected[c];
                    b2 += actual[c] * actual[c];
                }
                double cosine = dot / Math.sqrt(a2 * b2);
                assertTrue(cosine > 0.98, model + " image " + i + ": cosine " + cosine);
            }
        }
    }

    @Test
    void onnxRuntimeRunsItOnIntegerKernels() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork net = folded("googlenet-torchvision", 64, m);
            float[] x = m.randomNormal(new Shape(2, 3, 64, 64)).toFloatArray();
            Calibration ranges = Calibrator.calibrate(net, each -> each.accept(direct(x)),
                    Calibration.Method.MINMAX, "random", 1);
            Path optimized = dir.resolve("optimized.onnx");
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                options.setOptimizedModelFilePath(optimized.toString());
                env.createSession(QuantizedExporter.export(net, ranges, 0), options).close();
            }
            String graph = new String(Files.readAllBytes(optimized), StandardCharsets.ISO_8859_1);
            long convs = net.spec().parameters().stream().filter(p -> p.name().endsWith(".conv.weight")).count();
            assertEquals(convs, count(graph, "QLinearConv"), "every convolution runs as QLinearConv");
            assertTrue(graph.contains("QLinearConcat"), "concats stay in uint8");
            assertEquals(0, count(graph, "\"\u0004Relu"),
                    "ReLU folded into the output zero point");
        }
    }

    private static long count(String text, String word) {
        long n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void poolsKeepTheirInputScaleAndConcatsShareTheirOutputScale() {
        try (NDManager m = NDManager.newBaseManager()) {
            OnnxGraph graph = OnnxExporter.graph(folded("inception-v3", 107, m));
            Map<String, String> groups = QuantizedExporter.activations(graph);
            int concats = 0;
            for (OnnxGraph.Node n : graph.nodes) {
                if (n.op().equals("Concat")) {
                    concats++;
                    n.inputs().forEach(in -> assertEquals(groups.get(n.output()), groups.get(in), in));
                } else if (n.op().equals("MaxPool") || n.op().equals("AveragePool")) {
                    assertEquals(groups.get(n.inputs().get(0)), groups.get(n.output()), n.output());
                } else if (n.op().equals("Conv")) {
                    assertTrue(groups.containsKey(n.inputs().get(0)), "conv input " + n.inputs().get(0));
                }
            }
            assertTrue(concats >= 11, "Mixed_5b … 7c");
        }
    }

    @Test
    void batchNormMustBeFoldedFirst() {
        Architecture a = Architecture.byName("googlenet-torchvision");
        InceptionNetwork net = new InceptionNetwork(a.spec(a.defaultOptions().withInputSize(64).withAuxHeads(false)
                .withWidthMultiplier(0.25).withNumClasses(10)));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            var e = assertThrows(IllegalArgumentException.class, () -> QuantizedExporter.activations(net));
            assertTrue(e.getMessage().contains("fold BatchNorm"), e.getMessage());
        }
    }

    @Test
    void rangesGiveUint8ScalesAndZeroPoints() {
        Calibration.Range relu = new Calibration.Range(0, 2.55f);
        assertEquals(0.01f, relu.scale(), 1e-7);
        assertEquals(0, relu.zeroPoint());
        Calibration.Range input = new Calibration.Range(-1, 1);
        assertEquals(2 / 255f, input.scale(), 1e-7);
        assertEquals(127.5, input.zeroPoint(), 0.5, "0.0 is code 127.5, rounded");
        assertThrows(IllegalArgumentException.class, () -> new Calibration.Range(0.5f, 1));
        Calibration c = new Calibration("percentile", 3, "fashion-mnist-subset", "2026-11-30T00:00:00Z",
                Map.of("b", relu, "a", input));
        assertEquals(c, Calibration.fromJson(c.toJson()));
        assertTrue(c.toJson().indexOf("\"a\"") < c.toJson().indexOf("\"b\""), "ranges sorted by name");
    }

    @Test
    void percentileAndEntropyCutLongTails() {
        long[] uniform = new long[Calibrator.BINS];
        java.util.Arrays.fill(uniform, 1000);
        assertEquals(Calibrator.BINS, Calibrator.percentile(uniform, 99.999), 1);
        // Half-normal values with σ = 100 bins, and one outlier at the far end: the max is an outlier.
        long[] tail = new long[Calibrator.BINS];
        for (int i = 0; i < Calibrator.BINS; i++) {
            tail[i] = Math.round(1e6 * Math.exp(-0.5 * (i / 100.0) * (i / 100.0)));
        }
        tail[Calibrator.BINS - 1] = 1;
        float percentile = Calibrator.percentile(tail, 99.999);
        assertTrue(percentile > 400 && percentile < 500, "4.4σ: " + percentile);
        float entropy = Calibrator.entropy(tail);
        assertTrue(entropy >= Calibrator.LEVELS && entropy < 1000, "entropy cut " + entropy);
    }
}
