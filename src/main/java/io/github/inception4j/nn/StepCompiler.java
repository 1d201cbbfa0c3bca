package io.github.inception4j.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import io.github.inception4j.spec.AdaptiveAvgPool;
import io.github.inception4j.spec.Concat;
import io.github.inception4j.spec.Conv;
import io.github.inception4j.spec.FusedConcat;
import io.github.inception4j.spec.InputTransform;
import io.github.inception4j.spec.LayerSpec;
import io.github.inception4j.spec.LocalResponseNorm;
import io.github.inception4j.spec.Sequential;
import io.github.inception4j.spec.Shape3;
import java.util.List;
import java.util.function.Function;

/**
 * Compiles spec layers into steps (a visitor over the structural kinds): each step reads its parameters from the
 * store by the spec's names, so the network runs functional ops with no DJL child blocks. {@code path} is the name
 * prefix of the layer being compiled.
 */
final class StepCompiler implements LayerSpec.Visitor<StepCompiler.Step> {

    /** One compiled layer: input → output, reading its parameters from the store. */
    @FunctionalInterface
    interface Step {
        NDArray apply(Context context, NDArray x);
    }

    /** A step with the name of the layer or head it computes. */
    record NamedStep(String name, Step step) {
    }

    /** What a forward pass reads parameters with. */
    record Context(ParameterStore store, Device device, boolean training) {
        NDArray value(Parameter parameter) {
            return store.getValue(parameter, device, training);
        }
    }

    private final Function<String, Parameter> parameters;
    private final String path;

    /** @param parameters the network's parameters by spec name */
    StepCompiler(Function<String, Parameter> parameters) {
        this(parameters, "");
    }

    private StepCompiler(Function<String, Parameter> parameters, String path) {
        this.parameters = parameters;
        this.path = path;
    }

    StepCompiler at(String newPath) {
        return new StepCompiler(parameters, newPath);
    }

    private Parameter parameter(String name) {
        return parameters.apply(name);
    }

    private String name(String layer) {
        return LayerSpec.join(path, layer);
    }

    @Override
    public Step conv(Conv conv) {
        Conv.Names n = new Conv.Names(name(conv.name()));
        Parameter weight = parameter(n.weight());
        Parameter bias = conv.style().bias() ? parameter(n.bias()) : null;
        Conv.Window w = conv.window();
        Shape stride = new Shape(w.strideH(), w.strideW());
        Shape pad = new Shape(w.padH(), w.padW());
        if (!conv.style().batchNorm()) {
            return (c, x) -> Activation.relu(Ops.conv2d(x, c.value(weight), bias == null ? null : c.value(bias),
                    stride, pad));
        }
        Parameter gamma = parameter(n.gamma());
        Parameter beta = parameter(n.beta());
        Parameter mean = parameter(n.runningMean());
        Parameter var = parameter(n.runningVar());
        float eps = (float) conv.style().bnEpsilon();
        // DJL's momentum is the weight of the old running value: 1 − PyTorch's momentum (djl.md §1.2).
        float djlMomentum = (float) (1 - conv.style().bnMomentum());
        return (c, x) -> {
            NDArray y = Ops.conv2d(x, c.value(weight), bias == null ? null : c.value(bias), stride, pad);
            y = BatchNorm.batchNorm(y, c.value(mean), c.value(var), c.value(gamma), c.value(beta), 1,
                    djlMomentum, eps, c.training()).head();
            return Activation.relu(y);
        };
    }

    @Override
    public Step pool(io.github.inception4j.spec.Pool pool) {
        Shape kernel = new Shape(pool.kernel(), pool.kernel());
        Shape stride = new Shape(pool.stride(), pool.stride());
        Shape pad = new Shape(pool.padding(), pool.padding());
        boolean ceil = pool.ceilMode();
        if (pool.kind() == io.github.inception4j.spec.Pool.Kind.MAX) {
            // Inference takes the separable form (much faster here); training keeps max_pool2d, whose
            // backward is one scatter where the separable form's is several elementwise passes.
            return (c, x) -> {
                if (c.training()) {
                    return Pool.maxPool2d(x, kernel, stride, pad, ceil);
                }
                Shape s = x.getShape();
                Shape3 out = pool.outputShape(new Shape3((int) s.get(1), (int) s.get(2), (int) s.get(3)));
                return Ops.maxPool2d(x, pool.kernel(), pool.stride(), pool.padding(), out.height(), out.width());
            };
        }
        if (!pool.countIncludePad() && pool.padding() > 0) {
            return (c, x) -> Ops.avgPoolExcludingPad(x, kernel, stride, pad, ceil);
        }
        return (c, x) -> Pool.avgPool2d(x, kernel, stride, pad, ceil, true);
    }

