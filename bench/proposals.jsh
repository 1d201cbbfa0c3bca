// Proposal recall on the generated detection set's test split (docs/detection.md):
//   ./mvnw -q package -DskipTests && jshell --class-path target/inception4j.jar bench/proposals.jsh
import io.github.inception4j.detect.*;
import java.nio.file.Path;
import java.util.*;

var test = GeneratedDetectionSet.write(Path.of(System.getenv().getOrDefault("DETECTION_DIR", "/tmp/proposals")),
        0, 500, 2026).get(1).open();
List<List<Annotation>> truth = new ArrayList<>();
for (int i = 0; i < test.size(); i++) truth.add(test.annotations(i));
System.out.println(truth.stream().mapToInt(List::size).sum() + " objects on " + test.size() + " canvases");
int[] counts = {10, 50, 100, 200, Integer.MAX_VALUE};
Map<String, SelectiveSearch> methods = new LinkedHashMap<>();
methods.put("k=100", SelectiveSearch.defaults());
methods.put("k=100, P1 doubled", SelectiveSearch.defaults().p1());
methods.put("fast (k=50,100 × 2 similarities)", SelectiveSearch.fast());
methods.put("fast, P1 doubled", SelectiveSearch.fast().p1());
for (var e : methods.entrySet()) {
    List<List<Box>> proposals = new ArrayList<>();
    long t = System.nanoTime();
    for (int i = 0; i < test.size(); i++) proposals.add(e.getValue().propose(test.image(i), i));
    double ms = (System.nanoTime() - t) / 1e6 / test.size();
    System.out.printf("%-34s %6.1f proposals, %5.1f ms/image, recall@0.5 %s, @0.7 %s%n", e.getKey(),
            ProposalRecall.meanCount(proposals), ms, Arrays.toString(ProposalRecall.recall(truth, proposals, counts, 0.5)),
            Arrays.toString(ProposalRecall.recall(truth, proposals, counts, 0.7)));
}
/exit
