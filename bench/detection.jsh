// The first end-to-end number of P1 §8's pipeline on the generated detection set (docs/detection.md):
// Selective Search proposals → R-CNN crops → a half-width GoogLeNet region classifier → NMS → VOC / COCO mAP.
//   ./mvnw -q package -DskipTests && jshell --class-path target/inception4j.jar bench/detection.jsh
// Environment: DETECTION_EPOCHS (default 10), DETECTION_TRAIN (canvases, default 400), DETECTION_DIR.
import io.github.inception4j.detect.*;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.train.*;
import java.nio.file.*;
import java.util.*;

int epochs = Integer.parseInt(System.getenv().getOrDefault("DETECTION_EPOCHS", "10"));
int trainCanvases = Integer.parseInt(System.getenv().getOrDefault("DETECTION_TRAIN", "400"));
Path dir = Path.of(System.getenv().getOrDefault("DETECTION_DIR", "/tmp/detection-run"));
var splits = GeneratedDetectionSet.write(dir.resolve("data"), trainCanvases, 500, 2026);
CocoDataset train = splits.get(0).open();
CocoDataset test = splits.get(1).open();
SelectiveSearch search = SelectiveSearch.defaults();
RegionWarp warp = RegionWarp.rcnn(40);
long t0 = System.nanoTime();
List<List<Box>> trainProposals = new ArrayList<>();
for (int i = 0; i < train.size(); i++) trainProposals.add(search.propose(train.image(i), i));
RegionCrops crops = RegionCrops.of(train, trainProposals, warp, 8, 0);
System.out.printf("%d training canvases → %d crops (%.0f s of proposals)%n", train.size(), crops.size(), (System.nanoTime() - t0) / 1e9);
Architecture arch = Architecture.byName("googlenet-torchvision");
var options = arch.defaultOptions().withNumClasses(11).withWidthMultiplier(0.5).withInputSize(40).withAuxHeads(false);
Recipe recipe = Recipes.byName("small-grayscale").with(Map.of("epochs", String.valueOf(epochs), "inputSize", "40", "validationFraction", "0"));
RunSettings settings = new RunSettings(arch.cliName(), options, recipe, RunSettings.Data.of("generated detection crops"), null, false, 0);
Path run = dir.resolve("classifier");
if (Files.exists(run)) { try (var walk = Files.walk(run)) { walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); } }
long t1 = System.nanoTime();
new Trainer(settings, crops, null, null, run, 0, new TrainingListener() {
    public void epoch(EpochMetrics m) { System.out.printf("epoch %d: train loss %.4f acc %.2f%%%n", m.epoch(), m.training().loss(), 100 * m.training().accuracy()); }
}).run(false);
System.out.printf("trained in %.1f min%n", (System.nanoTime() - t1) / 6e10);
try (ImageClassifier classifier = ImageClassifier.load(run.resolve(Trainer.MODEL))) {
    RegionDetector detector = new RegionDetector(List.of(classifier), search, warp, 100, 0.05, 0.3);
    List<List<Annotation>> truth = new ArrayList<>();
    List<List<Detection>> found = new ArrayList<>();
    long t2 = System.nanoTime();
    for (int i = 0; i < test.size(); i++) { truth.add(test.annotations(i)); found.add(detector.detect(test.image(i), 100000 + i)); }
    System.out.printf("detected %d test canvases in %.0f s%n", test.size(), (System.nanoTime() - t2) / 1e9);
    var curves = DetectionMetrics.voc(truth, found, 10, 0.5);
    for (var c : curves) System.out.printf("  %-12s AP50 %.3f%n", test.classNames().get(c.label()), c.ap());
    System.out.printf("VOC mAP50 (all-point) %.3f, (11-point) %.3f%n", DetectionMetrics.meanAp(curves, false), DetectionMetrics.meanAp(curves, true));
    System.out.println("COCO " + DetectionMetrics.coco(truth, found, 10));
}
/exit
