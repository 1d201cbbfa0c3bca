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
    ONNXRUNTIME_INT8("onnxruntime-int8"),
    /**
     * oneDNN primitives compiled from the spec ({@code onednn.OneDnnNetwork}), float32: BN folded, ReLU fused,
     * weights reordered once, one activation layout for the whole network, concatenations written in place.
     */
    ONEDNN("onednn"),
    /** As {@link #ONEDNN} in bfloat16 (AVX512-BF16 or AMX; refused on CPUs without them). */
    ONEDNN_BF16("onednn-bf16"),
    /**
     * As {@link #ONEDNN} in int8 at the calibration a quantized checkpoint carries ({@code inception quantize}):
     * uint8 activations, int8 weights per output channel, integer kernels (VNNI, AMX-INT8).
     */
    ONEDNN_INT8("onednn-int8");

    private final String id;

    InferenceBackend(String id) {
        this.id = id;
    }

    /**
     * Where inference runs unless asked otherwise: the fastest exact (float32) backend. oneDNN and ONNX Runtime
     * run at the same speed here (within 4%, alternating, both models, docs/benchmarks.md); oneDNN holds less
     * than half the memory (no ONNX model and session beside the network).
     */
    public static final InferenceBackend DEFAULT = ONEDNN;

    /**
     * Whether the backend computes in a reduced precision (int8, bf16): its results are judged against float32's
     * on the same data ({@code evaluate} runs both).
     */
    public boolean reducedPrecision() {
        return this == ONNXRUNTIME_INT8 || this == ONEDNN_BF16 || this == ONEDNN_INT8;
    }

    /** As the command line writes it: djl, onnxruntime, onnxruntime-int8, onednn, onednn-bf16 or onednn-int8. */
    public String id() {
        return id;
    }

    public static InferenceBackend byId(String id) {
        return Arrays.stream(values()).filter(b -> b.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown backend '" + id + "'; use one of " + Arrays.stream(values())
                        .map(InferenceBackend::id).toList()));
    }
}
