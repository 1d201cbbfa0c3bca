package io.github.inception4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.github.inception4j.spec.AdaptiveAvgPool;
import io.github.inception4j.spec.Concat;
import io.github.inception4j.spec.Conv;
import io.github.inception4j.spec.ConvStyle;
import io.github.inception4j.spec.Dropout;
import io.github.inception4j.spec.FusedConcat;
import io.github.inception4j.spec.Init;
import io.github.inception4j.spec.InputTransform;
import io.github.inception4j.spec.LayerSpec;
import io.github.inception4j.spec.Linear;
import io.github.inception4j.spec.LocalResponseNorm;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.spec.Pool;
import io.github.inception4j.spec.Sequential;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Inference-only rewrites that keep outputs (to float rounding) and cost less. Each returns a new network built
 * from a rewritten spec, so names, shapes and the forward path stay spec-driven.
 */
public final class InferenceOptimizer {

    private InferenceOptimizer() {
    }

    /** Which rewrites to apply (for eval mode only); {@link #apply} folds first, so fusion copies fewer arrays. */
    public record Rewrites(boolean foldBatchNorm, boolean fusePointwise) {
        public static final Rewrites NONE = new Rewrites(false, false);

        public boolean any() {
            return foldBatchNorm || fusePointwise;
        }

        /** The network itself when there is nothing to do, else a new, rewritten one. */
        public InceptionNetwork apply(InceptionNetwork network, NDManager manager) {
            InceptionNetwork result = foldBatchNorm ? InferenceOptimizer.foldBatchNorm(network, manager) : network;
            return fusePointwise ? InferenceOptimizer.fusePointwise(result, manager) : result;
        }

        /** "BN folded, 1×1 fused", or "" for none. */
        @Override
        public String toString() {
            List<String> applied = new ArrayList<>();
            if (foldBatchNorm) {
                applied.add("BN folded");
            }
            if (fusePointwise) {
                applied.add("1×1 fused");
            }
            return String.join(", ", applied);
        }
    }

    /**
     * Folds every BatchNorm into the convolution before it: with s = γ / √(var + ε), the conv weight becomes
     * W·s (per output channel) and its bias (b − mean)·s + β. The folded network has no BN and no auxiliary
     * heads, and is for eval mode only: it no longer has batch statistics to train with.
     */
    public static InceptionNetwork foldBatchNorm(InceptionNetwork network, NDManager manager) {
        return GradMode.off(() -> foldBatchNormWithoutGrad(network, manager));
    }

    private static InceptionNetwork foldBatchNormWithoutGrad(InceptionNetwork network, NDManager manager) {
        NetworkSpec spec = network.spec();
        Map<String, Double> epsilons = new HashMap<>();
        collectEpsilons(spec.layers(), "", epsilons);
        NetworkSpec folded = new NetworkSpec(spec.name() + " (BN folded)", spec.input(),
                spec.layers().stream().map(l -> l.accept(new FoldBatchNorm())).toList(), List.of());
        InceptionNetwork result = InceptionNetwork.initialized(folded, manager);
        Set<String> original = spec.parameters().stream().map(ParameterSpec::name).collect(Collectors.toSet());
        for (ParameterSpec p : folded.parameters()) {
            NDArray target = result.parameter(p.name()).getArray();
            String unit = Conv.Names.unitOf(p.name());
            boolean hadBatchNorm = unit != null && epsilons.containsKey(unit);
            NDArray value;
            if (!hadBatchNorm) {
                value = network.parameter(p.name()).getArray();
            } else {
                Conv.Names n = new Conv.Names(unit);
                NDArray gamma = network.parameter(n.gamma()).getArray();
                NDArray beta = network.parameter(n.beta()).getArray();
                NDArray mean = network.parameter(n.runningMean()).getArray();
                NDArray var = network.parameter(n.runningVar()).getArray();
                double eps = epsilons.get(unit);
                NDArray scale = gamma.div(var.add(eps).sqrt());
                if (p.name().equals(n.weight())) {
                    value = network.parameter(p.name()).getArray().mul(scale.reshape(-1, 1, 1, 1));
                } else { // .conv.bias: the original conv had none (BN layouts are bias-free) or had one
                    NDArray bias = original.contains(p.name()) ? network.parameter(p.name()).getArray()
                            : mean.zerosLike();
                    value = bias.sub(mean).mul(scale).add(beta);
                }
            }
            target.set(new NDIndex("..."), value);
        }
        return result;
    }

    /**
     * Fuses, in every module, the parallel 1×1 convolutions that read the module's input into one convolution
     * (a {@link FusedConcat}): one larger matrix product and one reorder of the input into oneDNN's blocked
     * layout instead of two or three. The fused unit's weights, biases and BN arrays are the originals'
     * concatenated along the output channels, in branch order, so BN (folded or not) stays per channel. Like
     * {@link #foldBatchNorm}, the result has no auxiliary heads and is for eval mode only; the two compose in
     * either order.
     */
    public static InceptionNetwork fusePointwise(InceptionNetwork network, NDManager manager) {
        return GradMode.off(() -> fusePointwiseWithoutGrad(network, manager));
    }

