package io.github.inception4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import io.github.inception4j.nn.GradMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Polyak averaging as TF's ExponentialMovingAverage does it (P1 §6, P2 §8; decay 0.9999 in TF Inception):
 * shadow ← d·shadow + (1 − d)·w after every step, over every parameter and BatchNorm running statistic, with
 * d = min(decay, (1 + t)/(10 + t)) at update t when {@code warmup} is on (so early shadows are not dominated by
 * the random initialisation). The shadow weights are what evaluation uses and checkpoints keep.
 */
public final class Ema implements AutoCloseable {

    private final double decay;
    private final boolean warmup;
    private final NDManager manager;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();
    private long updates;

    /** Starts the shadow at the current values of {@code weights}. */
    public Ema(double decay, boolean warmup, Map<String, NDArray> weights, NDManager parent) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in (0, 1), got " + decay);
        }
        this.decay = decay;
        this.warmup = warmup;
        this.manager = parent.newSubManager();
        weights.forEach((name, w) -> {
            NDArray copy = w.duplicate();
            copy.attach(manager);
            shadow.put(name, copy);
        });
    }

    /** The decay applied at the next update. */
    public double currentDecay() {
        return warmup ? Math.min(decay, (1.0 + updates) / (10.0 + updates)) : decay;
    }

    public long updates() {
        return updates;
    }

    public void update(Map<String, NDArray> weights) {
        float d = (float) currentDecay();
        try (NDScope scope = new NDScope()) {
            weights.forEach((name, w) -> shadow.get(name).muli(d).addi(w.mul(1 - d)));
        }
        updates++;
    }

    /** The shadow arrays by parameter name, live. */
    public Map<String, NDArray> shadow() {
        return shadow;
    }

    /** Restores a saved shadow and update count. */
    public void load(Map<String, float[]> values, long updateCount) {
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null || v.length != e.getValue().size()) {
                throw new IllegalArgumentException("saved EMA lacks '" + e.getKey() + "' or has another shape");
            }
        }
        try (NDManager scratch = manager.newSubManager()) {
            shadow.forEach((name, s) -> copyInto(s, scratch.create(values.get(name), s.getShape())));
        }
        updates = updateCount;
    }

    /**
     * Writes {@code value} into {@code target}'s own storage, as loading weights does. DJL's {@code set(Buffer)}
     * and {@code copyTo} instead swap the target's storage for a Java direct buffer that only the Java object keeps
     * alive (decision #33), so after an evaluation the network would train on memory libtorch does not own.
     */
    private static void copyInto(NDArray target, NDArray value) {
        GradMode.off(() -> {
            target.set(new NDIndex("..."), value);
            return null;
        });
    }

    /** Something run with the shadow weights in place; it may throw. */
    @FunctionalInterface
    public interface Action<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code action} with the shadow values in the network's arrays, then puts the trained values back, and
     * returns what the action returned.
     */
    public <T, E extends Exception> T withShadowWeights(Map<String, NDArray> weights, Action<T, E> action) throws E {
        Map<String, NDArray> saved = new LinkedHashMap<>();
        try (NDManager backup = manager.newSubManager()) {
            weights.forEach((name, w) -> {
                NDArray copy = w.duplicate();
                copy.attach(backup);
                saved.put(name, copy);
                copyInto(w, shadow.get(name));
            });
            try {
                return action.run();
            } finally {
                saved.forEach((name, copy) -> copyInto(weights.get(name), copy));
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
