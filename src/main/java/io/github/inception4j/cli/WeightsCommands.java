package io.github.inception4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InceptionOutputs;
import io.github.inception4j.onnx.OnnxExporter;
import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.weights.Numpy;
import io.github.inception4j.data.Preprocessing;
import io.github.inception4j.weights.Tensor;
import io.github.inception4j.weights.WeightFiles;
import io.github.inception4j.weights.LoadedModel;
import io.github.inception4j.weights.ModelLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convert} and {@code forward}: weights in, weights or raw outputs out. */
final class WeightsCommands {

    private WeightsCommands() {
    }

    /** A checkpoint directory, or a weight file with --model and the model options, loaded by the one loader. */
    static LoadedModel load(NDManager manager, Path weights, String model, ModelOptionsMixin mixin, boolean lenient) {
        Architecture architecture = model == null ? null : Architecture.byName(model);
        ModelLoader loader = ModelLoader.of(weights, architecture,
                architecture == null ? null : mixin.resolve(architecture));
        return (lenient ? loader.lenient() : loader).load(manager);
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = {"Convert weights into a checkpoint, a torchvision-named .safetensors file or an ONNX graph.",
                    "IN is any readable file (torch.save .pth, safetensors, .npz, Keras .h5) or a checkpoint."})
    static final class Convert implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IN", description = "Weight file or checkpoint directory.")
        Path input;

        @Parameters(index = "1", paramLabel = "OUT",
                description = "A directory (checkpoint), or a file ending in .safetensors (torchvision names) or "
                        + ".onnx (opset 13, main logits).")
        Path output;

        @Option(names = "--onnx-batch", paramLabel = "N", description = "Fixed batch size of the ONNX input "
                + "(default 0: symbolic). Its height and width are --input-size.")
        int onnxBatch;

        @Option(names = "--model", paramLabel = "M", description = "Architecture of IN when it is a weight file.")
        String model;

        @Option(names = "--lenient", description = "Load what matches and report the rest (default: strict).")
        boolean lenient;

        @Option(names = "--preprocessing", paramLabel = "P", description = "torchvision | tf | caffe "
                + "(default: the checkpoint's; torchvision for torchvision key names, tf for Keras files; "
                + "required for other files).")
        String preprocessing;

        @Option(names = "--classes", paramLabel = "FILE", description = "Class names, one per line.")
        Path classes;

