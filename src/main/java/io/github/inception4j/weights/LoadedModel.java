package io.github.inception4j.weights;

import io.github.inception4j.data.Preprocessing;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import java.util.List;

/**
 * A network as {@link ModelLoader} made it: initialised, with its weights loaded (or freshly initialised), and
 * everything that belongs to those weights — the architecture and options it was built from, the preprocessing
 * its images need, its class names and where it came from. timm's {@code build_model_with_cfg} result and
 * torchvision's {@code Weights} entry in one value.
 *
 * @param preprocessing how images must be prepared for these weights; null for fresh weights or a bare file whose
 *                      format does not say (see {@link #requirePreprocessing})
 * @param classNames one name per class, in index order
 */
public record LoadedModel(InceptionNetwork network, Architecture architecture, ModelOptions options,
                          Preprocessing preprocessing, List<String> classNames, Origin origin) {

    /**
     * Where the weights came from.
     *
     * @param source the checkpoint or file, or the architecture's name for fresh weights (for messages)
     * @param report what loading matched, or null for fresh weights
     * @param metadata the checkpoint's metadata when the weights came from a checkpoint, else null
     */
    public record Origin(String source, LoadReport report, Checkpoint.Metadata metadata) {
    }

    public String source() {
        return origin.source();
    }

    /** The preprocessing, or a refusal that tells the user to name one. */
    public Preprocessing requirePreprocessing() {
        if (preprocessing == null) {
            throw new IllegalArgumentException(source() + " does not say how its images were prepared: name the "
                    + "preprocessing (" + String.join(", ", Preprocessing.NAMES) + ")");
        }
        return preprocessing;
    }
}
