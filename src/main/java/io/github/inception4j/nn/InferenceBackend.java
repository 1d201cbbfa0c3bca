package io.github.inception4j.nn;

import java.util.Arrays;

/** Where inference runs. Training, endpoints and feature extraction always run on DJL's engine. */
public enum InferenceBackend {
    /** DJL's PyTorch engine, op by op, as {@link InceptionNetwork} builds the network. */
    DJL("djl"),
    /**
     * ONNX Runtime on the network's ONNX export ({@code onnx.OnnxRuntimeSession}): the graph is optimised once
     * when it opens (BN and ReLU fused into the convolutions, layouts planned for the whole graph).
     */
    ONNXRUNTIME("onnxruntime"),
    /**
     * ONNX Runtime on the int8 model a quantized checkpoint carries ({@code onnx.QuantizedExporter}, written by
     * {@code inception quantize}): uint8 activations, int8 weights, integer kernels.
     */
    ONNXRUNTIME_INT8("onnxruntime-int8");

    private final String id;

    InferenceBackend(String id) {
        this.id = id;
    }

    /** As the command line writes it: djl, onnxruntime or onnxruntime-int8. */
    public String id() {
        return id;
    }

    public static InferenceBackend byId(String id) {
        return Arrays.stream(values()).filter(b -> b.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown backend '" + id + "'; use djl, onnxruntime or onnxruntime-int8"));
    }
}
