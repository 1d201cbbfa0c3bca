package io.github.inception4j.cli;

import io.github.inception4j.nn.InferenceBackend;
import picocli.CommandLine.Option;

/** {@code --backend}: where a command's inference runs. */
public final class BackendOption {

    @Option(names = "--backend", paramLabel = "BACKEND", description = "Where inference runs: onednn (oneDNN "
            + "primitives compiled from the spec, float32; the default: the fastest exact path, logits within 1e-4 of "
            + "DJL's), onnxruntime (ONNX Runtime on the network's ONNX export, float32, as fast and as exact, more "
            + "memory), onednn-bf16 (oneDNN in bfloat16, on CPUs with AVX512-BF16 or AMX), onednn-int8 and "
            + "onnxruntime-int8 (int8 at the calibration of a checkpoint made by `inception quantize`; oneDNN "
            + "compiles it from the spec, ONNX Runtime runs its int8 ONNX model) or djl (DJL's PyTorch engine, what "
            + "training and inner feature endpoints run on).")
    String backend;

    /** The backend asked for, else {@link InferenceBackend#DEFAULT}. */
    public InferenceBackend backend() {
        return backend == null ? InferenceBackend.DEFAULT : InferenceBackend.byId(backend);
    }

    /** The backend asked for, else {@code fallback}. */
    InferenceBackend backendOr(InferenceBackend fallback) {
        return backend == null ? fallback : InferenceBackend.byId(backend);
    }
}
