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
    ONNXRUNTIME("onnxruntime");

    private final String id;

    InferenceBackend(String id) {
        this.id = id;
    }

    /** As the command line writes it: djl or onnxruntime. */
    public String id() {
        return id;
    }

    public static InferenceBackend byId(String id) {
        return Arrays.stream(values()).filter(b -> b.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown backend '" + id + "'; use djl or onnxruntime"));
    }
}