    private static InceptionNetwork fusePointwiseWithoutGrad(InceptionNetwork network, NDManager manager) {
        NetworkSpec spec = network.spec();
        Map<String, List<String>> fusedUnits = new LinkedHashMap<>();
        FusePointwise rewrite = new FusePointwise("", fusedUnits);
        NetworkSpec fused = new NetworkSpec(spec.name() + " (1×1 fused)", spec.input(),
                spec.layers().stream().map(l -> l.accept(rewrite)).toList(), List.of());
        InceptionNetwork result = InceptionNetwork.initialized(fused, manager);
        for (ParameterSpec p : fused.parameters()) {
            NDArray target = result.parameter(p.name()).getArray();
            List<String> sources = sourcesOf(p.name(), fusedUnits);
            if (sources.size() == 1) {
                target.set(new NDIndex("..."), network.parameter(sources.get(0)).getArray());
                continue;
            }
            NDList parts = new NDList();
            sources.forEach(name -> parts.add(network.parameter(name).getArray()));
            try (NDArray value = NDArrays.concat(parts, 0)) {
                target.set(new NDIndex("..."), value);
            }
        }
        return result;
    }

    /** A fused unit's parameter comes from the same array of each unit it replaces; any other from itself. */
    private static List<String> sourcesOf(String parameter, Map<String, List<String>> fusedUnits) {
        for (Map.Entry<String, List<String>> fused : fusedUnits.entrySet()) {
            if (parameter.startsWith(fused.getKey() + ".")) {
                String suffix = parameter.substring(fused.getKey().length());
                return fused.getValue().stream().map(unit -> unit + suffix).toList();
            }
        }
        return List.of(parameter);
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
            } else if (structure instanceof FusedConcat f) {
                collectEpsilons(List.of(f.stem()), name, out);
                f.branches().forEach(b -> collectEpsilons(b.tail(), name, out));
            }
        }
    }

    /** Rebuilds a layer with every conv's BN folded into a conv bias. */
    private static final class FoldBatchNorm extends Rewrite {
        @Override
        public LayerSpec conv(Conv c) {
            ConvStyle s = c.style();
            if (!s.batchNorm()) {
                return c;
            }
            ConvStyle folded = new ConvStyle(true, false, 0, 0, false, s.weightInit(), Init.constant(0));
            return c.withStyle(folded);
        }
    }

    /**
     * Rebuilds every concat whose branches start with two or more 1×1/1 convolutions of one style as a
     * {@link FusedConcat}, recording which units each fused stem replaces (full names, in channel order).
     */
    private static final class FusePointwise extends Rewrite {
        private final String path;
        private final Map<String, List<String>> fusedUnits;

        FusePointwise(String path, Map<String, List<String>> fusedUnits) {
            this.path = path;
            this.fusedUnits = fusedUnits;
        }

        @Override
        public LayerSpec sequential(Sequential s) {
            FusePointwise inner = new FusePointwise(LayerSpec.join(path, s.name()), fusedUnits);
            return new Sequential(s.name(), s.layers().stream().map(l -> l.accept(inner)).toList());
        }

        @Override
        public LayerSpec concat(Concat c) {
            String p = LayerSpec.join(path, c.name());
            FusePointwise inner = new FusePointwise(p, fusedUnits);
            List<LayerSpec> branches = c.branches().stream().map(b -> b.accept(inner)).toList();
            List<Conv> leading = new ArrayList<>();
            for (LayerSpec branch : branches) {
                Conv first = leadingPointwise(branch);
                if (first != null && (leading.isEmpty() || first.style().equals(leading.get(0).style()))) {
                    leading.add(first);
                }
            }
            if (leading.size() < 2) {
                return new Concat(c.name(), branches);
            }
            List<FusedConcat.Branch> fused = new ArrayList<>();
            for (LayerSpec branch : branches) {
                Conv first = leadingPointwise(branch);
                if (first != null && leading.contains(first)) {
                    List<LayerSpec> layers = branch instanceof Sequential s ? s.layers() : List.of(branch);
                    fused.add(new FusedConcat.Branch(first.filters(), layers.subList(1, layers.size())));
                } else {
                    fused.add(new FusedConcat.Branch(0, List.of(branch)));
                }
            }
            Conv stem = Conv.square(leading.stream().map(Conv::name).collect(Collectors.joining("+")),
                    leading.stream().mapToInt(Conv::filters).sum(), 1, 1, 0, leading.get(0).style());
            fusedUnits.put(LayerSpec.join(p, stem.name()),
                    leading.stream().map(conv -> LayerSpec.join(p, conv.name())).toList());
            return new FusedConcat(c.name(), stem, fused);
        }

        /** The branch's first layer if it is a 1×1/1 unpadded conv named directly under the concat, else null. */
        private static Conv leadingPointwise(LayerSpec branch) {
            LayerSpec first = branch instanceof Sequential s && s.name().isEmpty() ? s.layers().get(0) : branch;
            return first instanceof Conv conv && conv.window().pointwise() ? conv : null;
        }
    }

    /** The identity rewrite, recursing into containers; subclasses replace the layers they change. */
    private abstract static class Rewrite implements LayerSpec.Visitor<LayerSpec> {
        @Override
        public LayerSpec conv(Conv c) {
            return c;
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

        @Override
        public LayerSpec fusedConcat(FusedConcat c) {
            return new FusedConcat(c.name(), (Conv) c.stem().accept(this), c.branches().stream()
                    .map(b -> new FusedConcat.Branch(b.stemChannels(), b.tail().stream().map(l -> l.accept(this))
                            .toList()))
                    .toList());
        }
    }
}