    @Override
    public Step adaptiveAvgPool(AdaptiveAvgPool pool) {
        return (c, x) -> Ops.adaptiveAvgPool(x, pool.outputHeight(), pool.outputWidth());
    }

    @Override
    public Step localResponseNorm(LocalResponseNorm norm) {
        return (c, x) -> Ops.localResponseNorm(x, norm.size(), (float) norm.alpha(), (float) norm.beta(),
                (float) norm.k());
    }

    @Override
    public Step dropout(io.github.inception4j.spec.Dropout dropout) {
        float rate = (float) dropout.rate();
        if (rate == 0) {
            return (c, x) -> x;
        }
        return (c, x) -> Dropout.dropout(x, rate, c.training()).head();
    }

    @Override
    public Step linear(io.github.inception4j.spec.Linear linear) {
        String p = name(linear.name());
        Parameter weight = parameter(p + ".weight");
        Parameter bias = parameter(p + ".bias");
        boolean relu = linear.relu();
        return (c, x) -> {
            // (N, C, H, W) → (N, C·H·W) in torch's flatten order, then (N, units).
            NDArray y = Linear.linear(x.reshape(x.getShape().get(0), -1), c.value(weight), c.value(bias)).head();
            return relu ? Activation.relu(y) : y;
        };
    }

    @Override
    public Step inputTransform(InputTransform transform) {
        float[] scale = transform.scaleFloats();
        float[] shift = transform.shiftFloats();
        Shape perChannel = new Shape(1, scale.length, 1, 1);
        return (c, x) -> x.mul(x.getManager().create(scale, perChannel))
                .add(x.getManager().create(shift, perChannel));
    }

    @Override
    public Step sequential(Sequential sequential) {
        return at(name(sequential.name())).sequence(sequential.layers());
    }

    /** The layers one after the other (none: the identity). */
    private Step sequence(List<LayerSpec> layers) {
        List<Step> steps = layers.stream().map(l -> l.accept(this)).toList();
        return (c, x) -> {
            NDArray y = x;
            for (Step step : steps) {
                y = step.apply(c, y);
            }
            return y;
        };
    }

    @Override
    public Step concat(Concat concat) {
        StepCompiler inner = at(name(concat.name()));
        List<Step> branches = concat.branches().stream().map(b -> b.accept(inner)).toList();
        return (c, x) -> {
            NDList outputs = new NDList(branches.size());
            for (Step branch : branches) {
                outputs.add(branch.apply(c, x));
            }
            return NDArrays.concat(outputs, 1);
        };
    }

    @Override
    public Step fusedConcat(FusedConcat concat) {
        StepCompiler inner = at(name(concat.name()));
        Step stem = concat.stem().accept(inner);
        List<FusedConcat.Branch> branches = concat.branches();
        List<Step> tails = branches.stream().map(b -> inner.sequence(b.tail())).toList();
        // Where the stem's (N, ΣC, H, W) output is cut into the branches' (N, C_i, H, W) slices.
        long[] cuts = new long[(int) branches.stream().filter(b -> b.stemChannels() > 0).count() - 1];
        long offset = 0;
        int cut = 0;
        for (FusedConcat.Branch b : branches) {
            offset += b.stemChannels();
            if (b.stemChannels() > 0 && cut < cuts.length) {
                cuts[cut++] = offset;
            }
        }
        return (c, x) -> {
            NDList slices = stem.apply(c, x).split(cuts, 1);
            NDList outputs = new NDList(branches.size());
            int next = 0;
            for (int i = 0; i < branches.size(); i++) {
                NDArray input = branches.get(i).stemChannels() > 0 ? slices.get(next++) : x;
                outputs.add(tails.get(i).apply(c, input));
            }
            return NDArrays.concat(outputs, 1);
        };
    }
}
