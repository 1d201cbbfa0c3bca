package io.github.inception4j.cli;

import com.google.gson.Gson;
import io.github.inception4j.bench.Benchmark;
import io.github.inception4j.models.Architecture;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inception bench}: the same measurement as shared/bench/torchvision_bench.py, on our engine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time inference or a training step (median of --iters after --warmup); prints JSON with "
                + "--json, the fields of torchvision_bench.py plus peak RSS.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M")
    String model;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "8")
    int batch;

    @Option(names = "--mode", paramLabel = "infer|train", defaultValue = "infer")
    String mode;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "Intra-op threads (applied when the engine starts).")
    int threads;

    @Option(names = "--iters", paramLabel = "N", defaultValue = "10")
    int iters;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "2")
    int warmup;

    @Option(names = "--input-size", paramLabel = "S", defaultValue = "0")
    int inputSize;

    @Option(names = "--fold-bn", description = "Fold BatchNorm into the convolutions first (inference only).")
    boolean foldBatchNorm;

    @Option(names = "--json", description = "One JSON line instead of a sentence.")
    boolean json;

    @Override
    public Integer call() {
        if (!mode.equals("infer") && !mode.equals("train")) {
            throw new IllegalArgumentException("--mode must be infer or train, was " + mode);
        }
        // Read once when the PyTorch engine starts: must be set before the first DJL call.
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        Map<String, Object> result = Benchmark.run(new Benchmark.Settings(Architecture.byName(model), batch,
                mode.equals("train"), threads, iters, warmup, inputSize, foldBatchNorm));
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(new Gson().toJson(result));
        } else {
            out.printf("%s %s batch %d at %d: median %.1f ms, %.2f images/s, peak RSS %.0f MiB%n", result.get("model"),
                    result.get("mode"), batch, (int) result.get("size"), (double) result.get("median_ms"),
                    (double) result.get("images_per_s"), (double) result.get("peak_rss_mb"));
        }
        out.flush();
        return 0;
    }
}
