package io.github.inception4j.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.inception4j.cli.InceptionCli;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.eval.CropProtocol;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.serve.TestModels;
import io.github.inception4j.spark.InceptionSparkCli;
import io.github.inception4j.weights.Tensor;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InceptionOutputs;
import io.github.inception4j.spec.NetworkSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's examples run: its {@code sh} CLI lines exit 0, its {@code console} lines (which need the reader's
 * own weight files) parse, and its Java block is this test's code, verbatim.
 */
class ReadmeTest {

    private static String readme() throws IOException {
        return Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    }

    private static List<String> fencedBlocks(String markdown, String language) {
        List<String> blocks = new ArrayList<>();
        String fence = "```" + language + "\n";
        int start = markdown.indexOf(fence);
        while (start >= 0) {
            int end = markdown.indexOf("```", start + fence.length());
            blocks.add(markdown.substring(start + fence.length(), end));
            start = markdown.indexOf(fence, end + 3);
        }
        return blocks;
    }

    @Test
    void readmeOpensWithTheTwoSetUpCommands() throws IOException {
        List<String> first = fencedBlocks(readme(), "sh").get(0).lines().toList();
        assertEquals(2, first.size());
        assertTrue(first.get(0).startsWith("./inception "));
        assertTrue(first.get(1).startsWith("./mvnw -B test"));
        String ci = Files.readString(Path.of(".ci/run"), StandardCharsets.UTF_8);
        assertTrue(ci.contains("./mvnw -B test"), ".ci/run must call the README's test command");
    }

    @TempDir
    Path demoDir;

    @Test
    void everyCliLineInTheReadmeRuns() throws IOException {
        List<String> lines = fencedBlocks(readme(), "sh").stream().flatMap(String::lines)
                .map(l -> l.replaceAll("\\s+#.*$", "").trim())
                .filter(l -> l.startsWith("./inception ")).toList();
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            String[] args = Arrays.stream(line.substring("./inception ".length()).split("\\s+"))
                    .toArray(String[]::new);
            if (args[0].equals("demo")) {
                // The full demo (about five minutes) is what .ci/run runs; here one epoch shows the wiring works.
                args = new String[] {"demo", "--epochs", "1", "--out", demoDir.resolve("demo").toString()};
            }
            StringWriter err = new StringWriter();
            int code = InceptionCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertEquals(0, code, line + ": " + err);
        }
    }

    /** The malloc setting the README tells embedders to use is the one the launcher sets (decisions.md #22). */
    @Test
    void readmeMallocSettingIsTheLaunchers() throws IOException {
        String prefix = "export GLIBC_TUNABLES=";
        String readmeValue = fencedBlocks(readme(), "sh").stream().flatMap(String::lines)
                .filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
        String launcher = Files.readString(Path.of("inception"), StandardCharsets.UTF_8);
        assertTrue(launcher.contains("export GLIBC_TUNABLES=\"${GLIBC_TUNABLES-" + readmeValue + "}\""),
                "the README's GLIBC_TUNABLES differs from the launcher's default: " + readmeValue);
    }

    /**
     * The examples that need the reader's own weight files or cluster: they cannot run here, but they must parse
     * ({@code ./inception} and {@code ./inception-spark} lines).
     */
    @Test
    void everyConsoleLineInTheReadmeParses() throws IOException {
        List<String> lines = fencedBlocks(readme(), "console").stream().flatMap(String::lines)
                .filter(l -> l.startsWith("./inception")).toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("./inception ")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("./inception-spark ")));
        for (String line : lines) {
            boolean spark = line.startsWith("./inception-spark ");
            String[] args = line.substring(line.indexOf(' ') + 1).split("\\s+");
            // Throws on an unknown option or command.
            new picocli.CommandLine(spark ? new InceptionSparkCli() : new InceptionCli()).parseArgs(args);
        }
    }

    /**
     * The README's {@code index}-th Java block is the code between {@code // MARKER:begin} and {@code // MARKER:end}
     * here; the README closes the try block that the test keeps open for its assertions.
     */
    private static void assertReadmeBlockIsThisCode(int index, String marker) throws IOException {
        String example = fencedBlocks(readme(), "java").get(index);
        String source = Files.readString(Path.of("src/test/java/io/github/inception4j/docs/ReadmeTest.java"));
        String begin = "// " + marker + ":begin\n";
        String body = source.substring(source.indexOf(begin) + begin.length(),
                source.lastIndexOf("        // " + marker + ":end"));
        assertEquals(example.strip(), body.stripTrailing().stripIndent().strip() + "\n}",
                "README's Java block " + index + " and this test diverged");
    }

    @Test
    void javaExampleIsThisCodeAndRuns() throws IOException {
        assertReadmeBlockIsThisCode(1, "README");

        // README:begin
        NetworkSpec spec = Architecture.GOOGLENET_TORCHVISION.spec(
                Architecture.GOOGLENET_TORCHVISION.defaultOptions().withNumClasses(10).withInputSize(96));
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionNetwork net = new InceptionNetwork(spec);
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 96, 96));
            NDArray images = manager.randomUniform(0, 1, new Shape(2, 3, 96, 96));
            InceptionOutputs out = InceptionOutputs.of(
                    net.forward(new ParameterStore(manager, false), new NDList(images), true));
            NDArray logits = out.logits();          // (2, 10)
            NDArray aux1 = out.aux("aux1");         // (2, 10): by name, only in training mode
        // README:end
            assertArrayEquals(new long[] {2, 10}, logits.getShape().getShape());
            assertArrayEquals(new long[] {2, 10}, aux1.getShape().getShape());
        }
    }

    @Test
    void classifierExampleIsThisCodeAndRuns() throws IOException {
        assertReadmeBlockIsThisCode(0, "CLASSIFIER");
        Path checkpoint = TestModels.smallCheckpoint(demoDir.resolve("model"));
        Path image = demoDir.resolve("shirt.png");
        Files.write(image, TestModels.sample(0, "png"));

        // CLASSIFIER:begin
        try (ImageClassifier classifier = ImageClassifier.load(checkpoint)) {
            List<ImageClassifier.Prediction> top3 = classifier.classify(image, 3);
            FloatImage decoded = ImageDecoder.decode(image);
            float[][] tenCrops = classifier.probabilities(List.of(decoded), CropProtocol.TEN);
            Tensor pooled = classifier.features(List.of(decoded), classifier.spec().preLogitsEndpoint());
        // CLASSIFIER:end
            assertEquals(3, top3.size());
            assertEquals(10, tenCrops[0].length);
            assertArrayEquals(new long[] {1, 256}, pooled.shape());
        }
    }
}
