package io.github.inception4j.cli;

import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.weights.ModelLoader;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a classifier comes from: a checkpoint directory, or a weight file with its architecture. */
final class ClassifierOptions {

    static final class Source {
        @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
                description = "A checkpoint directory (architecture, classes and preprocessing come with it).")
        Path checkpoint;

        @Option(names = "--weights", required = true, paramLabel = "FILE",
                description = "A weight file (.pth, .safetensors, .npz, Keras .h5); needs --model.")
        Path weights;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--model", paramLabel = "M", description = "Architecture of --weights.")
    String model;

    @Option(names = "--preprocessing", paramLabel = "P", description = "How --weights expect images: torchvision | "
            + "tf | caffe (default: what the file's format implies — torchvision key names, Keras files — or an "
            + "error).")
    String preprocessing;

    @Option(names = "--classes", paramLabel = "FILE", description = "Class names of --weights, one per line "
            + "(default: ImageNet-1k's for 1,000 classes).")
    Path classes;

    @Mixin
    ModelOptionsMixin modelOptions;

    @Mixin
    BackendOption backend;

    ImageClassifier open() {
        return open(backend.backend());
    }

    /** Opened on DJL whatever --backend says: inner endpoints exist only in the DJL network. */
    ImageClassifier openForFeatures() {
        return open(backend.backendOr(InferenceBackend.DJL));
    }

    private ImageClassifier open(InferenceBackend chosen) {
        if (source.checkpoint != null) {
            if (model != null || preprocessing != null || classes != null) {
                throw new IllegalArgumentException("--model, --preprocessing and --classes go with --weights; a "
                        + "checkpoint carries its own");
            }
            return ImageClassifier.load(source.checkpoint, chosen);
        }
        if (model == null) {
            throw new IllegalArgumentException("--model is required with --weights (" + source.weights + ")");
        }
        Architecture architecture = Architecture.byName(model);
        ModelLoader loader = ModelLoader.file(source.weights, architecture, modelOptions.resolve(architecture))
                .classNames(classes == null ? null : ModelLoader.readClassNames(classes));
        return ImageClassifier.open(preprocessing == null ? loader : loader.preprocessing(preprocessing), chosen);
    }
}
