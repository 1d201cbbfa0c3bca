package io.github.inception4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.inception4j.bench.Benchmark;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.nn.InferenceOptimizer;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ONNX Runtime backend gives the DJL network's logits within 1e-4 relative, with its own graph optimisations
 * on (BN and ReLU fused into the convolutions), on the network as trained and on the BN-folded one; and it
 * refuses what it cannot run with a message.
 */
class OnnxRuntimeSessionTest {

    @ParameterizedTest(name = "{0} at {1}, batch {2}, BN folded first: {3}")
    @CsvSource({"googlenet-torchvision, 96, 3, false", "inception-v3, 139, 2, false", "inception-v3, 139, 1, true",
            "googlenet, 128, 2, false"})
    void logitsMatchTheDjlNetwork(String model, int size, int batch, boolean fold) {
        Architecture a = Architecture.byName(model);
        InceptionNetwork net = new InceptionNetwork(a.spec(a.defaultOptions().withInputSize(size).withAuxHeads(false)
                .withWidthMultiplier(0.25).withNumClasses(10)));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(batch, 3, size, size));
            for (var e : net.getParameters()) {
                // BN statistics away from 0 and 1, so BN folding inside ONNX Runtime is exercised.
                if (e.getKey().endsWith("running_var") || e.getKey().endsWith("running_mean")) {
                    NDArray array = e.getValue().getArray();
                    array.set(new ai.djl.ndarray.index.NDIndex("..."), m.randomUniform(0.5f, 1.5f, array.getShape()));
                }
            }
            if (fold) {
                net = InferenceOptimizer.foldBatchNorm(net, m);
            }
            NDArray x = m.randomNormal(new Shape(batch, 3, size, size));
            float[] expected = net.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            try (OnnxRuntimeSession session = OnnxRuntimeSession.of(net, 2)) {
                FloatBuffer input = session.allocateInput(batch);
                input.put(x.toFloatArray()).flip();
                float[] actual = session.logits(input);
                assertEquals(batch * 10, actual.length);
                OnnxExportTest.assertClose(expected, actual, model);
            }
        }
    }

    @Test
    void refusesPartialImagesAndFusedNetworks() {
        Architecture a = Architecture.GOOGLENET_TORCHVISION;
        InceptionNetwork net = new InceptionNetwork(a.spec(a.defaultOptions().withInputSize(64).withAuxHeads(false)
                .withWidthMultiplier(0.25).withNumClasses(10)));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            try (OnnxRuntimeSession session = OnnxRuntimeSession.of(net, 1)) {
                var e = assertThrows(IllegalArgumentException.class,
                        () -> session.logits(FloatBuffer.allocate(3 * 64 * 64 + 5)));
                assertTrue(e.getMessage().contains("not a whole number of [3, 64, 64] images"), e.getMessage());
            }
            InceptionNetwork fused = InferenceOptimizer.fusePointwise(net, m);
            assertThrows(UnsupportedOperationException.class, () -> OnnxRuntimeSession.of(fused, 1));
        }
    }

    @Test
    void benchmarkRunsOnOnnxRuntimeAndRefusesToTrainThere() {
        Benchmark.Execution onnx = new Benchmark.Execution(1, InferenceOptimizer.Rewrites.NONE,
                InferenceBackend.ONNXRUNTIME);
        Map<String, Object> result = Benchmark.run(new Benchmark.Settings(Architecture.GOOGLENET_TORCHVISION, 1, 64,
                false, new Benchmark.Repeats(1, 2), onnx));
        assertEquals("onnxruntime", result.get("backend"));
        assertTrue((double) result.get("images_per_s") > 0, result.toString());
        assertEquals(Architecture.GOOGLENET_TORCHVISION.spec(Architecture.GOOGLENET_TORCHVISION.defaultOptions()
                .withAuxHeads(false).withInputSize(64)).params(), result.get("params"));
        var e = assertThrows(IllegalArgumentException.class, () -> new Benchmark.Settings(
                Architecture.GOOGLENET_TORCHVISION, 1, 64, true, new Benchmark.Repeats(1, 2), onnx));
        assertTrue(e.getMessage().contains("inference only"), e.getMessage());
    }
}
