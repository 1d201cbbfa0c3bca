package io.github.inception4j.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.nn.InceptionOutputs;
import io.github.inception4j.nn.Scalars;
import io.github.inception4j.train.Objective;

/**
 * MultiBox's training loss (Erhan et al. 2014 §3), per image and averaged over the batch:
 * α · ½ Σ_k t_k ‖l_k − g_k‖² + Σ_k [softplus(z_k) − t_k z_k], where z are the confidence logits, t the
 * assignment (1 for a prior matched to a box), l the predicted offsets and g the target offsets of
 * {@link MultiBox#targets}; the second term is −[t log σ(z) + (1 − t) log(1 − σ(z))], with libtorch's softplus
 * (finite for any z, gradient σ(z) everywhere; relu(z) + log(1 + e^−|z|) has a wrong gradient at z = 0). A batch is correct for an image when its most confident prior is an assigned one.
 */
public record MultiBoxLoss(MultiBox multiBox) implements Objective {

    @Override
    public NDArray loss(InceptionOutputs outputs, DataLoader.Batch batch, NDManager manager) {
        int k = multiBox.size();
        int n = batch.count();
        NDArray out = outputs.logits();
        NDArray targets = targets(batch, manager);
        NDArray z = out.get(new NDIndex(":, :{}", k));
        NDArray t = targets.get(new NDIndex(":, :{}", k));
        NDArray l = out.get(new NDIndex(":, {}:", k)).reshape(new Shape(n, k, 4));
        NDArray g = targets.get(new NDIndex(":, {}:", k)).reshape(new Shape(n, k, 4));
        NDArray softplus = Activation.softPlus(z);
        NDArray confidence = softplus.sub(z.mul(t)).sum(new int[] {1});
        NDArray diff = l.sub(g);
        NDArray squared = diff.mul(diff).sum(new int[] {2}).mul(t).sum(new int[] {1});
        NDArray localisation = squared.mul(Scalars.of(0.5 * multiBox.alpha(), squared));
        return confidence.add(localisation).mean();
    }

    @Override
    public long correct(InceptionOutputs outputs, DataLoader.Batch batch, NDManager manager) {
        int k = multiBox.size();
        NDArray z = outputs.logits().get(new NDIndex(":, :{}", k));
        NDArray t = targets(batch, manager).get(new NDIndex(":, :{}", k));
        NDArray best = z.argMax(1).reshape(-1, 1);
        return (long) t.get(new NDIndex().addAllDim().addPickDim(best)).sum().getFloat();
    }

    private NDArray targets(DataLoader.Batch batch, NDManager manager) {
        if (batch.targets() == null || batch.targets().length != batch.count() * multiBox.outputs()) {
            throw new IllegalArgumentException("a MultiBox batch needs " + multiBox.outputs()
                    + " targets per image");
        }
        return manager.create(batch.targets(), new Shape(batch.count(), multiBox.outputs()));
    }
}
