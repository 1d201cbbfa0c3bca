package io.github.inception4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.inception4j.cli.InceptionCli;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.eval.CropProtocol;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.serve.TestModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code inception-spark} against {@code inception} on the same checkpoints and data, in Spark's local mode with
 * two cores (so the data is scored in several parts by concurrent tasks).
 */
class InceptionSparkCliTest {

    @TempDir
    static Path dir;

    private static Path first;
    private static Path second;

    @BeforeAll
    static void models() throws IOException {
        first = TestModels.smallCheckpoint(dir.resolve("a"));
        second = TestModels.smallCheckpoint(dir.resolve("b"));
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(BiFunction<String[], PrintWriter[], Integer> cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = cli.apply(args, new PrintWriter[] {new PrintWriter(out, true), new PrintWriter(err, true)});
        return new Result(code, out.toString(), err.toString());
    }

    private static Result core(String... args) {
        return run((a, w) -> InceptionCli.run(a, w[0], w[1]), args);
    }

    private static Result spark(String... args) {
        return run((a, w) -> InceptionSparkCli.run(a, w[0], w[1]), args);
    }

    /** Equal JSON, numbers to 1e-6 (the parts are batched differently, so the last float bits may differ). */
    private static void assertSameJson(JsonElement expected, JsonElement actual, String where) {
        if (expected.isJsonObject()) {
            assertEquals(expected.getAsJsonObject().keySet(), actual.getAsJsonObject().keySet(), where);
            expected.getAsJsonObject().keySet().forEach(k -> assertSameJson(expected.getAsJsonObject().get(k),
                    actual.getAsJsonObject().get(k), where + "." + k));
        } else if (expected.isJsonArray()) {
            assertEquals(expected.getAsJsonArray().size(), actual.getAsJsonArray().size(), where);
            for (int i = 0; i < expected.getAsJsonArray().size(); i++) {
                assertSameJson(expected.getAsJsonArray().get(i), actual.getAsJsonArray().get(i), where + "[" + i + "]");
            }
        } else if (expected.isJsonPrimitive() && expected.getAsJsonPrimitive().isNumber()) {
            assertEquals(expected.getAsDouble(), actual.getAsDouble(), 1e-6, where);
        } else {
            assertEquals(expected, actual, where);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {SparkMasters.LOCAL, SparkMasters.CLUSTER})
    void evaluateOnSparkReportsWhatEvaluateReports(String master) {
        String[] args = {"evaluate", "--checkpoint", first.toString(), second.toString(), "--data",
            "fashion-mnist-subset:test", "--limit", "300", "--crops", "10", "--table", "--json"};
        Result local = core(args);
        String[] onSpark = Arrays.copyOf(args, args.length + 2);
        onSpark[args.length] = "--master";
        onSpark[args.length + 1] = SparkMasters.prepare(master);
        Result distributed = spark(onSpark);
        assertEquals(0, local.exitCode(), local.err());
        assertEquals(0, distributed.exitCode(), distributed.err());
        JsonObject expected = JsonParser.parseString(local.out()).getAsJsonObject();
        assertEquals(300, expected.get("images").getAsInt());
        assertSameJson(expected, JsonParser.parseString(distributed.out()), "evaluation");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {SparkMasters.LOCAL, SparkMasters.CLUSTER})
    void predictWritesARowPerFileAndAnErrorForEachBadOne(String master) throws IOException {
        Path root = dir.resolve("images-" + master.replaceAll("\\W", ""));
        Path images = Files.createDirectories(root.resolve("nested"));
        for (int i = 0; i < 12; i++) {
            Files.write(images.resolve("item" + i + ".png"), TestModels.sample(i, "png"));
        }
        byte[] png = TestModels.sample(12, "png");
        Files.write(images.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        Files.writeString(images.resolve("not-an-image.jpg"), "plain text");
        Files.writeString(images.resolve("notes.txt"), "not an image file name: never read");
        Path out = root.resolve("predictions.parquet");
        Result r = spark("predict", "--master", SparkMasters.prepare(master), "--checkpoint", first.toString(),
                "--top-k", "3", "--batch-size", "5", "--out", out.toString(), root.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.out().contains("14 images: 12 classified, 2 refused"), r.out());

        Map<String, List<ImageClassifier.Prediction>> expected = new HashMap<>();
        try (ImageClassifier c = ImageClassifier.load(first)) {
            for (int i = 0; i < 12; i++) {
                expected.put("item" + i + ".png", c.classify(images.resolve("item" + i + ".png"), 3));
            }
        }
        SparkSession spark = SparkSession.builder().master("local[1]").appName("test").getOrCreate();
        try {
            List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
            assertEquals(14, rows.size());
            for (Row row : rows) {
                String name = Path.of(row.getString(0).replaceFirst("^file:", "")).getFileName().toString();
                if (name.startsWith("item")) {
                    assertNull(row.get(2), name);
                    List<Row> top = row.getList(1);
                    List<ImageClassifier.Prediction> want = expected.get(name);
                    assertEquals(3, top.size());
                    for (int k = 0; k < 3; k++) {
                        assertEquals(want.get(k).index(), top.get(k).getInt(0), name);
                        assertEquals(want.get(k).label(), top.get(k).getString(1), name);
                        assertEquals(want.get(k).probability(), top.get(k).getDouble(2), 1e-5, name);
                    }
                } else {
                    assertNull(row.get(1), name);
                    assertTrue(row.getString(2) != null && !row.getString(2).isBlank(), name);
                }
            }
        } finally {
            spark.stop();
        }
    }

    /**
     * The batch job: thousands of images with damaged ones of several kinds among them completes, with one
     * error row per damaged image and predictions for every other.
     */
    @Test
    void predictOverThousandsOfImagesGivesOneErrorRowPerDamagedImage() throws IOException {
        Path root = Files.createDirectories(dir.resolve("thousands"));
        int good = 2000;
        for (int i = 0; i < good; i++) {
            Path folder = Files.createDirectories(root.resolve("part" + i / 500));
            Files.write(folder.resolve("item" + i + (i % 4 == 0 ? ".jpg" : ".png")),
                    TestModels.sample(i % 1000, i % 4 == 0 ? "jpg" : "png"));
        }
        Set<String> damaged = new HashSet<>();
        byte[] png = TestModels.sample(7, "png");
        byte[] jpg = TestModels.sample(8, "jpg");
        Random random = new Random(5);
        for (int i = 0; i < 25; i++) {
            String name = "damaged" + i + (i % 5 == 2 || i % 5 == 3 ? ".jpg" : ".png");
            byte[] bytes = switch (i % 5) {
                case 0 -> Arrays.copyOf(png, png.length / 2);            // truncated PNG
                case 1 -> new byte[0];                                   // empty file
                case 2 -> Arrays.copyOf(jpg, 40);                        // JPEG cut after its header
                case 3 -> "plain text, named .jpg".getBytes();           // not an image at all
                default -> {                                             // PNG signature, random rest
                    byte[] b = new byte[600];
                    random.nextBytes(b);
                    System.arraycopy(png, 0, b, 0, 8);
                    yield b;
                }
            };
            Files.write(root.resolve("part" + i % 4).resolve(name), bytes);
            damaged.add(name);
        }
        Path out = dir.resolve("thousands.parquet");
        Result r = spark("predict", "--master", SparkMasters.LOCAL, "--checkpoint", first.toString(), "--top-k", "1",
                "--out", out.toString(), root.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.out().contains("2025 images: 2000 classified, 25 refused"), r.out());
        SparkSession spark = SparkSession.builder().master("local[1]").appName("test").getOrCreate();
        try {
            List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
            assertEquals(good + damaged.size(), rows.size());
            Set<String> errors = new HashSet<>();
            for (Row row : rows) {
                String name = Path.of(row.getString(0).replaceFirst("^file:", "")).getFileName().toString();
                if (row.get(2) != null) {
                    assertNull(row.get(1), name);
                    errors.add(name);
                } else {
                    assertEquals(1, row.getList(1).size(), name);
                }
            }
            assertEquals(damaged, errors);
        } finally {
            spark.stop();
        }
    }

    /** features: each good file's pre-logits as the core computes them for that file; a damaged one an error. */
    @Test
    void featuresWritesEachImagesPreLogitsAndAnErrorForABadOne() throws IOException {
        Path root = Files.createDirectories(dir.resolve("features"));
        for (int i = 0; i < 6; i++) {
            Files.write(root.resolve("item" + i + ".png"), TestModels.sample(20 + i, "png"));
        }
        byte[] png = TestModels.sample(30, "png");
        Files.write(root.resolve("truncated.png"), Arrays.copyOf(png, png.length / 3));
        Path out = dir.resolve("features.parquet");
        Result r = spark("features", "--master", SparkMasters.LOCAL, "--checkpoint", first.toString(), "--batch-size",
                "4", "--out", out.toString(), root.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.out().contains("7 images: 6 with features, 1 refused"), r.out());
        SparkSession spark = SparkSession.builder().master("local[1]").appName("test").getOrCreate();
        try (ImageClassifier c = ImageClassifier.load(first, InferenceBackend.DJL)) {
            ImageDecoder decoder = c.decoder(List.of(CropProtocol.CENTER));
            String endpoint = c.spec().preLogitsEndpoint();
            List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
            assertEquals(7, rows.size());
            for (Row row : rows) {
                Path file = Path.of(row.getString(0).replaceFirst("^file:", ""));
                if (file.getFileName().toString().equals("truncated.png")) {
                    assertNull(row.get(1));
                    assertTrue(row.getString(2) != null && !row.getString(2).isBlank());
                    continue;
                }
                assertNull(row.get(2), file.toString());
                float[] expected = c.features(List.of(decoder.read(file)), endpoint).toFloats();
                List<Float> actual = row.getList(1);
                assertEquals(expected.length, actual.size());
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(expected[j], actual.get(j), 1e-5, file + "[" + j + "]");
                }
            }
        } finally {
            spark.stop();
        }
    }
}
