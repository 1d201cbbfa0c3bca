package io.github.inception4j.cli;

import io.github.inception4j.data.DataSources;
import io.github.inception4j.eval.Int8Checkpoint;
import io.github.inception4j.onnx.Calibration;
import io.github.inception4j.weights.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inception quantize}: {@link Int8Checkpoint#quantize}. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize a checkpoint to int8 after training: calibrate activation ranges on your own images "
                + "and write a checkpoint that also carries the int8 ONNX model (run it with --backend "
                + "onnxruntime-int8).")
final class QuantizeCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "The float checkpoint.")
    Path checkpoint;

    @Option(names = "--calibration", required = true, paramLabel = "SOURCE", description = "Calibration images: "
            + "fashion-mnist, fashion-mnist:DIR, fashion-mnist-subset or a class-per-folder directory (training "
            + "images, never the test set).")
    String calibration;

    @Option(names = "--images", paramLabel = "N", defaultValue = "1000", description = "How many images to draw "
            + "from SOURCE (seeded; default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--method", paramLabel = "percentile|entropy|minmax", defaultValue = "percentile",
            description = "How each activation's range is chosen (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The quantized checkpoint to write.")
    Path out;

    @Option(names = "--onnx", paramLabel = "FILE", description = "Also write the int8 model as a standalone ONNX file "
            + "(input (N, 3, H, W) float32 preprocessed as the checkpoint says, output the logits).")
    Path onnx;

    @Override
    public Integer call() throws Exception {
        Int8Checkpoint.Result r = Int8Checkpoint.quantize(checkpoint, out, DataSources.open(calibration, false),
                calibration, images, Calibration.Method.byId(method));
        var stdout = spec.commandLine().getOut();
        if (onnx != null) {
            Checkpoint.writeAtomically(onnx, Files.readAllBytes(out.resolve(Int8Checkpoint.MODEL)));
        }
        stdout.println(String.format(Locale.ROOT, "quantized %s on %d images of %s (%s, %d activation ranges%s) "
                        + "in %.1f s → %s (int8 model %.1f MB)%s", checkpoint, r.calibration().images(), calibration,
                method, r.calibration().ranges().size(), r.skipped() > 0 ? ", " + r.skipped()
                        + " unreadable images skipped" : "", r.seconds(), out, r.modelBytes() / 1e6,
                onnx == null ? "" : " and " + onnx));
        return 0;
    }
}
