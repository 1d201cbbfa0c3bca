package io.github.inception4j.cli;

import com.google.gson.Gson;
import io.github.inception4j.bench.Benchmark;
import io.github.inception4j.nn.InferenceBackend;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inception bench}: the same measurement as shared/bench/torchvision_bench.py, on our engine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time inference or a training step (median of --iters after --warmup); prints JSON with "
                + "--json, the fields of torchvision_bench.py plus peak RSS.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RunOptions run;

    @Option(names = "--mode", paramLabel = "infer|train", defaultValue = "infer")
    String mode;

    @Option(names = "--iters", paramLabel = "N", defaultValue = "10")
    int iters;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "2")
    int warmup;

    @Option(names = "--input-size", paramLabel = "S", defaultValue = "0")
    int inputSize;

    @Mixin
    BackendOption backend;

    @Option(names = "--json", description = "One JSON line instead of a sentence.")
    boolean json;

    @Override
    public Integer call() {
        if (!mode.equals("infer") && !mode.equals("train")) {
            throw new IllegalArgumentException("--mode must be infer or train, was " + mode);
        }
        Map<String, Object> result = Benchmark.run(new Benchmark.Settings(run.prepare(), run.batch, inputSize,
                mode.equals("train"), new Benchmark.Repeats(warmup, iters),
                new Benchmark.Execution(run.threads, run.rewrites(),
                        mode.equals("train") ? backend.backendOr(InferenceBackend.DJL) : backend.backend())));
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(new Gson().toJson(result));
        } else {
            out.printf("%s %s (%s) batch %d at %d: median %.1f ms, %.2f images/s, peak RSS %.0f MiB%n",
                    result.get("model"), result.get("mode"), result.get("backend"), run.batch,
                    (int) result.get("size"), (double) result.get("median_ms"), (double) result.get("images_per_s"),
                    (double) result.get("peak_rss_mb"));
        }
        out.flush();
        return 0;
    }
}
