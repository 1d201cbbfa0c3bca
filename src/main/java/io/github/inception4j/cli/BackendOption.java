package io.github.inception4j.cli;

import io.github.inception4j.nn.InferenceBackend;
import picocli.CommandLine.Option;

/** {@code --backend}: where a command's inference runs. */
final class BackendOption {

    @Option(names = "--backend", paramLabel = "BACKEND", description = "Where inference runs: onnxruntime (ONNX "
            + "Runtime on the network's ONNX export; the default: the fastest exact path here, logits within 1e-4 of "
            + "DJL's), onednn (oneDNN primitives compiled from the spec, float32, as exact), onednn-bf16 (the same "
            + "in bfloat16, on CPUs with AVX512-BF16 or AMX), onnxruntime-int8 (the int8 model of a checkpoint made "
            + "by `inception quantize`) or djl (DJL's PyTorch engine, what training and inner feature endpoints "
            + "run on).")
    String backend;

    /** The backend asked for, else ONNX Runtime (float). */
    InferenceBackend backend() {
        return backend == null ? InferenceBackend.ONNXRUNTIME : InferenceBackend.byId(backend);
    }

    /** The backend asked for, else {@code fallback}. */
    InferenceBackend backendOr(InferenceBackend fallback) {
        return backend == null ? fallback : InferenceBackend.byId(backend);
    }
}
