package io.github.inception4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.github.inception4j.nn.InceptionOutputs;
import io.github.inception4j.nn.Scalars;
import java.util.Map;

/**
 * Cross-entropy with label smoothing (P2 §7) and auxiliary heads weighted by name (P1 §5: 0.3; TF Inception-v3:
 * 0.4). With q′ = (1 − ε)·δ_y + ε/K the loss −Σ_k q′_k log p_k equals (1 − ε)·NLL + ε·mean_k(−log p_k), which is
 * what is computed (no one-hot matrix). Eval outputs carry no auxiliary logits and simply add nothing.
 */
public final class Losses {

    private Losses() {
    }

    /** Mean over the batch of the smoothed cross-entropy; logits (N, K), labels (N) int64. */
    public static NDArray smoothedCrossEntropy(NDArray logits, NDArray labels, double smoothing) {
        NDArray logp = logits.logSoftmax(1);
        // pick keeps the picked axis: (N, 1) → (N), so that it adds to the (N) mean below element by element.
        NDArray nll = logp.get(new NDIndex().addAllDim().addPickDim(labels)).neg().reshape(-1);
        if (smoothing == 0) {
            return nll.mean();
        }
        NDArray uniform = logp.mean(new int[] {1}).neg();
        return nll.mul(Scalars.of(1 - smoothing, nll)).add(uniform.mul(Scalars.of(smoothing, uniform))).mean();
    }

    /**
     * Main loss plus each auxiliary head's loss times its weight. A head present in the outputs but absent from
     * {@code auxWeights} is an error: silently dropping a head's loss is how aux training goes wrong.
     */
    public static NDArray total(InceptionOutputs outputs, NDArray labels, double smoothing,
                                Map<String, Double> auxWeights) {
        NDArray loss = smoothedCrossEntropy(outputs.logits(), labels, smoothing);
        for (String head : outputs.auxNames()) {
            Double weight = auxWeights.get(head);
            if (weight == null) {
                throw new IllegalArgumentException("no loss weight for auxiliary head '" + head + "' (have "
                        + auxWeights.keySet() + ")");
            }
            if (weight != 0) {
                NDArray aux = smoothedCrossEntropy(outputs.aux(head), labels, smoothing);
                loss = loss.add(aux.mul(Scalars.of(weight, aux)));
            }
        }
        return loss;
    }
}
