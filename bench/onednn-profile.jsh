// Where the oneDNN backend's time goes, layer by layer, in both activation layouts (docs/benchmarks.md):
//   ./mvnw -q package -DskipTests && MODEL=inception-v3 BATCH=8 jshell -R-Dai.djl.offline=true \
//       --class-path target/inception4j.jar bench/onednn-profile.jsh
import ai.djl.ndarray.NDManager;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.onednn.*;
import io.github.inception4j.weights.ModelLoader;
import java.util.*;

var architecture = Architecture.byName(System.getenv().getOrDefault("MODEL", "googlenet-torchvision"));
int batch = Integer.parseInt(System.getenv().getOrDefault("BATCH", "8"));
var precision = Precision.byId(System.getenv().getOrDefault("PRECISION", "fp32"));
var options = architecture.defaultOptions().withAuxHeads(false);
try (NDManager manager = NDManager.newBaseManager()) {
    var network = ModelLoader.fresh(architecture, options).load(manager).network();
    for (Layout layout : Layout.values()) {
        try (OneDnnNetwork compiled = OneDnnNetwork.compile(network, precision, layout, 2)) {
            var input = compiled.allocateInput(batch);
            var random = new Random(0);
            while (input.hasRemaining()) input.put((float) random.nextGaussian());
            input.flip();
            var times = compiled.profile(input, 5);
            double total = times.values().stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf("%s %s batch %d %s: %.1f ms per batch, %.1f images/s, arena %.0f MiB%n",
                    architecture.cliName(), precision.id(), batch, layout, total, batch * 1000 / total,
                    compiled.arenaBytes() / 1048576.0);
            times.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder())).limit(12)
                    .forEach(e -> System.out.printf("  %6.2f ms  %s%n", e.getValue(), e.getKey()));
            Map<String, Double> byKind = new TreeMap<>();
            times.forEach((k, v) -> byKind.merge(k.substring(k.indexOf(": ") + 2), v, Double::sum));
            System.out.println("  by implementation: " + byKind);
        }
    }
}
/exit
