package io.github.inception4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.LogitsSession;
import io.github.inception4j.spec.NetworkSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Inference on ONNX Runtime's CPU backend, fed by {@link OnnxExporter}: the network's eval graph (main logits)
 * with the weights it holds now. ONNX Runtime rewrites the graph once when the session opens (BatchNorm folded into
 * the convolutions, ReLU fused into them, NCHW → blocked layouts decided once for the whole graph instead of per
 * call), which is what the DJL path pays for on every convolution.
 *
 * <p>Input is an (N, 3, H, W) float32 batch in a direct buffer, read in place; only the (N, classes) logits are
 * copied out. A session is safe to call from several threads.
 */
public final class OnnxRuntimeSession implements LogitsSession {

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final long[] inputShape;
    private final int numClasses;

    private OnnxRuntimeSession(byte[] model, long[] inputShape, int numClasses, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.inputShape = inputShape;
        this.numClasses = numClasses;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            this.session = environment.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused the exported model: " + e.getMessage(), e);
        }
    }

    /**
     * A session on {@code network}'s current weights, batch size free.
     *
     * @param threads intra-op threads (ONNX Runtime's own pool; the engine's setting does not apply here)
     * @throws UnsupportedOperationException if the network cannot be exported (fused 1×1 convolutions)
     */
    public static OnnxRuntimeSession of(InceptionNetwork network, int threads) {
        return of(OnnxExporter.export(network, 0), network.spec(), threads);
    }

    /**
     * A session on a model this project exported for {@code spec} (float, or int8 by {@link QuantizedExporter}):
     * input {@code input} (N, 3, H, W), first output the (N, classes) logits.
     */
    public static OnnxRuntimeSession of(byte[] model, NetworkSpec spec, int threads) {
        var input = spec.input();
        return new OnnxRuntimeSession(model, new long[] {input.channels(), input.height(), input.width()},
                spec.numClasses(), threads);
    }

    @Override
    public FloatBuffer allocateInput(int batch) {
        long floats = batch * inputShape[0] * inputShape[1] * inputShape[2];
        return ByteBuffer.allocateDirect(Math.toIntExact(floats * Float.BYTES)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /** {@inheritDoc} A direct buffer is read without a copy. */
    @Override
    public float[] logits(FloatBuffer input) {
        long[] shape = shapeOf(input);
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, shape);
             OrtSession.Result result = session.run(Map.of("input", tensor))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] logits = new float[out.remaining()];
            out.get(logits);
            if (logits.length != shape[0] * numClasses) {
                throw new IllegalStateException("ONNX Runtime returned " + logits.length + " logits for " + shape[0]
                        + " images of " + numClasses + " classes");
            }
            return logits;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime inference failed: " + e.getMessage(), e);
        }
    }

    /** Runs a batch and hands each named output (a graph output of the model) to {@code each} while it is valid. */
    void outputs(FloatBuffer input, Set<String> names, BiConsumer<String, FloatBuffer> each) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, shapeOf(input));
             OrtSession.Result result = session.run(Map.of("input", tensor), names)) {
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
                each.accept(e.getKey(), ((OnnxTensor) e.getValue()).getFloatBuffer());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime inference failed: " + e.getMessage(), e);
        }
    }

    private long[] shapeOf(FloatBuffer input) {
        long perImage = inputShape[0] * inputShape[1] * inputShape[2];
        if (input.remaining() == 0 || input.remaining() % perImage != 0) {
            throw new IllegalArgumentException("input holds " + input.remaining() + " floats, not a whole number of "
                    + Arrays.toString(inputShape) + " images");
        }
        return new long[] {input.remaining() / perImage, inputShape[0], inputShape[1], inputShape[2]};
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
