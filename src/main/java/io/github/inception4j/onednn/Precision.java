package io.github.inception4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_bf16;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_s8;
import static org.bytedeco.dnnl.global.dnnl.dnnl_u8;

import java.util.Arrays;

/** The number format the oneDNN backend computes in; chosen per model when it is compiled. */
public enum Precision {
    /** float32 throughout: the exact path (logits within 1e-4 of DJL's). */
    FP32("fp32", dnnl_f32, dnnl_f32),
    /**
     * bfloat16 activations and weights, float32 accumulation, bias and logits: needs AVX512-BF16 or AMX (refused
     * elsewhere rather than emulated slowly).
     */
    BF16("bf16", dnnl_bf16, dnnl_bf16),
    /**
     * uint8 activations and int8 weights (per output channel, symmetric) at the scales of a {@code Calibration}
     * ({@code inception quantize}); the image enters as int8 (symmetric) and the classifier (global pool, fully
     * connected layer) stays float32, as in the ONNX int8 model. VNNI / AMX-INT8 where the CPU has them.
     */
    INT8("int8", dnnl_u8, dnnl_s8);

    private final String id;
    private final int activations;
    private final int weights;

    Precision(String id, int activations, int weights) {
        this.id = id;
        this.activations = activations;
        this.weights = weights;
    }

    public String id() {
        return id;
    }

    int activations() {
        return activations;
    }

    int weights() {
        return weights;
    }

    public static Precision byId(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown precision '" + id + "'; use fp32, bf16 or int8"));
    }
}
