package io.github.inception4j.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.github.inception4j.spec.AdaptiveAvgPool;
import io.github.inception4j.spec.AuxHead;
import io.github.inception4j.spec.Concat;
import io.github.inception4j.spec.Conv;
import io.github.inception4j.spec.FusedConcat;
import io.github.inception4j.spec.Init;
import io.github.inception4j.spec.InputTransform;
import io.github.inception4j.spec.LayerSpec;
import io.github.inception4j.spec.LocalResponseNorm;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.spec.Sequential;
import io.github.inception4j.spec.Shape3;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A DJL {@link ai.djl.nn.Block} that runs a {@link NetworkSpec}. The spec is compiled once into a tree of small
 * steps; every parameter is a direct parameter of this block, named exactly as the spec names it
 * ({@code inception3a.3x3_reduce.conv.weight}), so {@link #getParameters()} reads like a torchvision
 * state_dict and nothing is named by position.
 *
 * <p>Forward takes one (N, C, H, W) float32 array (float64 when initialised in float64, for exact checks) and returns {@link InceptionOutputs}: the main logits, plus
 * the auxiliary logits by name when the block runs in training mode and the spec has auxiliary heads.
 */
public final class InceptionNetwork extends AbstractBlock {

    private static final byte VERSION = 1;

    private final NetworkSpec spec;
    private final boolean sizeAgnostic;
    private final Map<String, Parameter> parametersByName = new LinkedHashMap<>();
    private final List<Step> trunk = new ArrayList<>();
    private final List<String> trunkNames = new ArrayList<>();
    private final Map<String, List<NamedStep>> headsByAttachment = new LinkedHashMap<>();

    /** One compiled layer: input → output, reading its parameters from the store. */
    @FunctionalInterface
    private interface Step {
        NDArray apply(Context context, NDArray x);
    }

    private record NamedStep(String name, Step step) {
    }

    private record Context(ParameterStore store, Device device, boolean training) {
        NDArray value(Parameter parameter) {
            return store.getValue(parameter, device, training);
        }
    }

    /**
     * A network for {@code spec} with every parameter initialised (the spec's initialisers, drawn from the
     * engine's current seed) into {@code manager}.
     */
    public static InceptionNetwork initialized(NetworkSpec spec, NDManager manager) {
        InceptionNetwork network = new InceptionNetwork(spec);
        network.initialize(manager, DataType.FLOAT32,
                new Shape(1, spec.input().channels(), spec.input().height(), spec.input().width()));
        return network;
    }

    public InceptionNetwork(NetworkSpec spec) {
        super(VERSION);
        this.spec = spec;
        this.sizeAgnostic = spec.sizeAgnostic();
        for (ParameterSpec p : spec.parameters()) {
            Parameter parameter = addParameter(Parameter.builder()
                    .setName(p.name())
                    .setType(djlType(p.kind()))
                    .optShape(new Shape(p.shape()))
                    .optInitializer(initializer(p.init()))
                    .optRequiresGrad(p.trainable())
                    .build());
            parametersByName.put(p.name(), parameter);
        }
        Compiler compiler = new Compiler();
        for (LayerSpec layer : spec.layers()) {
            trunk.add(layer.accept(compiler.at("")));
            trunkNames.add(layer.name());
        }
        for (AuxHead head : spec.auxHeads()) {
            headsByAttachment.computeIfAbsent(head.attachedTo(), k -> new ArrayList<>())
                    .add(new NamedStep(head.name(), head.accept(compiler.at(""))));
        }
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** A parameter by its spec name, e.g. {@code inception4a.pool_proj.bn.running_var}. */
    public Parameter parameter(String name) {
        Parameter p = parametersByName.get(name);
        if (p == null) {
            throw new IllegalArgumentException(spec.name() + " has no parameter '" + name + "'");
        }
        return p;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = checkedInput(inputs);
        Context context = new Context(store, x.getDevice(), training);
        boolean withAux = training && !headsByAttachment.isEmpty();
        NDList outputs = new NDList();
        NDList aux = new NDList();
        for (int i = 0; i < trunk.size(); i++) {
            x = trunk.get(i).apply(context, x);
            if (withAux) {
                for (NamedStep head : headsByAttachment.getOrDefault(trunkNames.get(i), List.of())) {
                    NDArray logits = head.step().apply(context, x);
                    logits.setName(head.name());
                    aux.add(logits);
                }
            }
        }
        x.setName(InceptionOutputs.LOGITS);
        outputs.add(x);
        outputs.addAll(aux);
        return outputs;
    }

    /**
     * The output of every endpoint (each top-level layer, then each auxiliary head), by name, for one forward
     * pass: feature extraction, debugging, and checking the spec's shapes against the engine.
     */
    public Map<String, NDArray> forwardEndpoints(ParameterStore store, NDArray input, boolean training) {
        return forwardEndpoints(store, input, training, (name, nanos) -> { });
    }

    /**
     * Like {@link #forwardEndpoints(ParameterStore, NDArray, boolean)}, reporting each top-level layer's wall
     * time. The engine runs each operation to completion before returning, so these are the layers' own times.
     */
    public Map<String, NDArray> forwardEndpoints(ParameterStore store, NDArray input, boolean training,
                                                 BiConsumer<String, Long> elapsedNanos) {
        NDArray x = checkedInput(new NDList(input));
        Context context = new Context(store, x.getDevice(), training);
        Map<String, NDArray> endpoints = new LinkedHashMap<>();
        for (int i = 0; i < trunk.size(); i++) {
            long start = System.nanoTime();
            x = trunk.get(i).apply(context, x);
            elapsedNanos.accept(trunkNames.get(i), System.nanoTime() - start);
            endpoints.put(trunkNames.get(i), x);
        }
        for (Map.Entry<String, List<NamedStep>> entry : headsByAttachment.entrySet()) {
            for (NamedStep head : entry.getValue()) {
                endpoints.put(head.name(), head.step().apply(context, endpoints.get(entry.getKey())));
            }
        }
        return endpoints;
    }

    private NDArray checkedInput(NDList inputs) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(spec.name() + " takes one (N, C, H, W) input, got " + inputs.size());
        }
        NDArray x = inputs.head();
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != spec.input().channels()) {
            throw new IllegalArgumentException(spec.name() + " expects (N, " + spec.input().channels()
                    + ", H, W) input, got " + s);
        }
        if (x.getDataType() != DataType.FLOAT32 && x.getDataType() != DataType.FLOAT64) {
            throw new IllegalArgumentException(spec.name() + " expects float32 (or float64) input, got "
                    + x.getDataType());
        }
        requireAdmissible((int) s.get(2), (int) s.get(3));
        return x;
    }

    /** Throws a clear error for an input size this network cannot take (with the parameters it was built for). */
    private void requireAdmissible(int height, int width) {
        Shape3 input = new Shape3(spec.input().channels(), height, width);
        if (input.equals(spec.input())) {
            return;
        }
        if (!sizeAgnostic) {
            throw new IllegalArgumentException(spec.name() + " was built for " + spec.input() + " input and its "
                    + "parameter shapes depend on the input size; build it with inputSize " + height
                    + " to run it on " + input);
        }
        if (height != width) {
            throw new IllegalArgumentException(spec.name() + " takes square inputs, got " + input);
        }
        spec.withInputSize(height); // throws a ShapeException naming the smallest admissible size
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        requireAdmissible((int) in.get(2), (int) in.get(3));
        return new Shape[] {new Shape(in.get(0), spec.numClasses())};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 4 || in.get(1) != spec.input().channels()) {
            throw new IllegalArgumentException(spec.name() + " expects (N, " + spec.input().channels()
                    + ", H, W) input, got " + in);
        }
        requireAdmissible((int) in.get(2), (int) in.get(3));
    }

    private static Parameter.Type djlType(ParameterSpec.Kind kind) {
        return switch (kind) {
            case WEIGHT -> Parameter.Type.WEIGHT;
            case BIAS -> Parameter.Type.BIAS;
            case BN_GAMMA -> Parameter.Type.GAMMA;
            case BN_BETA -> Parameter.Type.BETA;
            case BN_RUNNING_MEAN -> Parameter.Type.RUNNING_MEAN;
            case BN_RUNNING_VAR -> Parameter.Type.RUNNING_VAR;
        };
    }

    private static Initializer initializer(Init init) {
        return switch (init.kind()) {
            case NORMAL -> new NormalInitializer((float) init.value());
            case XAVIER_FAN_IN -> new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                    XavierInitializer.FactorType.IN, (float) init.value());
            case CONSTANT -> new ConstantInitializer((float) init.value());
        };
    }

    /** Turns spec layers into steps; {@code path} is the name prefix of the layer being compiled. */
    private final class Compiler implements LayerSpec.Visitor<Step> {

        private final String path;

        Compiler() {
            this("");
        }

        private Compiler(String path) {
            this.path = path;
        }

        Compiler at(String newPath) {
            return new Compiler(newPath);
        }

        private String name(String layer) {
            return LayerSpec.join(path, layer);
        }

        @Override
        public Step conv(Conv conv) {
            Conv.Names n = new Conv.Names(name(conv.name()));
            Parameter weight = parameter(n.weight());
            Parameter bias = conv.style().bias() ? parameter(n.bias()) : null;
            Shape stride = new Shape(conv.strideH(), conv.strideW());
            Shape pad = new Shape(conv.padH(), conv.padW());
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
            float[] scale = toFloats(transform.scale());
            float[] shift = toFloats(transform.shift());
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
            Compiler inner = at(name(concat.name()));
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
            Compiler inner = at(name(concat.name()));
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

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
