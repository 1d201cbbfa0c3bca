package io.github.inception4j.cli;

import io.github.inception4j.train.Demo;
import io.github.inception4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inception demo}: {@link Demo#run}. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Train a half-width GoogLeNet on 40×40 "
        + "Fashion-MNIST (the subset shipped in the jar), test it, and write a report: about five minutes on two "
        + "cores, offline.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-run",
            description = "Run directory; if it exists, demo-run-2, -3, … is used (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + Demo.EPOCHS)
    int epochs;

    @Override
    public Integer call() throws IOException {
        var stdout = spec.commandLine().getOut();
        Path dir = Demo.freshDirectory(out);
        long start = System.nanoTime();
        Trainer trainer = Demo.trainer(dir, epochs, new ConsoleProgress(stdout, spec.commandLine().getErr(),
                System.console() != null));
        Trainer.Result result = TrainCommand.runWithInterruptHandling(trainer, false);
        if (result.outcome() == Trainer.Outcome.COMPLETED) {
            stdout.println(String.format(Locale.ROOT, "demo: test accuracy %.2f%% on %d images after %d epochs "
                    + "(%.1f min)", 100 * result.test().accuracy(), result.test().count(), epochs,
                    (System.nanoTime() - start) / 6e10));
        }
        stdout.println("report: " + dir.resolve("report.html") + "; model: " + dir.resolve(Trainer.MODEL));
        return 0;
    }
}
