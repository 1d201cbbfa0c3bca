package io.github.inception4j.detect;

import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.train.Demo;
import io.github.inception4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The detection demo: a Fashion-MNIST classifier first (the {@code inception demo} network, trained on the jar's
 * subset: what R-CNN and MultiBox do with an ImageNet classifier, both stages start from it), then P1 §8's two
 * stages trained on the generated set (written into {@code dir/data}; its training canvases hold the subset's
 * training items, its test canvases the test items; nothing is downloaded), the detector scored on the 500 test
 * canvases, a report with pictures written.
 */
public final class DetectionDemo {

    /** What the demo found, and where it put it. */
    public record Result(DetectionEvaluation evaluation, Path detector, Path report) {
    }

    private DetectionDemo() {
    }

    /** The training canvases the demo uses: MultiBox trains on these, the region classifiers on the first 400. */
    public static final int CANVASES = 1000;

    /**
     * What the demo trains within its 15 minutes: {@link DetectorTraining#defaults} with region crops of 400
     * canvases (all 3,000 take the region classifier alone ~14 minutes).
     */
    public static DetectorTraining training() {
        return DetectorTraining.defaults().withRegionImages(400);
    }

    /** @param backboneEpochs epochs of the Fashion-MNIST classifier both stages start from; 0: none, from scratch */
    public static Result run(Path dir, DetectorTraining training, int backboneEpochs,
                             DetectorTraining.Progress progress) throws IOException {
        String data = "generated:" + dir.resolve("data");
        DetectionDataset all = DetectionData.open(data, "train", null);
        DetectionDataset train = DetectionDataset.first(all, Math.min(CANVASES, all.size()));
        DetectionDataset test = DetectionData.open(data, "test", null);
        if (backboneEpochs > 0) {
            progress.stage("the backbone: a Fashion-MNIST classifier, " + backboneEpochs + " epochs");
            Path backbone = dir.resolve("backbone");
            Demo.run(backbone, backboneEpochs, progress.classifier(0));
            training = training.initialisedFrom(backbone.resolve(Trainer.MODEL).toString());
        }
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
