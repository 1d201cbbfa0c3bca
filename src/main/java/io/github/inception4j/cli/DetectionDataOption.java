package io.github.inception4j.cli;

import io.github.inception4j.detect.DetectionData;
import io.github.inception4j.detect.DetectionDataset;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data}, {@code --pictures}, {@code --split}: the annotated images a detection command reads. */
public final class DetectionDataOption {

    @Option(names = "--data", required = true, paramLabel = "SOURCE", description = "Annotated images: "
            + "coco:INSTANCES.json (pictures beside it, or --pictures), voc:ROOT, or generated[:DIR] (the generated "
            + "Fashion-MNIST detection set, written into DIR — default " + DetectionData.GENERATED_DIR
            + " — when absent).")
    String data;

    @Option(names = "--pictures", paramLabel = "DIR", description = "COCO's picture folder.")
    Path pictures;

    @Option(names = "--split", paramLabel = "NAME", description = "VOC split, or the generated set's (default: "
            + "train to train, test to evaluate).")
    String split;

    /** The data asked for; {@code defaultSplit} where --split is not given. */
    DetectionDataset open(String defaultSplit) throws IOException {
        return DetectionData.open(data, split == null ? defaultSplit : split, pictures);
    }

    /** The source as given (for reports). */
    String source() {
        return data;
    }
}
