package io.github.inception4j.cli;

import io.github.inception4j.bench.Profile;
import io.github.inception4j.models.Architecture;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inception profile}: where an inference pass spends its time, by operator and by layer. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Profile inference: libtorch's profiler by operator (share in convolution) and time per layer.")
final class ProfileCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RunOptions run;

    @Option(names = "--iters", paramLabel = "N", defaultValue = "5")
    int iters;

    @Option(names = "--trace", paramLabel = "FILE", defaultValue = "target/profile-trace.json",
            description = "Where libtorch writes its chrome://tracing file.")
    Path trace;

    @Override
    public Integer call() throws IOException {
        Architecture architecture = run.prepare();
        Profile p = Profile.run(architecture, run.batch, iters, run.rewrites(), trace);
        PrintWriter out = spec.commandLine().getOut();
        double opTotal = p.byOperator().values().stream().mapToDouble(Double::doubleValue).sum();
        out.printf("%s, batch %d%s: %.1f ms per pass (sum of layers); operators called: %.1f ms; "
                + "convolution %.1f%%, everything else %.1f%%%n", run.model, run.batch,
                run.rewrites().any() ? ", " + run.rewrites() : "",
                p.totalMs(), opTotal, 100 * p.convolutionShare(), 100 * (1 - p.convolutionShare()));
        out.println("\nby operator (ms per pass, share):");
        for (Map.Entry<String, Double> e : p.byOperator().entrySet()) {
            out.printf("  %-36s %9.2f  %5.1f%%%n", e.getKey(), e.getValue(), 100 * e.getValue() / opTotal);
        }
        out.println("\nby layer (ms per pass, share):");
        for (Map.Entry<String, Double> e : p.byLayer().entrySet()) {
            out.printf("  %-16s %9.2f  %5.1f%%%n", e.getKey(), e.getValue(), 100 * e.getValue() / p.totalMs());
        }
        double macs = architecture.spec(architecture.defaultOptions().withAuxHeads(false)).macs();
        double achieved = 2 * macs * run.batch / (p.totalMs() / 1e3) / 1e9;
        double peak = Profile.convolutionPeakGflops();
        out.printf("%nachieved %.1f GFLOP/s (2 × %.3f G multiply-adds × %d images / %.1f ms); convolution peak of "
                + "this CPU through the engine %.1f GFLOP/s (3×3, 256→256, 28×28, batch 8): %.0f%% of peak%n",
                achieved, macs / 1e9, run.batch, p.totalMs(), peak, 100 * achieved / peak);
        out.println("\ntrace: " + trace);
        out.flush();
        return 0;
    }
}
