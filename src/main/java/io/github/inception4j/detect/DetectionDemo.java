package io.github.inception4j.detect;

import io.github.inception4j.nn.InferenceBackend;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The detection demo: P1 §8's two stages trained on the generated set (written into {@code dir/data}; the
 * Fashion-MNIST items come from the jar, nothing is downloaded), the detector scored on the 500 test canvases,
 * a report with pictures written — about ten minutes on two cores.
 */
public final class DetectionDemo {

    /** What the demo found, and where it put it. */
    public record Result(DetectionEvaluation evaluation, Path detector, Path report) {
    }

    private DetectionDemo() {
    }

    public static Result run(Path dir, DetectorTraining training, DetectorTraining.Progress progress)
            throws IOException {
        String data = "generated:" + dir.resolve("data");
        DetectionDataset train = DetectionData.open(data, "train", null);
        DetectionDataset test = DetectionData.open(data, "test", null);
        Path detectorDir = training.train(train, dir.resolve("detector"), progress);
        progress.stage("scoring the detector on " + test.size() + " test canvases");
        try (ObjectDetector detector = ObjectDetector.load(detectorDir, InferenceBackend.DEFAULT)) {
            DetectionEvaluation r = DetectionEvaluation.of(detector, test, 0, i -> { });
            Path report = DetectionReport.write(dir.resolve("report"), r, detector, test, "the generated test split",
                    12);
            return new Result(r, detectorDir, report);
        }
    }
}
