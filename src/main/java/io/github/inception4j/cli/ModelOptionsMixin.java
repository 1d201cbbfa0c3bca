package io.github.inception4j.cli;

import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import picocli.CommandLine.Option;

/** The model options every command that builds a network takes; unset options keep the layout's defaults. */
final class ModelOptionsMixin {

    @Option(names = "--input-size", paramLabel = "N", description = "Square input size (default: the model's).")
    Integer inputSize;

    @Option(names = "--num-classes", paramLabel = "K", description = "Classifier width (default: 1000).")
    Integer numClasses;

    @Option(names = "--no-aux", description = "Build without the auxiliary classifiers.")
    boolean noAux;

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout before the classifier (default: the layout's).")
    Double dropout;

    @Option(names = "--aux-dropout", paramLabel = "P", description = "Dropout inside the auxiliary heads.")
    Double auxDropout;

    @Option(names = "--transform-input", description = "torchvision's transform_input: ImageNet-normalised input "
            + "is mapped to [-1, 1] first.")
    boolean transformInput;

    @Option(names = "--width", paramLabel = "M", description = "Width multiplier: every filter count d becomes "
            + "max(floor(d*M), 16) (default: 1).")
    Double width;

    ModelOptions resolve(Architecture architecture) {
        ModelOptions o = architecture.defaultOptions();
        if (inputSize != null) {
            o = o.withInputSize(inputSize);
        }
        if (numClasses != null) {
            o = o.withNumClasses(numClasses);
        }
        if (dropout != null) {
            o = o.withDropout(dropout);
        }
        if (auxDropout != null) {
            o = o.withAuxDropout(auxDropout);
        }
        if (width != null) {
            o = o.withWidthMultiplier(width);
        }
        return o.withAuxHeads(!noAux).withTransformInput(transformInput);
    }
}
