package io.github.inception4j.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX graph under construction: nodes in topological order and initializers by name, kept as values until
 * {@link #serialize} so that a pass (quantization, calibration taps) can rewrite them first.
 */
final class OnnxGraph {

    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT32 = 6;

    private static final int IR_VERSION = 7;
    // ONNX field numbers (onnx.proto).
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_FLOAT = 1;
    private static final int ATTR_TYPE_INT = 2;
    private static final int ATTR_TYPE_INTS = 7;

    /** One node: its operator, input and output tensor names, and attributes (already encoded). */
    record Node(String op, List<String> inputs, String output, List<ProtoMessage> attributes) {
        Node {
            inputs = List.copyOf(inputs);
            attributes = List.copyOf(attributes);
        }

        Node withInputs(List<String> value) {
            return new Node(op, value, output, attributes);
        }
    }

    final List<Node> nodes = new ArrayList<>();
    final Map<String, ProtoMessage> initializers = new LinkedHashMap<>();

    String node(String op, List<String> inputs, String output, List<ProtoMessage> attributes) {
        nodes.add(new Node(op, inputs, output, attributes));
        return output;
    }

    void floats(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        initializers.put(name, tensor(name, dims, FLOAT, raw.array()));
    }

    void bytes(String name, long[] dims, int type, byte[] values) {
        initializers.put(name, tensor(name, dims, type, values));
    }

    void ints(String name, long[] dims, int[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asIntBuffer().put(values);
        initializers.put(name, tensor(name, dims, INT32, raw.array()));
    }

    private static ProtoMessage tensor(String name, long[] dims, int type, byte[] raw) {
        ProtoMessage t = new ProtoMessage();
        for (long d : dims) {
            t.int64(1, d);
        }
        return t.int64(2, type).string(8, name).bytes(9, raw);
    }

    /**
     * The model bytes: opset {@code opset}, one float input (N, dims...) and float outputs; the first output has
     * the shape (N, outputDims...), any further ones (calibration taps) no declared shape.
     *
     * @param batch a fixed batch size, or 0 for a symbolic one
     */
    byte[] serialize(String name, int opset, int batch, long[] inputDims, List<String> outputs, long[] outputDims) {
        ProtoMessage graph = new ProtoMessage();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            ProtoMessage m = new ProtoMessage();
            n.inputs().forEach(in -> m.string(1, in));
            m.string(2, n.output()).string(3, n.output() + "/" + n.op() + "_" + i).string(4, n.op());
            n.attributes().forEach(a -> m.message(5, a));
            graph.message(1, m);
        }
        graph.string(2, name);
        initializers.values().forEach(t -> graph.message(5, t));
        graph.message(11, valueInfo("input", batch, inputDims));
        graph.message(12, valueInfo(outputs.get(0), batch, outputDims));
        for (String tap : outputs.subList(1, outputs.size())) {
            graph.message(12, valueInfo(tap, -1));
        }
        return new ProtoMessage()
                .int64(1, IR_VERSION)
                .string(2, "inception4j")
                .string(3, "0.1")
                .message(7, graph)
                .message(8, new ProtoMessage().string(1, "").int64(2, opset))
                .toByteArray();
    }

    /** A float tensor's value info; batch < 0 leaves the shape out. */
    private static ProtoMessage valueInfo(String name, int batch, long... dims) {
        ProtoMessage tensorType = new ProtoMessage().int64(1, FLOAT);
        if (batch >= 0) {
            ProtoMessage shape = new ProtoMessage();
            shape.message(1, batch > 0 ? new ProtoMessage().int64(1, batch) : new ProtoMessage().string(2, "N"));
            for (long d : dims) {
                shape.message(1, new ProtoMessage().int64(1, d));
            }
            tensorType.message(2, shape);
        }
        return new ProtoMessage().string(1, name).message(2, new ProtoMessage().message(1, tensorType));
    }

    static ProtoMessage ints(String name, long... values) {
        ProtoMessage a = new ProtoMessage().string(ATTR_NAME, name);
        for (long v : values) {
            a.int64(ATTR_INTS, v);
        }
        return a.int64(ATTR_TYPE, ATTR_TYPE_INTS);
    }

    static ProtoMessage integer(String name, long value) {
        return new ProtoMessage().string(ATTR_NAME, name).int64(ATTR_I, value).int64(ATTR_TYPE, ATTR_TYPE_INT);
    }

    static ProtoMessage real(String name, double value) {
        return new ProtoMessage().string(ATTR_NAME, name).float32(ATTR_F, (float) value)
                .int64(ATTR_TYPE, ATTR_TYPE_FLOAT);
    }
}
