package io.github.inception4j.bench;

import static io.github.inception4j.onnx.OnnxExportTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.nn.LogitsSession;
import java.nio.FloatBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@code bench} and bench/inprocess.jsh time is the network: each session {@link Benchmark#open} opens gives
 * the DJL network's logits (float32 backends within 1e-4 of their scale; bf16 and int8, calibrated on this input,
 * within 3e-2 and 5e-2 of that scale), and DJL, which runs the network itself, is refused.
 */
class BenchmarkTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(InferenceBackend.class)
    void openedSessionsComputeTheNetwork(InferenceBackend backend) {
        Architecture a = Architecture.GOOGLENET_TORCHVISION;
        int batch = 2;
        int size = 64;
        InceptionNetwork net = new InceptionNetwork(a.spec(a.defaultOptions().withInputSize(size).withAuxHeads(false)
                .withWidthMultiplier(0.25).withNumClasses(10)));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(batch, 3, size, size));
            // He-scaled weights and BN statistics away from 0 and 1: logits of order 1 (the default initialisation
            // gives ~1e-16 here), and folding exercised.
            for (var e : net.getParameters()) {
                NDArray array = e.getValue().getArray();
                Shape shape = array.getShape();
                if (e.getKey().endsWith("weight") && shape.dimension() > 1) {
                    double fanIn = shape.size() / shape.get(0);
                    array.set(new NDIndex("..."), m.randomNormal(0, (float) Math.sqrt(2 / fanIn), shape,
                            DataType.FLOAT32));
                } else if (e.getKey().endsWith("running_var")) {
                    array.set(new NDIndex("..."), m.randomUniform(0.5f, 1.5f, shape));
                } else if (e.getKey().endsWith("running_mean")) {
                    array.set(new NDIndex("..."), m.randomUniform(-0.2f, 0.2f, shape));
                }
            }
            NDArray x = m.randomNormal(new Shape(batch, 3, size, size));
            if (backend == InferenceBackend.DJL) {
                assertThrows(IllegalArgumentException.class, () -> Benchmark.open(backend, net, x, 1, m));
                return;
            }
            float[] expected = net.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            LogitsSession opened;
            try {
                opened = Benchmark.open(backend, net, x, 1, m);
            } catch (UnsupportedOperationException e) { // bf16 on a CPU without bf16 instructions, and only that
                assertEquals(InferenceBackend.ONEDNN_BF16, backend, e.getMessage());
                return;
            }
            try (LogitsSession session = opened) {
                FloatBuffer input = session.allocateInput(batch);
                input.put(x.toFloatArray()).flip();
                double tolerance = switch (backend) {
                    case ONEDNN_BF16 -> 3e-2;
                    case ONEDNN_INT8, ONNXRUNTIME_INT8 -> 0.05;
                    default -> 1e-4;
                };
                assertClose(expected, session.logits(input), tolerance, backend.id());
            }
        }
    }
}
