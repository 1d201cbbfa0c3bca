package io.github.inception4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.inception4j.spec.AdaptiveAvgPool;
import io.github.inception4j.spec.Concat;
import io.github.inception4j.spec.Conv;
import io.github.inception4j.spec.ConvStyle;
import io.github.inception4j.spec.Dropout;
import io.github.inception4j.spec.Init;
import io.github.inception4j.spec.InputTransform;
import io.github.inception4j.spec.LayerSpec;
import io.github.inception4j.spec.Linear;
import io.github.inception4j.spec.LocalResponseNorm;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.spec.Pool;
import io.github.inception4j.spec.Sequential;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference-only rewrites that keep outputs (to float rounding) and cost less. Each returns a new network built
 * from a rewritten spec, so names, shapes and the forward path stay spec-driven.
 */
public final class InferenceOptimizer {

    private InferenceOptimizer() {
    }

    /**
     * Folds every BatchNorm into the convolution before it: with s = γ / √(var + ε), the conv weight becomes
     * W·s (per output channel) and its bias (b − mean)·s + β. The folded network has no BN and no auxiliary
     * heads, and is for eval mode only: it no longer has batch statistics to train with.
     */
    public static InceptionNetwork foldBatchNorm(InceptionNetwork network, NDManager manager) {
        NetworkSpec spec = network.spec();
        Map<String, Double> epsilons = new HashMap<>();
        collectEpsilons(spec.layers(), "", epsilons);
        NetworkSpec folded = new NetworkSpec(spec.name() + " (BN folded)", spec.input(),
                spec.layers().stream().map(l -> l.accept(new FoldBatchNorm())).toList(), List.of(),
                spec.torchvisionPrefixes());
        InceptionNetwork result = new InceptionNetwork(folded);
        result.initialize(manager, DataType.FLOAT32,
                new Shape(1, spec.input().channels(), spec.input().height(), spec.input().width()));
        for (ParameterSpec p : folded.parameters()) {
            NDArray target = result.parameter(p.name()).getArray();
            String unit = unitOf(p.name());
            boolean hadBatchNorm = unit != null && epsilons.containsKey(unit);
            NDArray value;
            if (!hadBatchNorm) {
                value = network.parameter(p.name()).getArray();
            } else {
                NDArray gamma = network.parameter(unit + ".bn.weight").getArray();
                NDArray beta = network.parameter(unit + ".bn.bias").getArray();
                NDArray mean = network.parameter(unit + ".bn.running_mean").getArray();
                NDArray var = network.parameter(unit + ".bn.running_var").getArray();
                double eps = epsilons.get(unit);
                NDArray scale = gamma.div(var.add(eps).sqrt());
                if (p.name().endsWith(".conv.weight")) {
                    value = network.parameter(p.name()).getArray().mul(scale.reshape(-1, 1, 1, 1));
                } else { // .conv.bias: the original conv had none (BN layouts are bias-free) or had one
                    NDArray bias = network.spec().parameters().stream().anyMatch(q -> q.name().equals(p.name()))
                            ? network.parameter(p.name()).getArray() : mean.zerosLike();
                    value = bias.sub(mean).mul(scale).add(beta);
                }
            }
            target.set(new NDIndex("..."), value);
        }
        return result;
    }

    /** BN ε of every conv unit that has BN, by the unit's full name. */
    private static void collectEpsilons(List<LayerSpec> layers, String path, Map<String, Double> out) {
        for (LayerSpec layer : layers) {
            LayerSpec structure = layer instanceof io.github.inception4j.spec.ModuleSpec m ? m.structure() : layer;
            String name = LayerSpec.join(path, structure.name());
            if (structure instanceof Conv c && c.style().batchNorm()) {
                out.put(name, c.style().bnEpsilon());
            } else if (structure instanceof Sequential s) {
                collectEpsilons(s.layers(), name, out);
            } else if (structure instanceof Concat c) {
                collectEpsilons(c.branches(), name, out);
            }
        }
    }

    /** "x.conv.weight" / "x.conv.bias" → "x"; null for parameters of other layers. */
    private static String unitOf(String parameter) {
        for (String suffix : List.of(".conv.weight", ".conv.bias")) {
            if (parameter.endsWith(suffix)) {
                return parameter.substring(0, parameter.length() - suffix.length());
            }
        }
        return null;
    }

    /** Rebuilds a layer with every conv's BN folded into a conv bias. */
    private static final class FoldBatchNorm implements LayerSpec.Visitor<LayerSpec> {
        @Override
        public LayerSpec conv(Conv c) {
            ConvStyle s = c.style();
            if (!s.batchNorm()) {
                return c;
            }
            ConvStyle folded = new ConvStyle(true, false, 0, 0, false, s.weightInit(), Init.constant(0));
            return new Conv(c.name(), c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padH(),
                    c.padW(), folded);
        }

        @Override
        public LayerSpec pool(Pool pool) {
            return pool;
        }

        @Override
        public LayerSpec adaptiveAvgPool(AdaptiveAvgPool pool) {
            return pool;
        }

        @Override
        public LayerSpec localResponseNorm(LocalResponseNorm norm) {
            return norm;
        }

        @Override
        public LayerSpec dropout(Dropout dropout) {
            return dropout;
        }

        @Override
        public LayerSpec linear(Linear linear) {
            return linear;
        }

        @Override
        public LayerSpec inputTransform(InputTransform transform) {
            return transform;
        }

        @Override
        public LayerSpec sequential(Sequential s) {
            return new Sequential(s.name(), s.layers().stream().map(l -> l.accept(this)).toList());
        }

        @Override
        public LayerSpec concat(Concat c) {
            return new Concat(c.name(), c.branches().stream().map(b -> b.accept(this)).toList());
        }
    }
}
