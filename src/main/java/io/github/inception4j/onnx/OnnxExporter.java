package io.github.inception4j.onnx;

import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.spec.AdaptiveAvgPool;
import io.github.inception4j.spec.Concat;
import io.github.inception4j.spec.Conv;
import io.github.inception4j.spec.Dropout;
import io.github.inception4j.spec.FusedConcat;
import io.github.inception4j.spec.InputTransform;
import io.github.inception4j.spec.LayerSpec;
import io.github.inception4j.spec.Linear;
import io.github.inception4j.spec.LocalResponseNorm;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.spec.Pool;
import io.github.inception4j.spec.Sequential;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a network's eval graph (main logits; dropout is the identity, auxiliary heads are left out) as an ONNX
 * model, opset 13, generated from the same spec that builds the DJL block. Weights are the network's current
 * values, stored as initializers under their spec names. The input is {@code input} (N, 3, H, W) float32 and
 * the output {@code logits} (N, classes); N is symbolic unless a fixed batch is asked for.
 */
public final class OnnxExporter {

    public static final int OPSET = 13;
    private static final int IR_VERSION = 7;
    private static final int FLOAT = 1;

    // ONNX field numbers (onnx.proto).
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_FLOAT = 1;
    private static final int ATTR_TYPE_INT = 2;
    private static final int ATTR_TYPE_INTS = 7;

    private final List<ProtoMessage> nodes = new ArrayList<>();
    private final List<ProtoMessage> initializers = new ArrayList<>();
    private final InceptionNetwork network;
    private int counter;

    private OnnxExporter(InceptionNetwork network) {
        this.network = network;
    }

    /**
     * The ONNX model bytes.
     *
     * @param batch a fixed batch size, or 0 for a symbolic one
     */
    public static byte[] export(InceptionNetwork network, int batch) {
        OnnxExporter exporter = new OnnxExporter(network);
        NetworkSpec spec = network.spec();
        for (ParameterSpec p : spec.parameters()) {
            if (!p.name().startsWith(auxPrefix(spec, p.name()))) {
                exporter.initializer(p);
            }
        }
        String x = "input";
        for (LayerSpec layer : spec.layers()) {
            x = layer.accept(exporter.new Emitter("", x));
        }
        exporter.node("Identity", List.of(x), "logits", List.of());

        ProtoMessage graph = new ProtoMessage();
        exporter.nodes.forEach(n -> graph.message(1, n));
        graph.string(2, spec.name());
        exporter.initializers.forEach(t -> graph.message(5, t));
        graph.message(11, valueInfo("input", batch, spec.input().channels(), spec.input().height(),
                spec.input().width()));
        graph.message(12, valueInfo("logits", batch, spec.numClasses()));
        return new ProtoMessage()
                .int64(1, IR_VERSION)
                .string(2, "inception4j")
                .string(3, "0.1")
                .message(7, graph)
                .message(8, new ProtoMessage().string(1, "").int64(2, OPSET))
                .toByteArray();
    }

    /** The auxiliary head a parameter belongs to, or a prefix nothing starts with. */
    private static String auxPrefix(NetworkSpec spec, String parameter) {
        return spec.auxHeads().stream().map(h -> h.name() + ".").filter(parameter::startsWith).findFirst()
                .orElse("\u0000");
    }

    private void initializer(ParameterSpec p) {
        float[] values = network.floats(p.name());
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        initializers.add(tensor(p.name(), p.shape(), FLOAT, raw.array()));
    }

    private static ProtoMessage tensor(String name, long[] dims, int type, byte[] raw) {
        ProtoMessage t = new ProtoMessage();
        for (long d : dims) {
            t.int64(1, d);
        }
        return t.int64(2, type).string(8, name).bytes(9, raw);
    }

    private String constant(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        initializers.add(tensor(name, dims, FLOAT, raw.array()));
        return name;
    }

    private static ProtoMessage valueInfo(String name, int batch, long... dims) {
        ProtoMessage shape = new ProtoMessage();
        shape.message(1, batch > 0 ? new ProtoMessage().int64(1, batch) : new ProtoMessage().string(2, "N"));
        for (long d : dims) {
            shape.message(1, new ProtoMessage().int64(1, d));
        }
        ProtoMessage tensorType = new ProtoMessage().int64(1, FLOAT).message(2, shape);
        return new ProtoMessage().string(1, name).message(2, new ProtoMessage().message(1, tensorType));
    }

    private String node(String op, List<String> inputs, String output, List<ProtoMessage> attributes) {
        ProtoMessage n = new ProtoMessage();
        inputs.forEach(i -> n.string(1, i));
        n.string(2, output).string(3, output + "/" + op + "_" + counter++).string(4, op);
        attributes.forEach(a -> n.message(5, a));
        nodes.add(n);
        return output;
    }

    private static ProtoMessage ints(String name, long... values) {
        ProtoMessage a = new ProtoMessage().string(ATTR_NAME, name);
        for (long v : values) {
            a.int64(ATTR_INTS, v);
        }
        return a.int64(ATTR_TYPE, ATTR_TYPE_INTS);
    }

