package io.github.inception4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exported ONNX file, run by ONNX Runtime (an independent engine), gives our outputs within 1e-4 relative:
 * for every layout (LRN and ceil-mode pools of the paper's GoogLeNet, BN and transform_input of torchvision's,
 * the factorised modules of Inception-v3, and the Keras layout whose average pools leave padding out of the
 * divisor, which ONNX Runtime computes independently of our DJL workaround), at two sizes and two batch sizes.
 */
public class OnnxExportTest {

    @ParameterizedTest(name = "{0} at {1}, batch {2}, transform_input {3}")
    @CsvSource({"googlenet, 224, 1, false", "googlenet, 160, 3, false",
            "googlenet-torchvision, 224, 3, true", "googlenet-torchvision, 128, 1, false",
            "inception-v3, 299, 2, false", "inception-v3, 139, 1, true", "inception-v3-keras, 160, 2, false"})
    void onnxRuntimeReproducesOurOutputs(String model, int size, int batch, boolean transform) throws OrtException {
        Architecture a = Architecture.byName(model);
        // A quarter of the width keeps the test fast; the graph is the same.
        ModelOptions options = a.defaultOptions().withInputSize(size).withAuxHeads(false)
                .withTransformInput(transform).withWidthMultiplier(0.25).withNumClasses(10);
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork net = new InceptionNetwork(a.spec(options));
            net.initialize(m, DataType.FLOAT32, new Shape(batch, 3, size, size));
            randomiseBatchNorm(net, m);
            NDArray x = m.randomNormal(new Shape(batch, 3, size, size));
            float[] ours = net.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            for (int exportBatch : new int[] {0, batch}) {
                float[] theirs = runOnnx(OnnxExporter.export(net, exportBatch), x.toFloatArray(),
                        new long[] {batch, 3, size, size});
                assertClose(ours, theirs, model + (exportBatch == 0 ? " symbolic batch" : " fixed batch"));
            }
        }
    }

    /** BN statistics away from 0/1, so a mistake in BN export would show. */
    private static void randomiseBatchNorm(InceptionNetwork net, NDManager m) {
        for (var e : net.getParameters()) {
            NDArray a = e.getValue().getArray();
            if (e.getKey().endsWith("running_mean") || e.getKey().endsWith("bn.bias")) {
                a.set(new ai.djl.ndarray.index.NDIndex("..."), m.randomUniform(-0.2f, 0.2f, a.getShape()));
            } else if (e.getKey().endsWith("running_var") || e.getKey().endsWith("bn.weight")) {
                a.set(new ai.djl.ndarray.index.NDIndex("..."), m.randomUniform(0.5f, 1.5f, a.getShape()));
            }
        }
    }

    private static float[] runOnnx(byte[] model, float[] input, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
             OrtSession.Result result = session.run(Map.of("input", tensor))) {
            float[][] logits = (float[][]) result.get(0).getValue();
            float[] flat = new float[logits.length * logits[0].length];
            for (int i = 0; i < logits.length; i++) {
                System.arraycopy(logits[i], 0, flat, i * logits[0].length, logits[0].length);
            }
            return flat;
        }
    }

    /** Same length, and every element within 1e-4 of the largest |expected|. */
    static void assertClose(float[] expected, float[] actual, String what) {
        assertClose(expected, actual, 1e-4, what);
    }

    /** Every element within {@code tolerance} × the largest |expected| (logits: relative to their scale). */
    public static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertArrayEquals(new int[] {expected.length}, new int[] {actual.length}, what);
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(maxDiff <= tolerance * maxRef, what + ": max |diff| " + maxDiff + " vs max |ours| " + maxRef);
    }
}
