package io.github.inception4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it: output, the JSON contract, exit codes. */
class CliTest {

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = InceptionCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void describeJsonIsTheContract() {
        Result r = run("describe", "googlenet-torchvision", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("googlenet-torchvision", json.get("model").getAsString());
        assertEquals(224, json.get("inputSize").getAsInt());
        assertEquals(1000, json.get("numClasses").getAsInt());
        assertEquals(13_004_888, json.get("params").getAsLong());
        assertEquals(6_624_904, json.get("paramsWithoutAux").getAsLong());
        assertEquals(1_498_376_000, json.get("macs").getAsLong(), 1_498_376);
        JsonObject conv1 = json.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertEquals("conv1", conv1.get("name").getAsString());
        assertEquals("convolution", conv1.get("type").getAsString());
        assertEquals("[64,112,112]", conv1.get("outputShape").toString());
        assertEquals(9_536, conv1.get("params").getAsLong());
        assertEquals(118_013_952, conv1.get("macs").getAsLong());
    }

    @Test
    void describeTakesModelOptions() {
        Result r = run("describe", "googlenet-torchvision", "--json", "--no-aux", "--num-classes", "10",
                "--input-size", "96");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(json.get("paramsWithoutAux").getAsLong(), json.get("params").getAsLong());
        assertEquals(10, json.get("numClasses").getAsInt());
        assertEquals(96, json.get("inputSize").getAsInt());
    }

    @Test
    void describePaperLayoutPrintsThePapersFiguresAndFlagsDisagreements() {
        Result r = run("describe", "googlenet");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("P1 params"), r.out());
        assertTrue(r.out().contains("inception (5a): printed 1072.0K / 54.0M, recomputed 1018.0K / 51.1M"), r.out());
        assertTrue(r.out().contains("13,378,280"), r.out());
    }

    @Test
    void helpGivesEveryCommandOneWholeSentence() {
        // `inception --help` lists each command with the first line of its description: one whole sentence.
        var commands = new picocli.CommandLine(new InceptionCli()).getSubcommands();
        assertTrue(commands.size() >= 14, commands.keySet().toString());
        commands.forEach((name, command) -> {
            String summary = command.getCommandSpec().usageMessage().description()[0];
            assertTrue(summary.endsWith(".") && Character.isUpperCase(summary.charAt(0)), name + ": " + summary);
        });
        Result r = run("--help");
        assertEquals(0, r.exitCode(), r.err());
        // Wrapped to the terminal's width after the longest command name (evaluate-detection).
        assertTrue(r.out().replaceAll("\\s+", " ").contains("Serve a classifier over HTTP, batching requests "
                + "dynamically."), r.out());
    }

    @Test
    void ablationsPrintsTheTableAndDrawsIt(@TempDir Path dir)
            throws Exception {
        Path log = Files.write(dir.resolve("ablations.jsonl"), List.of(
                "{\"variant\":\"baseline\",\"change\":\"\",\"val_accuracy\":0.9,\"minutes\":3}",
                "{\"variant\":\"baseline\",\"change\":\"\",\"val_accuracy\":0.8,\"minutes\":3}",
                "{\"variant\":\"wide\",\"change\":\"--width 1\",\"val_accuracy\":0.85,\"minutes\":5}"));
        Path svg = dir.resolve("plot.svg");
        Result r = run("ablations", "--log", log.toString(), "--svg", svg.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("| baseline | – | 2 | 85.00 ± 7.07 |"), r.out());
        assertTrue(r.out().contains("| wide | `--width 1` | 1 |") && r.out().contains("not judged"), r.out());
        assertTrue(Files.readString(svg).startsWith("<svg"));
        r = run("ablations", "--log", log.toString(), "--baseline", "narrow");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no runs of the baseline 'narrow'"), r.err());
    }

    @Test
    void modelsListsTheRegistry() {
        Result r = run("models");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("googlenet-torchvision") && r.out().contains("13,004,888"), r.out());
    }

    @Test
    void errorsAreOneClearLineAndExitCodeOne() {
        Result unknown = run("describe", "resnet50");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().startsWith("error: unknown model 'resnet50'; known models: googlenet"), unknown.err());
        Result tooSmall = run("describe", "googlenet-torchvision", "--input-size", "10");
        assertEquals(1, tooSmall.exitCode());
        assertTrue(tooSmall.err().contains("smallest input googlenet-torchvision admits is 15×15"), tooSmall.err());
        assertEquals(2, run("describe").exitCode(), "missing MODEL is a usage error");
    }
}