    private static ProtoMessage integer(String name, long value) {
        return new ProtoMessage().string(ATTR_NAME, name).int64(ATTR_I, value).int64(ATTR_TYPE, ATTR_TYPE_INT);
    }

    private static ProtoMessage real(String name, double value) {
        return new ProtoMessage().string(ATTR_NAME, name).float32(ATTR_F, (float) value)
                .int64(ATTR_TYPE, ATTR_TYPE_FLOAT);
    }

    /** Emits one layer reading {@code input}; returns the name of its output. */
    private final class Emitter implements LayerSpec.Visitor<String> {
        private final String path;
        private final String input;

        Emitter(String path, String input) {
            this.path = path;
            this.input = input;
        }

        @Override
        public String conv(Conv c) {
            Conv.Names n = new Conv.Names(LayerSpec.join(path, c.name()));
            List<String> inputs = new ArrayList<>(List.of(input, n.weight()));
            if (c.style().bias()) {
                inputs.add(n.bias());
            }
            Conv.Window w = c.window();
            String y = node("Conv", inputs, n.convolution(), List.of(
                    ints("kernel_shape", w.kernelH(), w.kernelW()),
                    ints("strides", w.strideH(), w.strideW()),
                    ints("pads", w.padH(), w.padW(), w.padH(), w.padW())));
            if (c.style().batchNorm()) {
                y = node("BatchNormalization", List.of(y, n.gamma(), n.beta(), n.runningMean(), n.runningVar()),
                        n.batchNorm(), List.of(real("epsilon", c.style().bnEpsilon())));
            }
            return node("Relu", List.of(y), n.unit(), List.of());
        }

        @Override
        public String pool(Pool pool) {
            String p = LayerSpec.join(path, pool.name());
            List<ProtoMessage> attributes = new ArrayList<>(List.of(
                    ints("kernel_shape", pool.kernel(), pool.kernel()),
                    ints("strides", pool.stride(), pool.stride()),
                    ints("pads", pool.padding(), pool.padding(), pool.padding(), pool.padding()),
                    integer("ceil_mode", pool.ceilMode() ? 1 : 0)));
            if (pool.kind() == Pool.Kind.AVG) {
                attributes.add(integer("count_include_pad", pool.countIncludePad() ? 1 : 0));
                return node("AveragePool", List.of(input), p, attributes);
            }
            return node("MaxPool", List.of(input), p, attributes);
        }

        @Override
        public String adaptiveAvgPool(AdaptiveAvgPool pool) {
            if (!pool.isGlobal()) {
                throw new UnsupportedOperationException("ONNX export of adaptive pooling to "
                        + pool.outputHeight() + "×" + pool.outputWidth() + " (layer " + pool.name() + ")");
            }
            return node("GlobalAveragePool", List.of(input), LayerSpec.join(path, pool.name()), List.of());
        }

        @Override
        public String localResponseNorm(LocalResponseNorm n) {
            // ONNX LRN is Caffe's: x / (bias + α/size · Σ x²)^β over `size` channels.
            return node("LRN", List.of(input), LayerSpec.join(path, n.name()), List.of(real("alpha", n.alpha()),
                    real("beta", n.beta()), real("bias", n.k()), integer("size", n.size())));
        }

        @Override
        public String dropout(Dropout d) {
            return input; // the eval graph: dropout is the identity
        }

        @Override
        public String linear(Linear l) {
            String p = LayerSpec.join(path, l.name());
            String flat = node("Flatten", List.of(input), p + ".flatten", List.of(integer("axis", 1)));
            String y = node("Gemm", List.of(flat, p + ".weight", p + ".bias"), l.relu() ? p + ".gemm" : p,
                    List.of(integer("transB", 1)));
            return l.relu() ? node("Relu", List.of(y), p, List.of()) : y;
        }

        @Override
        public String inputTransform(InputTransform t) {
            String p = LayerSpec.join(path, t.name());
            long[] perChannel = {1, t.scale().length, 1, 1};
            String scale = constant(p + ".scale", perChannel, t.scaleFloats());
            String shift = constant(p + ".shift", perChannel, t.shiftFloats());
            String scaled = node("Mul", List.of(input, scale), p + ".mul", List.of());
            return node("Add", List.of(scaled, shift), p, List.of());
        }

        @Override
        public String sequential(Sequential s) {
            String inner = LayerSpec.join(path, s.name());
            String x = input;
            for (LayerSpec layer : s.layers()) {
                x = layer.accept(new Emitter(inner, x));
            }
            return x;
        }

        @Override
        public String concat(Concat c) {
            String inner = LayerSpec.join(path, c.name());
            List<String> outputs = new ArrayList<>();
            for (LayerSpec branch : c.branches()) {
                outputs.add(branch.accept(new Emitter(inner, input)));
            }
            String name = c.name().isEmpty() ? inner + ".concat" + counter : inner;
            return node("Concat", outputs, name, List.of(integer("axis", 1)));
        }

        @Override
        public String fusedConcat(FusedConcat c) {
            throw new UnsupportedOperationException("ONNX export of a network with fused 1×1 convolutions ("
                    + LayerSpec.join(path, c.name()) + "): export the network before InferenceOptimizer.fusePointwise");
        }
    }
}
