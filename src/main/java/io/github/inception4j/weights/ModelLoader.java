package io.github.inception4j.weights;

import ai.djl.ndarray.NDManager;
import io.github.inception4j.data.Preprocessing;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.GradMode;
import io.github.inception4j.nn.InceptionNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The one way in: builds a network from (architecture, options), from a checkpoint, or from a weight file and its
 * architecture; initialises it; loads the weights strictly or leniently; and knows their preprocessing and class
 * names. Every command and API that needs a network goes through here.
 *
 * <pre>{@code
 * LoadedModel m = ModelLoader.checkpoint(Path.of("run/model")).load(manager);
 * LoadedModel t = ModelLoader.file(Path.of("googlenet.pth"), Architecture.GOOGLENET_TORCHVISION, options)
 *         .classNames(names).load(manager);                     // torchvision keys imply its preprocessing
 * LoadedModel f = ModelLoader.fresh(architecture, options).load(manager);  // initialised, no weights
 * }</pre>
 */
public final class ModelLoader {

    private static final String IMAGENET_CLASSES = "imagenet-1k.txt";

    private final Path weights;
    private final boolean checkpoint;
    private final Architecture architecture;
    private final ModelOptions options;
    private final String preprocessing;
    private final List<String> classNames;
    private final WeightLoader.Mode mode;

    private ModelLoader(Path weights, boolean checkpoint, Architecture architecture, ModelOptions options,
                        String preprocessing, List<String> classNames, WeightLoader.Mode mode) {
        this.weights = weights;
        this.checkpoint = checkpoint;
        this.architecture = architecture;
        this.options = options;
        this.preprocessing = preprocessing;
        this.classNames = classNames;
        this.mode = mode;
    }

    /** A checkpoint directory: architecture, options, class names and preprocessing come from its metadata. */
    public static ModelLoader checkpoint(Path dir) {
        return new ModelLoader(dir, true, null, null, null, null, WeightLoader.Mode.STRICT);
    }

    /** A bare weight file (torch.save, safetensors, npz, Keras HDF5) for {@code architecture} built with options. */
    public static ModelLoader file(Path file, Architecture architecture, ModelOptions options) {
        return new ModelLoader(file, false, architecture, options, null, null, WeightLoader.Mode.STRICT);
    }

    /** A checkpoint when {@code path} is a directory, else a weight file for {@code architecture}. */
    public static ModelLoader of(Path path, Architecture architecture, ModelOptions options) {
        if (Files.isDirectory(path)) {
            return checkpoint(path);
        }
        if (architecture == null) {
            throw new IllegalArgumentException("--model is required with a weight file (" + path + ")");
        }
        return file(path, architecture, options);
    }

    /** A freshly initialised network (the spec's initialisers, the engine's current seed), no weights. */
    public static ModelLoader fresh(Architecture architecture, ModelOptions options) {
        return new ModelLoader(null, false, architecture, options, null, null, WeightLoader.Mode.STRICT);
    }

    /** Fresh, then the matching arrays of a checkpoint or weight file loaded over it (fine-tuning). */
    public ModelLoader initialisedFrom(Path init) {
        Path file = Files.isDirectory(init) ? verified(init).resolve(Checkpoint.WEIGHTS) : init;
        return new ModelLoader(file, false, architecture, options, preprocessing, classNames,
                WeightLoader.Mode.LENIENT);
    }

    /** Load what matches and report the rest, instead of refusing any difference. */
    public ModelLoader lenient() {
        return new ModelLoader(weights, checkpoint, architecture, options, preprocessing, classNames,
                WeightLoader.Mode.LENIENT);
    }

    /** The preprocessing by name (torchvision, tf, caffe), over what the weights' format implies. */
    public ModelLoader preprocessing(String name) {
        requireFile("--preprocessing");
        return new ModelLoader(weights, checkpoint, architecture, options, name, classNames, mode);
    }

