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
    static final String INPUT = "input";
    static final String LOGITS = "logits";

    private final OnnxGraph graph = new OnnxGraph();
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
        return serialize(network, graph(network), batch, List.of(LOGITS));
    }

    /** The float graph of the network's eval path, main logits only, before serialisation. */
    static OnnxGraph graph(InceptionNetwork network) {
        OnnxExporter exporter = new OnnxExporter(network);
        NetworkSpec spec = network.spec();
        for (ParameterSpec p : spec.parameters()) {
            if (!p.name().startsWith(auxPrefix(spec, p.name()))) {
                exporter.graph.floats(p.name(), p.shape(), network.floats(p.name()));
            }
        }
        String x = INPUT;
        for (LayerSpec layer : spec.layers()) {
            x = layer.accept(exporter.new Emitter("", x));
        }
        exporter.graph.node("Identity", List.of(x), LOGITS, List.of());
        return exporter.graph;
    }

    /** {@code graph} as model bytes with the network's input and logits shapes and any further float outputs. */
    static byte[] serialize(InceptionNetwork network, OnnxGraph graph, int batch, List<String> outputs) {
        NetworkSpec spec = network.spec();
        return graph.serialize(spec.name(), OPSET, batch, new long[] {spec.input().channels(), spec.input().height(),
                spec.input().width()}, outputs, new long[] {spec.numClasses()});
    }

    /** The auxiliary head a parameter belongs to, or a prefix nothing starts with. */
    private static String auxPrefix(NetworkSpec spec, String parameter) {
        return spec.auxHeads().stream().map(h -> h.name() + ".").filter(parameter::startsWith).findFirst()
                .orElse("\u0000");
    }

    private String node(String op, List<String> inputs, String output, List<ProtoMessage> attributes) {
        counter++;
        return graph.node(op, inputs, output, attributes);
    }

    private String constant(String name, long[] dims, float[] values) {
        graph.floats(name, dims, values);
        return name;
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
                    OnnxGraph.ints("kernel_shape", w.kernelH(), w.kernelW()),
                    OnnxGraph.ints("strides", w.strideH(), w.strideW()),
                    OnnxGraph.ints("pads", w.padH(), w.padW(), w.padH(), w.padW())));
            if (c.style().batchNorm()) {
                y = node("BatchNormalization", List.of(y, n.gamma(), n.beta(), n.runningMean(), n.runningVar()),
                        n.batchNorm(), List.of(OnnxGraph.real("epsilon", c.style().bnEpsilon())));
            }
            return node("Relu", List.of(y), n.unit(), List.of());
        }

        @Override
        public String pool(Pool pool) {
            String p = LayerSpec.join(path, pool.name());
            List<ProtoMessage> attributes = new ArrayList<>(List.of(
                    OnnxGraph.ints("kernel_shape", pool.kernel(), pool.kernel()),
                    OnnxGraph.ints("strides", pool.stride(), pool.stride()),
                    OnnxGraph.ints("pads", pool.padding(), pool.padding(), pool.padding(), pool.padding()),
                    OnnxGraph.integer("ceil_mode", pool.ceilMode() ? 1 : 0)));
            if (pool.kind() == Pool.Kind.AVG) {
                attributes.add(OnnxGraph.integer("count_include_pad", pool.countIncludePad() ? 1 : 0));
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
            return node("LRN", List.of(input), LayerSpec.join(path, n.name()), List.of(
                    OnnxGraph.real("alpha", n.alpha()), OnnxGraph.real("beta", n.beta()), OnnxGraph.real("bias", n.k()),
                    OnnxGraph.integer("size", n.size())));
        }

        @Override
        public String dropout(Dropout d) {
            return input; // the eval graph: dropout is the identity
        }

        @Override
        public String linear(Linear l) {
            String p = LayerSpec.join(path, l.name());
            String flat = node("Flatten", List.of(input), p + ".flatten", List.of(OnnxGraph.integer("axis", 1)));
            String y = node("Gemm", List.of(flat, p + ".weight", p + ".bias"), l.relu() ? p + ".gemm" : p,
                    List.of(OnnxGraph.integer("transB", 1)));
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
            return node("Concat", outputs, name, List.of(OnnxGraph.integer("axis", 1)));
        }

        @Override
        public String fusedConcat(FusedConcat c) {
            throw new UnsupportedOperationException("ONNX export of a network with fused 1×1 convolutions ("
                    + LayerSpec.join(path, c.name()) + "): export the network before InferenceOptimizer.fusePointwise");
        }
    }
}
