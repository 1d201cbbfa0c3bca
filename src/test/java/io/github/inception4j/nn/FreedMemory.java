package io.github.inception4j.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Gradients taken with a garbage collection between the forward and the backward pass, after which the small
 * native blocks it freed are handed out again filled with NaN: what a long training run meets at random.
 */
public final class FreedMemory {

    private FreedMemory() {
    }

    /** d sum(f(x)) / dx, with or without the collection and reuse in between. */
    public static float[] gradient(NDArray x, UnaryOperator<NDArray> f, boolean collectBeforeBackward) {
        NDArray leaf = x.duplicate(); // a fresh leaf: gradients add up across backward passes
        leaf.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = f.apply(leaf).sum();
            List<ByteBuffer> reused = collectBeforeBackward ? collectAndReuse() : List.of();
            collector.backward(y);
            Reference.reachabilityFence(reused);
            return leaf.getGradient().toFloatArray();
        }
    }

    private static List<ByteBuffer> collectAndReuse() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(30); // the cleaner frees direct buffers on its own thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> blocks = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 << (i % 3));
            for (int j = 0; j < b.capacity(); j += 4) {
                b.putFloat(j, Float.NaN);
            }
            blocks.add(b);
        }
        return blocks;
    }
}
