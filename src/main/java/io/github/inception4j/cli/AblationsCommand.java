package io.github.inception4j.cli;

import io.github.inception4j.train.Ablations;
import io.github.inception4j.weights.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inception ablations}: {@link Ablations#table} and {@link Ablations#plot} of a log of seeded runs. */
@Command(name = "ablations", mixinStandardHelpOptions = true,
        description = "Summarise seeded runs of a recipe and its variants (bench/ablations.sh's log): mean ± sd of "
                + "validation accuracy per variant as a Markdown table, each difference from the baseline judged "
                + "against the seeds' spread (mean ± sd intervals that do not overlap); optionally drawn as SVG.")
final class AblationsCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--log", required = true, paramLabel = "FILE", description = "One JSON object a run: variant, "
            + "change, val_accuracy, minutes.")
    Path log;

    @Option(names = "--baseline", paramLabel = "NAME", defaultValue = "baseline",
            description = "The variant the others are compared with (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(names = "--svg", paramLabel = "FILE", description = "Also draw every seed and each mean ± sd here.")
    Path svg;

    @Override
    public Integer call() throws Exception {
        List<Ablations.Variant> variants = Ablations.read(log);
        var out = spec.commandLine().getOut();
        out.print(Ablations.table(variants, baseline));
        out.flush(); // print does not flush an auto-flushing writer
        if (svg != null) {
            Checkpoint.writeAtomically(svg, Ablations.plot(variants, baseline, "Recipe ablations: validation "
                    + "accuracy by seed").getBytes(StandardCharsets.UTF_8));
        }
        return 0;
    }
}