        @Mixin
        ModelOptionsMixin options;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (NDManager manager = NDManager.newBaseManager()) {
                LoadedModel loaded = load(manager, input, model, options, lenient);
                out.println(input + ": " + loaded.origin().report().summary());
                String outputName = output.getFileName().toString().toLowerCase(Locale.ROOT);
                if (outputName.endsWith(".safetensors")) {
                    Checkpoint.exportTorchvision(output, loaded.network());
                    out.println("wrote " + output + " (torchvision key names)");
                    return 0;
                }
                if (outputName.endsWith(".onnx")) {
                    Checkpoint.writeAtomically(output, OnnxExporter.export(loaded.network(), onnxBatch));
                    out.println("wrote " + output + " (ONNX opset " + OnnxExporter.OPSET + ", input (N, 3, "
                            + loaded.options().inputSize() + ", " + loaded.options().inputSize() + "), output logits)");
                    return 0;
                }
                // The names the user gave or the checkpoint carried; none written means "the defaults" on load.
                List<String> classNames = classes != null ? ModelLoader.readClassNames(classes)
                        : loaded.origin().metadata() != null ? loaded.origin().metadata().classNames() : List.of();
                if (!classNames.isEmpty() && classNames.size() != loaded.options().numClasses()) {
                    throw new IllegalArgumentException(classes + " has " + classNames.size() + " names for "
                            + loaded.options().numClasses() + " classes");
                }
                Preprocessing chosen = preprocessing != null
                        ? Preprocessing.byName(preprocessing, loaded.options().inputSize())
                        : loaded.requirePreprocessing();
                Checkpoint.Metadata metadata = new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION,
                        loaded.architecture().cliName(), loaded.options(), classNames, chosen,
                        loaded.origin().metadata() != null ? loaded.origin().metadata().provenance()
                                : Checkpoint.convertedFrom(input));
                Checkpoint.save(output, loaded.network(), metadata);
                out.println("wrote checkpoint " + output);
            }
            return 0;
        }
    }

    @Command(name = "forward", mixinStandardHelpOptions = true,
            description = {"Run a network on a raw NCHW float32 tensor (.npy) and write its outputs.",
                    "For verification and debugging; in train mode the output is an .npz of named logits."})
    static final class Forward implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--weights", required = true, paramLabel = "FILE|DIR", description = "Weights or checkpoint.")
        Path weights;

        @Option(names = "--model", paramLabel = "M", description = "Architecture (not needed for a checkpoint).")
        String model;

        @Option(names = "--input", required = true, paramLabel = "X.npy", description = "(N, 3, H, W) float32.")
        Path input;

        @Option(names = "--output", required = true, paramLabel = "Y.npy|Y.npz", description = "Where to write.")
        Path output;

        @Option(names = "--train-mode", description = "Batch-statistics BN and the auxiliary heads (dropout on).")
        boolean trainMode;

        @Mixin
        ModelOptionsMixin options;

        @Override
        public Integer call() throws IOException {
            Tensor x = WeightFiles.read(input).values().stream().findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(input + " holds no array"));
            long[] shape = x.shape();
            if (shape.length != 4) {
                throw new IllegalArgumentException(input + ": expected an (N, C, H, W) array, got rank "
                        + shape.length);
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                LoadedModel loaded = load(manager, weights, model, options, false);
                // One sample in eval mode runs as a batch of two, the second all zeros and its row dropped, as
                // ImageClassifier does: at batch 1 libtorch probes NNPACK per convolution and, on a CPU it does
                // not support, logs a warning each time. Train mode runs the tensor as given (batch statistics).
                boolean pad = !trainMode && shape[0] == 1;
                float[] values = x.toFloats();
                NDArray array = pad ? manager.create(Arrays.copyOf(values, 2 * values.length),
                        new Shape(2, shape[1], shape[2], shape[3])) : manager.create(values, new Shape(shape));
                NDList out = loaded.network().forward(new ParameterStore(manager, false), new NDList(array), trainMode);
                if (pad) {
                    NDArray first = out.head().get("0:1");
                    first.setName(InceptionOutputs.LOGITS);
                    out = new NDList(first);
                }
                InceptionOutputs outputs = InceptionOutputs.of(out);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                if (output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz")) {
                    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                        write(zip, InceptionOutputs.LOGITS, outputs.logits());
                        for (String head : outputs.auxNames()) {
                            write(zip, head, outputs.aux(head));
                        }
                    }
                } else {
                    if (!outputs.auxNames().isEmpty()) {
                        throw new IllegalArgumentException("train mode gives named auxiliary outputs: write them "
                                + "to an .npz file");
                    }
                    Numpy.writeNpy(bytes, tensor(InceptionOutputs.LOGITS, outputs.logits()));
                }
                Checkpoint.writeAtomically(output, bytes.toByteArray());
                spec.commandLine().getOut().println("wrote " + output + " " + Map.of(InceptionOutputs.LOGITS,
                        outputs.logits().getShape()) + (outputs.auxNames().isEmpty() ? "" : " + " + outputs.auxNames()));
            }
            return 0;
        }

        private static void write(ZipOutputStream zip, String name, NDArray array) throws IOException {
            zip.putNextEntry(new ZipEntry(name + ".npy"));
            Numpy.writeNpy(zip, tensor(name, array));
            zip.closeEntry();
        }

        private static Tensor tensor(String name, NDArray array) {
            return Tensor.ofFloats(name, array.getShape().getShape(), array.toFloatArray());
        }
    }
}
