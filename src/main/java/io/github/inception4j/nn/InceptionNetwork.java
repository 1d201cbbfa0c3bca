package io.github.inception4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.github.inception4j.spec.AuxHead;
import io.github.inception4j.spec.Init;
import io.github.inception4j.spec.LayerSpec;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
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
    private final List<StepCompiler.Step> trunk = new ArrayList<>();
    private final List<String> trunkNames = new ArrayList<>();
    private final Map<String, List<StepCompiler.NamedStep>> headsByAttachment = new LinkedHashMap<>();

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
        StepCompiler compiler = new StepCompiler(this::parameter);
        for (LayerSpec layer : spec.layers()) {
            trunk.add(layer.accept(compiler.at("")));
            trunkNames.add(layer.name());
        }
        for (AuxHead head : spec.auxHeads()) {
            headsByAttachment.computeIfAbsent(head.attachedTo(), k -> new ArrayList<>())
                    .add(new StepCompiler.NamedStep(head.name(), head.accept(compiler.at(""))));
        }
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** A parameter by its spec name, e.g. {@code inception4a.pool_proj.bn.running_var}. */
    /** A parameter's or buffer's current values as float32, flat in row-major order (for export). */
    public float[] floats(String name) {
        return parameter(name).getArray().toType(DataType.FLOAT32, false).toFloatArray();
    }

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
        StepCompiler.Context context = new StepCompiler.Context(store, x.getDevice(), training);
        boolean withAux = training && !headsByAttachment.isEmpty();
        NDList outputs = new NDList();
        NDList aux = new NDList();
        for (int i = 0; i < trunk.size(); i++) {
            x = trunk.get(i).apply(context, x);
            if (withAux) {
                for (StepCompiler.NamedStep head : headsByAttachment.getOrDefault(trunkNames.get(i), List.of())) {
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
        StepCompiler.Context context = new StepCompiler.Context(store, x.getDevice(), training);
        Map<String, NDArray> endpoints = new LinkedHashMap<>();
        for (int i = 0; i < trunk.size(); i++) {
            long start = System.nanoTime();
            x = trunk.get(i).apply(context, x);
            elapsedNanos.accept(trunkNames.get(i), System.nanoTime() - start);
            endpoints.put(trunkNames.get(i), x);
        }
        for (Map.Entry<String, List<StepCompiler.NamedStep>> entry : headsByAttachment.entrySet()) {
            for (StepCompiler.NamedStep head : entry.getValue()) {
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
}
