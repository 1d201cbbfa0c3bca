// Where the oneDNN backend's time goes, layer by layer, in both activation layouts (docs/benchmarks.md):
//   ./mvnw -q package -DskipTests && MODEL=inception-v3 BATCH=8 jshell -R-Dai.djl.offline=true \
//       --class-path target/inception4j.jar bench/onednn-profile.jsh
// PRECISION: fp32 (default), bf16 or int8; TOP: how many of the slowest steps to list (12).
import ai.djl.ndarray.NDManager;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.onednn.*;
import io.github.inception4j.weights.ModelLoader;
import java.util.*;

var architecture = Architecture.byName(System.getenv().getOrDefault("MODEL", "googlenet-torchvision"));
int batch = Integer.parseInt(System.getenv().getOrDefault("BATCH", "8"));
var precision = Precision.byId(System.getenv().getOrDefault("PRECISION", "fp32"));
int top = Integer.parseInt(System.getenv().getOrDefault("TOP", "12")); // the slowest steps listed
var options = architecture.defaultOptions().withAuxHeads(false);
try (NDManager manager = NDManager.newBaseManager()) {
    var network = ModelLoader.fresh(architecture, options).load(manager).network();
    // int8: calibrated at min/max on the random input it then runs (a profile times kernels, not accuracy).
    var folded = io.github.inception4j.nn.InferenceOptimizer.foldBatchNorm(network, manager);
    int side = options.inputSize();
    var sample = manager.randomNormal(new ai.djl.ndarray.types.Shape(batch, 3, side, side)).toFloatArray();
    var calibration = precision != Precision.INT8 ? null : io.github.inception4j.onnx.Calibrator.calibrate(folded,
            b -> b.accept(java.nio.FloatBuffer.wrap(sample)), io.github.inception4j.onnx.Calibration.Method.MINMAX,
            "random", 2);
    for (Layout layout : precision == Precision.INT8 ? List.of(Layout.NHWC) : List.of(Layout.values())) {
        try (OneDnnNetwork compiled = precision == Precision.INT8 ? OneDnnNetwork.compileInt8(folded, calibration, 2)
                : OneDnnNetwork.compile(network, precision, layout, 2)) {
            var input = compiled.allocateInput(batch);
            var random = new Random(0);
            while (input.hasRemaining()) input.put((float) random.nextGaussian());
            input.flip();
            var times = compiled.profile(input, 5);
            double total = times.values().stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf("%s %s batch %d %s: %.1f ms per batch, %.1f images/s, arena %.0f MiB%n",
                    architecture.cliName(), precision.id(), batch, layout, total, batch * 1000 / total,
                    compiled.arenaBytes() / 1048576.0);
            times.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder())).limit(top)
                    .forEach(e -> System.out.printf("  %6.2f ms  %s%n", e.getValue(), e.getKey()));
            Map<String, Double> byKind = new TreeMap<>();
            times.forEach((k, v) -> byKind.merge(k.substring(k.indexOf(": ") + 2), v, Double::sum));
            System.out.println("  by implementation: " + byKind);
        }
    }
}
/exit
