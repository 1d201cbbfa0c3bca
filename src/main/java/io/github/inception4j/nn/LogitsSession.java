package io.github.inception4j.nn;

import java.nio.FloatBuffer;

/**
 * A network compiled for inference outside DJL's engine (ONNX Runtime, oneDNN): an (N, 3, H, W) float batch in,
 * the (N, classes) logits out. Safe to call from several threads.
 */
public interface LogitsSession extends AutoCloseable {

    /** A direct buffer for {@code batch} inputs, to be filled in NCHW order and passed to {@link #logits}. */
    FloatBuffer allocateInput(int batch);

    /**
     * Logits of a batch, (N, classes) flattened row by row.
     *
     * @param input N·C·H·W floats from its position to its limit (the position is left as it was)
     */
    float[] logits(FloatBuffer input);

    @Override
    void close();
}
