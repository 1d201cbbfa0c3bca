package io.github.inception4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Collection;

/**
 * Clipping by global norm (TF's clip_by_global_norm; P2 §8 uses 2.0): when ‖g‖ = √(Σ‖g_i‖²) over all gradients
 * exceeds the threshold, every gradient is scaled by threshold/‖g‖, which keeps the update's direction. DJL's
 * {@code optClipGrad} is a per-element upper bound (clamp_max), which neither bounds negative values nor keeps
 * the direction.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /** The global norm before clipping; gradients are scaled in place when it exceeds {@code maxNorm} (> 0). */
    public static double clipByGlobalNorm(Collection<NDArray> gradients, double maxNorm) {
        double norm = globalNorm(gradients);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / norm);
            try (NDScope scope = new NDScope()) {
                gradients.forEach(g -> g.muli(scale));
            }
        }
        return norm;
    }

    public static double globalNorm(Collection<NDArray> gradients) {
        try (NDScope scope = new NDScope()) {
            NDArray total = null;
            for (NDArray g : gradients) {
                NDArray sq = g.square().sum();
                total = total == null ? sq : total.add(sq);
            }
            return total == null ? 0 : Math.sqrt(total.toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                    .getDouble());
        }
    }
}
