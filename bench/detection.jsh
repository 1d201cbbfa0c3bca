// P1 Table 5 → Table 4 on the generated detection set (docs/detection.md): trains a detector (MultiBox, then
// region classifiers on Selective Search + MultiBox proposals) and scores it with Selective Search alone, MultiBox
// alone and their union, with one classifier and with the ensemble.
//   ./mvnw -q package -DskipTests && jshell --class-path target/inception4j.jar -R-Dai.djl.offline=true bench/detection.jsh
// Environment: DETECTION_DIR (default /tmp/detection-run), CLASSIFIERS (3), REGION_EPOCHS (8), MULTIBOX_EPOCHS (20),
// INIT (a Fashion-MNIST classifier checkpoint both stages start from, e.g. the demo's demo-run/model; default none),
// LABELLING ("positive,background" IoUs of the region crops; default 0.7,0.5), REGION_IMAGES (default all; the demo's 400),
// CANVASES (training canvases used, default all 3,000; the demo's 1,000), BOX_REGRESSION (set: fit R-CNN's box
// regression too, and score the union with and without it), DIVERSIFIED (set: Selective Search's fast mode, two scales and
// two similarities), REFINE (set: train the box refiner and classify refined proposals; REFINER_INIT: the checkpoint it
// starts from, default INIT). A directory already holding multibox/ (refiner/, classifiers/1 …) keeps those networks.
import io.github.inception4j.detect.*;
import io.github.inception4j.nn.InferenceBackend;
import java.nio.file.*;
import java.util.*;

Path dir = Path.of(System.getenv().getOrDefault("DETECTION_DIR", "/tmp/detection-run"));
int members = Integer.parseInt(System.getenv().getOrDefault("CLASSIFIERS", "3"));
int regionEpochs = Integer.parseInt(System.getenv().getOrDefault("REGION_EPOCHS", "8"));
int multiBoxEpochs = Integer.parseInt(System.getenv().getOrDefault("MULTIBOX_EPOCHS", "20"));
var allTrain = DetectionData.open("generated:" + dir.resolve("data"), "train", null);
int canvases = Integer.parseInt(System.getenv().getOrDefault("CANVASES", "" + allTrain.size()));
var train = DetectionDataset.first(allTrain, canvases);
var test = DetectionData.open("generated:" + dir.resolve("data"), "test", null);
Path detectorDir = dir.resolve("detector");
long t0 = System.nanoTime();
if (!Files.exists(detectorDir.resolve(ObjectDetector.FILE))) {
    DetectorTraining training = DetectorTraining.defaults().withClassifiers(members, regionEpochs)
            .withMultiBox(MultiBoxTraining.Settings.defaults().withEpochs(multiBoxEpochs));
    if (System.getenv("REGION_IMAGES") != null) training = training.withRegionImages(Integer.parseInt(System.getenv("REGION_IMAGES")));
    if (System.getenv("BOX_REGRESSION") != null) training = training.withDetector(training.detector().withBoxRegression(true));
    if (System.getenv("INIT") != null) training = training.initialisedFrom(System.getenv("INIT"));
    if (System.getenv("DIVERSIFIED") != null) training = training.withDetector(training.detector().withSelectiveSearch(true, true));
    if (System.getenv("REFINE") != null) training = training.withDetector(training.detector().withRefinement(true));
    if (System.getenv("REFINER_INIT") != null) training = training.withRefiner(training.refiner().withInit(System.getenv("REFINER_INIT")));
    if (System.getenv("LABELLING") != null) {
        String[] iou = System.getenv("LABELLING").split(",");
        training = training.withLabelling(new RegionCrops.Labelling(Double.parseDouble(iou[0]), Double.parseDouble(iou[1])));
    }
    training.train(train, detectorDir, new DetectorTraining.Progress() {
                public void stage(String text) { System.out.printf("[%.1f min] %s%n", (System.nanoTime() - t0) / 6e10, text); }
                public void multiBoxEpoch(RegressionTraining.Epoch e) { System.out.printf("  multibox epoch %d/%d loss %.3f (%.0f img/s)%n", e.epoch(), e.epochs(), e.loss(), e.imagesPerSecond()); }
                public void refinerEpoch(RegressionTraining.Epoch e) { System.out.printf("  refiner epoch %d/%d loss %.3f, %.1f%% to IoU ≥ 0.7 (%.0f crops/s)%n", e.epoch(), e.epochs(), e.loss(), 100 * e.correct(), e.imagesPerSecond()); }
                public io.github.inception4j.train.TrainingListener classifier(int m) {
                    return new io.github.inception4j.train.TrainingListener() {
                        public void epoch(io.github.inception4j.train.EpochMetrics x) { System.out.printf("  classifier %d epoch %d loss %.4f acc %.2f%%%n", m, x.epoch(), x.training().loss(), 100 * x.training().accuracy()); }
                    };
                }
            });
    System.out.printf("trained in %.1f min%n", (System.nanoTime() - t0) / 6e10);
}
try (ObjectDetector detector = ObjectDetector.load(detectorDir, InferenceBackend.DEFAULT)) {
    var p1 = detector.settings();
    Map<String, ObjectDetector> rows = new LinkedHashMap<>();
    rows.put("Selective Search (doubled), 1 classifier", detector.withFirstClassifiers(1, p1.withProposals(100, 0)));
    rows.put("Selective Search (k = 100), 1 classifier", detector.withFirstClassifiers(1,
            p1.withProposals(100, 0).withSelectiveSearch(false, p1.diversified())));
    rows.put("MultiBox 200, 1 classifier", detector.withFirstClassifiers(1, p1.withProposals(0, 200)));
    rows.put("union, 1 classifier", detector.withFirstClassifiers(1, p1));
    if (detector.ensembleSize() > 1) rows.put("union, ensemble of " + detector.ensembleSize(), detector);
    if (p1.boxRegression()) rows.put("union, 1 classifier, no box regression", detector.withFirstClassifiers(1, p1.withBoxRegression(false)));
    if (p1.refine()) rows.put("union, 1 classifier, not refined", detector.withFirstClassifiers(1, p1.withRefinement(false)));
    if (p1.refine() && p1.boxRegression()) rows.put("union, 1 classifier, neither", detector.withFirstClassifiers(1, p1.withRefinement(false).withBoxRegression(false)));
    for (var e : rows.entrySet()) {
        DetectionEvaluation r = DetectionEvaluation.of(e.getValue(), test, 0, i -> { });
        System.out.printf("%-44s proposals %.1f recall@0.5 %.3f @0.7 %.3f | VOC mAP50 %.3f (11-pt %.3f) | COCO AP %.3f AP50 %.3f AP75 %.3f | %.0f s%n",
                e.getKey(), r.proposalsPerImage(), r.recall50(), r.recall70(), r.map(), r.map11(), r.coco().ap(), r.coco().ap50(), r.coco().ap75(), r.seconds());
    }
}
/exit
