package io.github.inception4j.cli;

import io.github.inception4j.nn.InferenceBackend;
import picocli.CommandLine.Option;

/** {@code --backend}: where a command's inference runs. */
final class BackendOption {

    @Option(names = "--backend", paramLabel = "djl|onnxruntime", defaultValue = "djl", description = "Where "
            + "inference runs: DJL's PyTorch engine, or ONNX Runtime on the network's ONNX export (faster on CPU, "
            + "logits within 1e-4 of DJL's). Default: ${DEFAULT-VALUE}.")
    String backend;

    InferenceBackend backend() {
        return InferenceBackend.byId(backend);
    }
}
