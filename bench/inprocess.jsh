// Several inference backends alternating in one JVM (A B C, A B C, ...): no process start, JIT or page-cache
// difference between them, so the ratios spread less than bench/variants.sh's, whose backends each start a JVM.
// Prints each round's median ms per backend and, per backend, the median over rounds of its speed against the first.
//   ./mvnw -q package -DskipTests && MODEL=googlenet-torchvision BATCH=8 BACKENDS="onednn onnxruntime" \
//       jshell -R-Dai.djl.offline=true --class-path target/inception4j.jar bench/inprocess.jsh
// BACKENDS: any of onnxruntime, onnxruntime-int8, onednn, onednn-bf16, onednn-int8 (int8: calibrated min/max on
// the random input, as `inception bench` does). ROUNDS (5) and ITERS (11 timed, after 2 untimed) per round.
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.inception4j.bench.Benchmark;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.nn.LogitsSession;
import io.github.inception4j.weights.ModelLoader;
import java.util.*;

var architecture = Architecture.byName(System.getenv().getOrDefault("MODEL", "googlenet-torchvision"));
int batch = Integer.parseInt(System.getenv().getOrDefault("BATCH", "8"));
int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "5"));
int iters = Integer.parseInt(System.getenv().getOrDefault("ITERS", "11"));
var backendIds = System.getenv().getOrDefault("BACKENDS", "onednn onnxruntime").trim().split("\\s+");
var backends = Arrays.stream(backendIds).map(InferenceBackend::byId).toList();
var options = architecture.defaultOptions().withAuxHeads(false);
var manager = NDManager.newBaseManager();
ai.djl.engine.Engine.getInstance().setRandomSeed(0);
var network = ModelLoader.fresh(architecture, options).load(manager).network();
var x = manager.randomNormal(new Shape(batch, 3, options.inputSize(), options.inputSize()));
var sessions = new ArrayList<LogitsSession>();
for (var backend : backends) sessions.add(Benchmark.open(backend, network, x, 2, manager));
var input = sessions.get(0).allocateInput(batch);
input.put(x.toFloatArray()).flip();

double medianMs(LogitsSession session) {
    for (int i = 0; i < 2; i++) session.logits(input.duplicate());
    double[] ms = new double[iters];
    for (int i = 0; i < iters; i++) {
        long start = System.nanoTime();
        session.logits(input.duplicate());
        ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms[iters / 2];
}

double median(List<Double> values) {
    var sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
}

System.out.printf("%s, batch %d, 2 threads, %d rounds of %d runs; ms a batch per round:%n", architecture.cliName(),
        batch, rounds, iters);
var speedUps = new ArrayList<List<Double>>();
for (var backend : backends) speedUps.add(new ArrayList<>());
for (int round = 0; round < rounds; round++) {
    double[] ms = new double[sessions.size()];
    for (int i = 0; i < sessions.size(); i++) ms[i] = medianMs(sessions.get(i));
    var line = new StringBuilder("  round " + (round + 1) + ":");
    for (int i = 0; i < ms.length; i++) {
        line.append(String.format("  %s %.1f", backends.get(i).id(), ms[i]));
        speedUps.get(i).add(ms[0] / ms[i]);
    }
    System.out.println(line);
}
for (int i = 1; i < backends.size(); i++) {
    var ratios = speedUps.get(i).stream().map(r -> String.format("%.3f", r)).toList();
    System.out.printf("%s / %s speed: median %.3f, rounds %s%n", backends.get(i).id(), backends.get(0).id(),
            median(speedUps.get(i)), ratios);
}
sessions.forEach(LogitsSession::close);
/exit