    /** The class names in index order, over ImageNet-1k's (for 1,000 classes) or "class i". */
    public ModelLoader classNames(List<String> names) {
        requireFile("--classes");
        return new ModelLoader(weights, checkpoint, architecture, options, preprocessing,
                names == null || names.isEmpty() ? null : List.copyOf(names), mode);
    }

    private void requireFile(String what) {
        if (checkpoint) {
            throw new IllegalArgumentException(what + " goes with a weight file; a checkpoint carries its own");
        }
    }

    /**
     * Builds, initialises and loads; the network's arrays belong to {@code manager}. Autograd is off meanwhile, on
     * whatever thread calls it: initialising with it on would record the initial values' arithmetic and leave
     * parameters that are not leaves of the graph (their gradients are then never accumulated).
     */
    public LoadedModel load(NDManager manager) {
        return GradMode.off(() -> loadWithoutGrad(manager));
    }

    private LoadedModel loadWithoutGrad(NDManager manager) {
        if (checkpoint) {
            Checkpoint.Metadata metadata = Checkpoint.readMetadata(weights);
            Architecture a = Checkpoint.architecture(metadata);
            InceptionNetwork network = InceptionNetwork.initialized(a.spec(metadata.options()), manager);
            LoadReport report = WeightLoader.load(network, weights.resolve(Checkpoint.WEIGHTS), mode);
            return new LoadedModel(network, a, metadata.options(), metadata.preprocessing(),
                    classNames(metadata.classNames(), metadata.options().numClasses(), weights.toString()),
                    new LoadedModel.Origin(weights.toString(), report, metadata));
        }
        InceptionNetwork network = InceptionNetwork.initialized(architecture.spec(options), manager);
        if (weights == null) {
            return new LoadedModel(network, architecture, options, null,
                    classNames(null, options.numClasses(), architecture.cliName()),
                    new LoadedModel.Origin(architecture.cliName(), null, null));
        }
        LoadReport report = WeightLoader.load(network, weights, mode);
        return new LoadedModel(network, architecture, options, preprocessingOf(report),
                classNames(classNames, options.numClasses(), weights.toString()),
                new LoadedModel.Origin(weights.toString(), report, null));
    }

    /** Named, else what the file's format implies: torchvision key names, or Keras HDF5's [−1, 1]; else null. */
    private Preprocessing preprocessingOf(LoadReport report) {
        String name = preprocessing;
        if (name == null && WeightFiles.isKerasHdf5(weights)) {
            name = "tf";
        } else if (name == null && report.scheme() == KeyScheme.TORCHVISION) {
            name = "torchvision";
        }
        return name == null ? null : Preprocessing.byName(name, options.inputSize());
    }

    private static Path verified(Path dir) {
        Checkpoint.verify(dir);
        return dir;
    }

    /** The given names, ImageNet-1k's for 1,000 unnamed classes, else "class 0", "class 1", .... */
    static List<String> classNames(List<String> given, int numClasses, String source) {
        if (given != null && !given.isEmpty()) {
            if (given.size() != numClasses) {
                throw new IllegalArgumentException(source + ": " + given.size() + " class names for " + numClasses
                        + " classes");
            }
            return List.copyOf(given);
        }
        if (numClasses == 1000) {
            return imagenetClasses();
        }
        return IntStream.range(0, numClasses).mapToObj(i -> "class " + i).toList();
    }

    /** Class names from a file, one per line; blank lines are skipped. */
    public static List<String> readClassNames(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class names from " + file, e);
        }
    }

    /** The 1,000 ImageNet classes in the order of torchvision's (and TF-slim's 1,000-class) weights. */
    public static List<String> imagenetClasses() {
        try (InputStream in = ModelLoader.class.getResourceAsStream(IMAGENET_CLASSES)) {
            if (in == null) {
                throw new IllegalStateException(IMAGENET_CLASSES + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
