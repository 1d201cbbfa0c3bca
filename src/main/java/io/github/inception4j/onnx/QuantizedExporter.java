package io.github.inception4j.onnx;

import io.github.inception4j.nn.InceptionNetwork;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The int8 form of a network's ONNX export, in ONNX's QDQ representation: every activation a convolution, a pool
 * or a concat reads is quantized to uint8 (QuantizeLinear → DequantizeLinear, scale and zero point from its
 * {@link Calibration} range), every convolution's weights are int8 per output channel and symmetric, and its bias
 * int32 at the scale input·weight. ONNX Runtime fuses the pattern into integer kernels (QLinearConv with the ReLU
 * folded into the output's zero point, uint8 max pooling, QLinearConcat, QLinearAveragePool); the classifier
 * (global pool, fully connected layer) stays float.
 *
 * <p>Scale rules: a max or average pool keeps its input's scale (both are monotone averages of it), and a concat's
 * inputs share its output's scale, so both are pure data movement on uint8 instead of a requantization. The
 * network must have its BatchNorm folded into the convolutions first (BN has no integer kernel).
 */
public final class QuantizedExporter {

    private QuantizedExporter() {
    }

    /**
     * The activations of {@code network}'s export that the int8 graph quantizes, each mapped to the first member of
     * its scale group (tensors of one group must share a range), in graph order.
     */
    public static Map<String, String> activations(InceptionNetwork network) {
        return activations(OnnxExporter.graph(network));
    }

    static Map<String, String> activations(OnnxGraph graph) {
        Map<String, String> producers = new HashMap<>();
        graph.nodes.forEach(n -> producers.put(n.output(), n.op()));
        Set<String> quantized = new LinkedHashSet<>();
        UnionFind groups = new UnionFind();
        for (OnnxGraph.Node n : graph.nodes) {
            switch (n.op()) {
                case "Conv" -> quantized.add(n.inputs().get(0));
                case "Relu" -> {
                    if ("Conv".equals(producers.get(n.inputs().get(0)))) {
                        quantized.add(n.output());
                    }
                }
                case "MaxPool", "AveragePool" -> {
                    quantized.add(n.inputs().get(0));
                    quantized.add(n.output());
                    groups.join(n.inputs().get(0), n.output());
                }
                case "Concat" -> {
                    quantized.addAll(n.inputs());
                    quantized.add(n.output());
                    n.inputs().forEach(in -> groups.join(in, n.output()));
                }
                default -> { }
            }
        }
        if (producers.containsValue("BatchNormalization")) {
            throw new IllegalArgumentException("fold BatchNorm into the convolutions before quantizing "
                    + "(InferenceOptimizer.foldBatchNorm): it has no integer kernel");
        }
        Map<String, String> out = new LinkedHashMap<>();
        quantized.forEach(t -> out.put(t, groups.find(t)));
        Map<String, String> first = new HashMap<>();
        out.replaceAll((t, root) -> first.computeIfAbsent(root, r -> t));
        return out;
    }

    /**
     * The int8 model bytes.
     *
     * @param batch a fixed batch size, or 0 for a symbolic one
     */
    public static byte[] export(InceptionNetwork network, Calibration calibration, int batch) {
        OnnxGraph graph = OnnxExporter.graph(network);
        Map<String, String> activations = activations(graph);
        for (String tensor : activations.keySet()) {
            if (!calibration.ranges().containsKey(tensor)) {
                throw new IllegalArgumentException("the calibration has no range for '" + tensor + "'; calibrate "
                        + "this network (same architecture, options and rewrites) again");
            }
        }
        List<OnnxGraph.Node> original = new ArrayList<>(graph.nodes);
        graph.nodes.clear();
        if (activations.containsKey(OnnxExporter.INPUT)) {
            quantize(graph, OnnxExporter.INPUT, calibration.ranges().get(OnnxExporter.INPUT));
        }
        for (OnnxGraph.Node n : original) {
            // Every reader of a quantized activation reads its dequantized copy; only QuantizeLinear reads the float.
            List<String> inputs = new ArrayList<>(n.inputs().stream()
                    .map(in -> activations.containsKey(in) ? dequantized(in) : in).toList());
            if (n.op().equals("Conv")) {
                Calibration.Range in = calibration.ranges().get(n.inputs().get(0));
                quantizeWeights(graph, network, inputs, in.scale());
            }
            graph.nodes.add(n.withInputs(inputs));
            if (activations.containsKey(n.output())) {
                quantize(graph, n.output(), calibration.ranges().get(n.output()));
            }
        }
        return OnnxExporter.serialize(network, graph, batch, List.of(OnnxExporter.LOGITS));
    }

    private static String dequantized(String tensor) {
        return tensor + "_dq";
    }

    /** tensor → QuantizeLinear → DequantizeLinear → tensor_dq, at the range's uint8 scale and zero point. */
    private static void quantize(OnnxGraph graph, String tensor, Calibration.Range range) {
        String scale = tensor + "_scale";
        String zeroPoint = tensor + "_zero_point";
        graph.floats(scale, new long[0], new float[] {range.scale()});
        graph.bytes(zeroPoint, new long[0], OnnxGraph.UINT8, new byte[] {(byte) range.zeroPoint()});
        String q = graph.node("QuantizeLinear", List.of(tensor, scale, zeroPoint), tensor + "_q", List.of());
        graph.node("DequantizeLinear", List.of(q, scale, zeroPoint), dequantized(tensor), List.of());
    }

    /**
     * Replaces a convolution's float weight and bias (inputs 1 and 2) by int8 per-channel weights and an int32
     * bias, each dequantized along the output channels.
     */
    private static void quantizeWeights(OnnxGraph graph, InceptionNetwork network, List<String> inputs,
                                        float inputScale) {
        String weightName = inputs.get(1);
        float[] w = network.floats(weightName);
        long[] shape = network.spec().parameters().stream().filter(p -> p.name().equals(weightName)).findFirst()
                .orElseThrow().shape();
        int channels = (int) shape[0];
        int perChannel = w.length / channels;
        float[] scales = new float[channels];
        byte[] codes = new byte[w.length];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            scales[c] = max > 0 ? max / 127f : 1f;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                codes[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / scales[c])));
            }
        }
        graph.initializers.remove(weightName);
        graph.bytes(weightName + "_q", shape, OnnxGraph.INT8, codes);
        graph.floats(weightName + "_scale", new long[] {channels}, scales);
        graph.bytes(weightName + "_zero_point", new long[] {channels}, OnnxGraph.INT8, new byte[channels]);
        inputs.set(1, graph.node("DequantizeLinear", List.of(weightName + "_q", weightName + "_scale",
                weightName + "_zero_point"), dequantized(weightName), List.of(OnnxGraph.integer("axis", 0))));
        if (inputs.size() > 2) {
            String biasName = inputs.get(2);
            float[] b = network.floats(biasName);
            float[] biasScales = new float[channels];
            int[] biasCodes = new int[channels];
            for (int c = 0; c < channels; c++) {
                biasScales[c] = inputScale * scales[c];
                biasCodes[c] = (int) Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE,
                        Math.round((double) b[c] / biasScales[c])));
            }
            graph.initializers.remove(biasName);
            graph.ints(biasName + "_q", new long[] {channels}, biasCodes);
            graph.floats(biasName + "_scale", new long[] {channels}, biasScales);
            graph.ints(biasName + "_zero_point", new long[] {channels}, new int[channels]);
            inputs.set(2, graph.node("DequantizeLinear", List.of(biasName + "_q", biasName + "_scale",
                    biasName + "_zero_point"), dequantized(biasName), List.of(OnnxGraph.integer("axis", 0))));
        }
    }

    /** Disjoint sets of tensor names. */
    private static final class UnionFind {
        private final Map<String, String> parent = new HashMap<>();

        String find(String x) {
            String p = parent.getOrDefault(x, x);
            if (p.equals(x)) {
                return x;
            }
            String root = find(p);
            parent.put(x, root);
            return root;
        }

        void join(String a, String b) {
            String ra = find(a);
            String rb = find(b);
            if (!ra.equals(rb)) {
                parent.put(rb, ra);
            }
        }
    }
}
