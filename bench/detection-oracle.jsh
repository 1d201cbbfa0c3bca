// What limits a detector (docs/detection.md, "What limits mAP"): its region classifiers scored on the annotated
// boxes themselves (every object one exact box, nothing else proposed), on those boxes added to Selective Search's,
// and on Selective Search's alone; and the top-1 of the classifiers on the exact boxes.
//   ./mvnw -q package -DskipTests && DIR=/tmp/detection-run jshell --class-path target/inception4j.jar -R-Dai.djl.offline=true bench/detection-oracle.jsh
// DIR holds data/ (the generated set) and detector/, as bench/detection.jsh leaves them.
import io.github.inception4j.detect.*;
import io.github.inception4j.nn.InferenceBackend;
import java.nio.file.*;
import java.util.*;
Path dir = Path.of(System.getenv().getOrDefault("DIR", "/tmp/detection-run"));
var test = DetectionData.open("generated:" + dir.resolve("data"), "test", null);
var detector = ObjectDetector.load(dir.resolve("detector"), InferenceBackend.DEFAULT);
var search = detector.withFirstClassifiers(detector.ensembleSize(), detector.settings().withProposals(100, 0));
List<List<Annotation>> truth = new ArrayList<>();
List<List<Detection>> exact = new ArrayList<>(), exactAndSearch = new ArrayList<>(), searchOnly = new ArrayList<>();
int named = 0, objects = 0;
for (int i = 0; i < test.size(); i++) {
    var image = test.image(i);
    List<Annotation> annotations = test.annotations(i);
    truth.add(annotations);
    List<Box> boxes = new ArrayList<>();
    for (Annotation a : annotations) boxes.add(a.box());
    List<Box> proposals = search.proposals(image);
    List<Box> both = new ArrayList<>(boxes);
    both.addAll(proposals);
    exact.add(search.detect(image, boxes));
    exactAndSearch.add(search.detect(image, both));
    searchOnly.add(search.detect(image, proposals));
    for (Annotation a : annotations) {
        List<Box> one = new ArrayList<>();
        one.add(a.box());
        Optional<Detection> best = search.detect(image, one).stream().max(Comparator.comparingDouble(Detection::score));
        objects++;
        if (best.isPresent() && best.get().label() == a.label()) named++;
    }
}
Map<String, List<List<Detection>>> rows = new LinkedHashMap<>();
rows.put("exact boxes", exact);
rows.put("exact boxes + Selective Search", exactAndSearch);
rows.put("Selective Search", searchOnly);
for (var e : rows.entrySet()) {
    var curves = DetectionMetrics.voc(truth, e.getValue(), test.classNames().size(), 0.5);
    System.out.printf("%-32s VOC mAP50 %.3f  per class %s%n", e.getKey(), DetectionMetrics.meanAp(curves, false),
            curves.stream().map(c -> String.format("%.2f", c.ap())).toList());
}
System.out.printf("top-1 on the exact boxes: %.1f%% (%d of %d)%n", 100.0 * named / objects, named, objects);
/exit
