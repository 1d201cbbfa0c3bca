package io.github.inception4j.cli;

import io.github.inception4j.nn.InferenceBackend;
import picocli.CommandLine.Option;

/** {@code --backend}: where a command's inference runs. */
final class BackendOption {

    @Option(names = "--backend", paramLabel = "onnxruntime|djl|onnxruntime-int8", description = "Where inference "
            + "runs: ONNX Runtime on the network's ONNX export (the default: the fastest exact path, logits within "
            + "1e-4 of DJL's), DJL's PyTorch engine (what training and inner feature endpoints run on), or ONNX "
            + "Runtime on the int8 model of a checkpoint made by `inception quantize`.")
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
