package io.github.inception4j.nn;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Autograd off for a piece of work. Grad mode is per thread and on in every thread but the engine's first (djl.md,
 * thread-local grad mode): there an in-place write into a parameter fails ("a leaf Variable that requires grad is
 * being used in an in-place operation") and arithmetic on parameters records graphs. Loading and rewriting weights
 * run through it, so they work on any thread (a cluster's task, a server's worker).
 */
public final class GradMode {

    private GradMode() {
    }

    /** Runs {@code work} with autograd off on this thread, then restores the thread's mode. */
    public static <T> T off(Supplier<T> work) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }
}
