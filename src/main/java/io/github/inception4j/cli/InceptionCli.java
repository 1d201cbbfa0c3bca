package io.github.inception4j.cli;

import io.github.inception4j.describe.Describer;
import io.github.inception4j.describe.Description;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.spec.NetworkSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inception}: a thin command line over the Java API. Every subcommand is a few calls a user can make.
 * Exit codes: 0 success, 1 a clear error (message on stderr), 2 a usage error.
 */
@Command(name = "inception", mixinStandardHelpOptions = true, versionProvider = InceptionCli.Version.class,
        description = "GoogLeNet and Inception-v2/v3, exactly as published and as torchvision ships them.",
        subcommands = {InceptionCli.Models.class, InceptionCli.Describe.class, InceptionCli.Deviations.class,
                WeightsCommands.Convert.class, WeightsCommands.Forward.class, BenchCommand.class,
                ProfileCommand.class, TrainCommand.class, DemoCommand.class, EvalCommands.Predict.class,
                EvalCommands.Evaluate.class, EvalCommands.Features.class, ServeCommands.Serve.class,
                ServeCommands.Load.class, QuantizeCommand.class, DetectCommands.Train.class,
                DetectCommands.Detect.class, DetectCommands.Evaluate.class, DetectionDemoCommand.class,
                AblationsCommand.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:error (the message says what and where)", "2:invalid usage"})
public final class InceptionCli implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (what the tests call). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(new InceptionCli(), args, out, err);
    }

    /**
     * Runs a command line whose top command is {@code command} ({@code inception}, or a launcher built on its
     * commands such as {@code inception-spark}): a clear error is printed as one line and exits 1.
     */
    public static int run(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version Maven filtered into the jar's resources. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = InceptionCli.class.getResourceAsStream("/inception4j-version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"inception4j " + properties.getProperty("version", "unknown")};
        }
    }

    @Command(name = "models", mixinStandardHelpOptions = true,
            description = "List the registry: name, input size, parameters, multiply-adds.")
    static final class Models implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-24s %6s %14s %14s %16s  %s%n", "model", "input", "params", "params (no aux)",
                    "multiply-adds", "description");
            for (Architecture a : Architecture.values()) {
                NetworkSpec s = a.spec();
                out.printf("%-24s %6d %,14d %,14d %,16d  %s%n", a.cliName(), s.input().height(), s.params(),
                        s.paramsWithoutAux(), s.macs(), a.description());
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Print a model layer by layer in the form of the paper's table, or as JSON.")
    static final class Describe implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL", description = "A name from `inception models`.")
        String model;

        @Mixin
        ModelOptionsMixin options;

        @Option(names = "--json", description = "Print the JSON contract instead of the table.")
        boolean json;

        @Override
        public Integer call() {
            Architecture architecture = Architecture.byName(model);
            var resolved = options.resolve(architecture);
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? Describer.json(Description.of(architecture, resolved)) + "\n"
                    : Describer.table(architecture, resolved));
            out.flush();
            return 0;
        }
    }

    @Command(name = "deviations", mixinStandardHelpOptions = true,
            description = "Print docs/paper-deviations.md: every layout's documented deviations from its paper.")
    static final class Deviations implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(Describer.deviationsMarkdown());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
