package io.github.inception4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.FashionMnist;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.data.ImageEncoder;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.data.MixedImageFolder;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.train.Recipe;
import io.github.inception4j.train.Recipes;
import io.github.inception4j.train.RunSettings;
import io.github.inception4j.train.Trainer;
import io.github.inception4j.train.TrainingListener;
import io.github.inception4j.weights.Numpy;
import io.github.inception4j.weights.Tensor;
import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.weights.WeightFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * predict, evaluate and features as a user runs them, on two small GoogLeNets trained here with different seeds
 * (quarter width, 32 × 32, one epoch on 320 embedded Fashion-MNIST images).
 */
class EvalCommandsTest {

    private static final int TEST_IMAGES = 200;

    @TempDir
    static Path dir;

    private static Trainer.Result first;

    @BeforeAll
    static void train() throws IOException {
        first = train(dir.resolve("seed3"), 3);
        train(dir.resolve("seed4"), 4);
    }

    private static Trainer.Result train(Path run, long seed) throws IOException {
        Architecture arch = Architecture.byName("googlenet-torchvision");
        ModelOptions options = arch.defaultOptions().withNumClasses(10).withWidthMultiplier(0.25).withInputSize(32)
                .withAuxHeads(false);
        Recipe recipe = Recipes.byName("small-grayscale").with(Map.of("epochs", "1", "batchSize", "32",
                "inputSize", "32", "schedule.warmupEpochs", "0"));
        RunSettings settings = new RunSettings(arch.cliName(), options, recipe,
                RunSettings.Data.of(DataSources.FASHION_MNIST_SUBSET), null, false, seed);
        ImageDataset train = FashionMnist.embeddedSubset(FashionMnist.Split.TRAIN);
        ImageDataset test = FashionMnist.embeddedSubset(FashionMnist.Split.TEST);
        // The subset is stored class by class: take every 15th image so all ten classes are seen.
        return new Trainer(settings, train.subset(IntStream.range(0, 320).map(i -> i * 15).toArray()),
                train.subset(IntStream.range(0, 32).map(i -> i * 15 + 7).toArray()),
                test.subset(IntStream.range(0, TEST_IMAGES).toArray()), run, 0, new TrainingListener() { })
                .run(false);
    }

    private static Path model(String seed) {
        return dir.resolve(seed).resolve(Trainer.MODEL);
    }

    private static JsonObject json(CliTest.Result r) {
        assertEquals(0, r.exitCode(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"djl", "onnxruntime", "onednn"})
    void centreCropEvaluationGivesTheTrainingRunsOwnTestAccuracy(String backend) {
        JsonObject e = json(CliTest.run("evaluate", "--checkpoint", model("seed3").toString(), "--data",
                "fashion-mnist-subset:test", "--limit", String.valueOf(TEST_IMAGES), "--backend", backend, "--json"));
        assertEquals(TEST_IMAGES, e.get("images").getAsInt());
        assertEquals(1, e.get("cost").getAsInt());
        assertEquals(first.test().accuracy(), e.getAsJsonObject("result").get("top1").getAsDouble(), 1e-12);
        assertEquals(first.test().loss(), e.getAsJsonObject("result").get("loss").getAsDouble(), 1e-4);
    }

    /**
     * quantize → a checkpoint with the int8 model and its calibration, checksummed; evaluate on int8 compares with
     * the float weights on the same images; predict and the float paths still run on it.
     */
    @Test
    void aQuantizedCheckpointRunsOnInt8AndIsComparedWithItsFloatWeights() throws IOException {
        Path int8 = dir.resolve("int8");
        CliTest.Result q = CliTest.run("quantize", "--checkpoint", model("seed3").toString(), "--calibration",
                "fashion-mnist-subset", "--images", "96", "--out", int8.toString(), "--onnx",
                dir.resolve("int8.onnx").toString());
        assertEquals(0, q.exitCode(), q.err());
        assertTrue(q.out().contains("on 96 images of fashion-mnist-subset (percentile"), q.out());
        Checkpoint.verify(int8);
        assertTrue(Files.readString(int8.resolve(Checkpoint.CHECKSUMS)).contains("model.int8.onnx"));
        assertEquals(-1, Files.mismatch(int8.resolve("model.int8.onnx"), dir.resolve("int8.onnx")));
        var calibration = io.github.inception4j.eval.Int8Checkpoint.calibration(int8);
        assertEquals(96, calibration.images());
        assertEquals("percentile", calibration.method());

        JsonObject e = json(CliTest.run("evaluate", "--checkpoint", int8.toString(), "--data",
                "fashion-mnist-subset:test", "--limit", String.valueOf(TEST_IMAGES), "--backend", "onnxruntime-int8",
                "--json"));
        JsonObject comparison = e.getAsJsonObject("comparison");
        assertEquals("onnxruntime-int8", comparison.get("candidate").getAsString());
        assertEquals("onednn", comparison.get("reference").getAsString());
        assertTrue(comparison.get("top1Agreement").getAsDouble() >= 0.95, comparison.toString());
        assertEquals(first.test().accuracy(), e.getAsJsonArray("members").get(1).getAsJsonObject()
                .getAsJsonObject("crops").getAsJsonObject("center").get("top1").getAsDouble(), 1e-12,
                "the reference is the float model");
        assertEquals(1, e.get("models").getAsInt());
        assertTrue(e.getAsJsonObject("comparison").getAsJsonObject("perClassAgreement").has("Trouser"));

        // The same calibration compiled for oneDNN's integer kernels.
        JsonObject onednn = json(CliTest.run("evaluate", "--checkpoint", int8.toString(), "--data",
                "fashion-mnist-subset:test", "--limit", String.valueOf(TEST_IMAGES), "--backend", "onednn-int8",
                "--json")).getAsJsonObject("comparison");
        assertEquals("onednn-int8", onednn.get("candidate").getAsString());
        assertTrue(onednn.get("top1Agreement").getAsDouble() >= 0.95, onednn.toString());

        Path image = dir.resolve("shirt.png");
        Files.write(image, io.github.inception4j.serve.TestModels.sample(0, "png"));
        CliTest.Result p = CliTest.run("predict", "--checkpoint", int8.toString(), "--backend", "onnxruntime-int8",
                image.toString());
        assertEquals(0, p.exitCode(), p.err());
        CliTest.Result missing = CliTest.run("predict", "--checkpoint", model("seed3").toString(), "--backend",
                "onnxruntime-int8", image.toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("inception quantize"), missing.err());
        CliTest.Result uncalibrated = CliTest.run("predict", "--checkpoint", model("seed3").toString(), "--backend",
                "onednn-int8", image.toString());
        assertEquals(1, uncalibrated.exitCode());
        assertTrue(uncalibrated.err().contains("no calibration (quantization.json)"), uncalibrated.err());
    }

    /** bf16 on oneDNN is a reduced precision: evaluate compares it with float32 on the same images, like int8. */
    @Test
    void bf16IsEvaluatedAgainstFloat32WhereTheCpuHasIt() {
        CliTest.Result r = CliTest.run("evaluate", "--checkpoint", model("seed3").toString(), "--data",
                "fashion-mnist-subset:test", "--limit", String.valueOf(TEST_IMAGES), "--backend", "onednn-bf16",
                "--json");
        if (r.exitCode() != 0) {
            assertTrue(r.err().contains("AVX512-BF16 or AMX"), r.err());
            return;
        }
        JsonObject comparison = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("comparison");
        assertEquals("onednn-bf16", comparison.get("candidate").getAsString());
        assertEquals("onednn", comparison.get("reference").getAsString());
        assertTrue(comparison.get("top1Agreement").getAsDouble() >= 0.95, comparison.toString());
    }

    @Test
    void anEnsembleOfTwoSeedsIsReportedBesideEachMemberWithTheCropTable() {
        CliTest.Result r = CliTest.run("evaluate", "--checkpoint", model("seed3").toString(),
                model("seed4").toString(), "--data", "fashion-mnist-subset", "--limit", "30", "--crops", "10",
                "--table");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("ensemble of 2: top-1 "), r.out());
        assertTrue(r.out().contains("10 crops, cost 20 per image"), r.out());
        assertTrue(r.out().contains("models   crops   cost"), r.out());
        JsonObject e = json(CliTest.run("evaluate", "--checkpoint", model("seed3").toString(),
                model("seed4").toString(), "--data", "fashion-mnist-subset", "--limit", "30", "--crops", "10",
                "--table", "--json"));
        assertEquals(20, e.get("cost").getAsInt());
        assertEquals(2, e.getAsJsonArray("members").size());
        JsonObject a = e.getAsJsonArray("members").get(0).getAsJsonObject().getAsJsonObject("crops");
        assertEquals(1, a.getAsJsonObject("center").get("cost").getAsInt());
        assertEquals(2, a.getAsJsonObject("mirror").get("cost").getAsInt());
        assertEquals(10, a.getAsJsonObject("10").get("cost").getAsInt());
        assertEquals(e.getAsJsonObject("ensemble").getAsJsonObject("10").get("top1").getAsDouble(),
                e.getAsJsonObject("result").get("top1").getAsDouble());
        JsonArray table = e.getAsJsonArray("table");
        assertEquals(List.of(1, 2, 10, 2, 4, 20), IntStream.range(0, 6).mapToObj(i -> table.get(i).getAsJsonObject()
                .get("cost").getAsInt()).toList());
    }

    @Test
    void aRunsHeldOutImagesJudgeOnlyModelsThatNeverTrainedOnThem() {
        // Both runs carve 10% of the subset's 6,000 training images, seed 3's and seed 4's splits differ.
        JsonObject e = json(CliTest.run("evaluate", "--checkpoint", model("seed3").toString(), "--validation-of",
                dir.resolve("seed3").toString(), "--json"));
        assertEquals(600, e.get("images").getAsInt());
        assertTrue(e.toString().contains("validation split of " + dir.resolve("seed3")), e.toString());
        CliTest.Result mixed = CliTest.run("evaluate", "--checkpoint", model("seed3").toString(),
                model("seed4").toString(), "--validation-of", dir.resolve("seed3").toString());
        assertEquals(1, mixed.exitCode());
        assertTrue(mixed.err().contains(model("seed4") + " trained on some of the images"), mixed.err());
        assertTrue(mixed.err().contains("split seed 4; wanted: 0.1 of fashion-mnist-subset, split seed 3"),
                mixed.err());
        CliTest.Result neither = CliTest.run("evaluate", "--checkpoint", model("seed3").toString());
        assertEquals(1, neither.exitCode());
        assertTrue(neither.err().contains("--data or --validation-of"), neither.err());
        CliTest.Result both = CliTest.run("evaluate", "--checkpoint", model("seed3").toString(), "--data",
                "fashion-mnist-subset", "--validation-of", dir.resolve("seed3").toString());
        assertEquals(1, both.exitCode());
    }

    @Test
    void the144CropProtocolRunsAndWritesAReportWithPictures() throws IOException {
        Path out = dir.resolve("report144");
        JsonObject e = json(CliTest.run("evaluate", "--checkpoint", model("seed3").toString(), "--data",
                "fashion-mnist-subset:test", "--limit", "3", "--crops", "144", "--out", out.toString(), "--json"));
        assertEquals(144, e.get("cost").getAsInt());
        assertEquals(3, e.get("images").getAsInt());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Confusion matrix") && html.contains("<svg") && html.contains("per class"), html);
        assertEquals(e, JsonParser.parseString(Files.readString(out.resolve("evaluation.json"))));
    }

    @Test
    void predictionsOfTheApiAndTheCliAgreeWithForwardOnTheSameTensor() throws IOException {
        FloatImage image = FashionMnist.embeddedSubset(FashionMnist.Split.TEST).image(5);
        Path png = dir.resolve("sample.png");
        writeGray(png, image);
        try (ImageClassifier c = ImageClassifier.load(model("seed3"))) {
            float[] x = ImagePipeline.normalize(ImagePipeline.evalView(ImageDecoder.decode(png), c.preprocessing()),
                    c.preprocessing());
            Path npy = dir.resolve("x.npy");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Numpy.writeNpy(bytes, Tensor.ofFloats("x", new long[] {1, 3, 32, 32}, x));
            Files.write(npy, bytes.toByteArray());
            CliTest.Result f = CliTest.run("forward", "--weights", model("seed3").toString(), "--input",
                    npy.toString(), "--output", dir.resolve("y.npy").toString());
            assertEquals(0, f.exitCode(), f.err());
            float[] logits = WeightFiles.read(dir.resolve("y.npy")).values().iterator().next().toFloats();
            float[] expected = softmax(logits);
            assertArrayEquals(expected, c.probabilitiesOf(x, 1)[0], 1e-6f);
            try (ImageClassifier onnx = ImageClassifier.load(model("seed3"), InferenceBackend.ONNXRUNTIME)) {
                assertEquals(InferenceBackend.ONNXRUNTIME, onnx.backend());
                assertArrayEquals(expected, onnx.probabilitiesOf(x, 1)[0], 1e-5f);
            }
            // DJL runs one image as a batch of two (libtorch's NNPACK probe) and returns that image's row only.
            try (ImageClassifier djl = ImageClassifier.load(model("seed3"), InferenceBackend.DJL)) {
                float[][] one = djl.probabilitiesOf(x, 1);
                assertEquals(1, one.length);
                assertArrayEquals(expected, one[0], 1e-6f);
            }

            List<ImageClassifier.Prediction> api = c.classify(png, 10);
            JsonArray cli = JsonParser.parseString(CliTest.run("predict", "--checkpoint", model("seed3").toString(),
                    "--top-k", "10", "--json", png.toString()).out()).getAsJsonObject().getAsJsonArray("results")
                    .get(0).getAsJsonObject()
                    .getAsJsonArray("predictions");
            for (int i = 0; i < 10; i++) {
                JsonObject p = cli.get(i).getAsJsonObject();
                assertEquals(api.get(i).index(), p.get("index").getAsInt());
                assertEquals(api.get(i).label(), p.get("label").getAsString());
                assertEquals(expected[api.get(i).index()], p.get("probability").getAsDouble(), 1e-6);
                assertEquals(expected[api.get(i).index()], api.get(i).probability(), 1e-6);
            }
            assertEquals(FashionMnist.CLASSES, c.classNames());
        }
    }

    @Test
    void evaluateSkipsAnUndecodableImageAndCountsItInTheExitCodeAndTheJson() throws IOException {
        Path data = dir.resolve("ten-classes");
        ImageDataset images = FashionMnist.embeddedSubset(FashionMnist.Split.TEST);
        for (int c = 0; c < 10; c++) {
            Path folder = Files.createDirectories(data.resolve(String.format("%02d", c)));
            for (int i = 0; i < 2; i++) {
                writeGray(folder.resolve(i + ".png"), images.image(2 * c + i));
            }
        }
        Files.writeString(data.resolve("03").resolve("broken.jpg"), "not a JPEG");
        CliTest.Result r = CliTest.run("evaluate", "--checkpoint", model("seed3").toString(), "--data",
                data.toString(), "--json");
        assertEquals(1, r.exitCode(), r.err());
        JsonObject e = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(1, e.get("skippedImages").getAsInt(), r.out());
        assertEquals(20, e.get("images").getAsInt(), r.out());
    }

    @Test
    void predictClassifiesEveryOrdinaryImageOfAMixedFolderAndNamesEveryRefusedOne() throws IOException {
        Path folder = dir.resolve("mixed");
        MixedImageFolder.write(folder);
        CliTest.Result r = CliTest.run("predict", "--checkpoint", model("seed3").toString(), "--top-k", "3",
                "--batch-size", "8", "--json", folder.toString());
        assertEquals(1, r.exitCode(), "a refused file makes the exit code 1: " + r.err());
        JsonObject document = JsonParser.parseString(r.out()).getAsJsonObject();
        int total = MixedImageFolder.ORDINARY.size() + MixedImageFolder.REFUSED.size();
        assertEquals(total, document.get("images").getAsInt());
        assertEquals(MixedImageFolder.ORDINARY.size(), document.get("classified").getAsInt(), r.out());
        assertEquals(MixedImageFolder.REFUSED.size(), document.get("refused").getAsInt());
        Map<String, JsonObject> byFile = new java.util.HashMap<>();
        for (var e : document.getAsJsonArray("results")) {
            byFile.put(Path.of(e.getAsJsonObject().get("file").getAsString()).getFileName().toString(),
                    e.getAsJsonObject());
        }
        for (String ordinary : MixedImageFolder.ORDINARY) {
            assertEquals(3, byFile.get(ordinary).getAsJsonArray("predictions").size(), ordinary + ": " + r.out());
        }
        Map<String, String> reasons = Map.of("truncated.jpg", "damaged", "bad-crc.png", "CRC", "empty.png", "empty",
                "text.jpg", "not an image in a supported format (JPEG, PNG, BMP, GIF, WebP, TIFF)",
                "bomb-100000.png", "100000×100000", "garbage.webp", "corrupt or unsupported webp image: ");
        for (String refused : MixedImageFolder.REFUSED) {
            String error = byFile.get(refused).get("error").getAsString();
            assertTrue(error.contains(reasons.get(refused)), refused + ": " + error);
        }
        CliTest.Result text = CliTest.run("predict", "--checkpoint", model("seed3").toString(), folder.toString());
        for (String refused : MixedImageFolder.REFUSED) {
            assertTrue(text.err().contains(refused + ": refused: "), text.err());
        }
        assertTrue(text.err().contains("6 of 20 images refused"), text.err());
        assertTrue(text.out().contains("huge-15000.png"), text.out());
    }

    @Test
    void featuresWritesThePooledPreLogitsOrANamedEndpoint() throws IOException {
        FloatImage a = FashionMnist.embeddedSubset(FashionMnist.Split.TEST).image(0);
        FloatImage b = FashionMnist.embeddedSubset(FashionMnist.Split.TEST).image(300);
        Path pa = dir.resolve("fa.png");
        Path pb = dir.resolve("fb.png");
        writeGray(pa, a);
        writeGray(pb, b);
        Path out = dir.resolve("features.npy");
        CliTest.Result r = CliTest.run("features", "--checkpoint", model("seed3").toString(), "--out",
                out.toString(), pa.toString(), pb.toString());
        assertEquals(0, r.exitCode(), r.err());
        Tensor written = WeightFiles.read(out).values().iterator().next();
        try (ImageClassifier c = ImageClassifier.load(model("seed3"))) {
            assertEquals("avgpool", c.spec().preLogitsEndpoint());
            Tensor api = c.features(List.of(ImageDecoder.decode(pa), ImageDecoder.decode(pb)), "avgpool");
            // Quarter-width GoogLeNet: inception5b has 384/4 + 384/4 + 128/4 + 128/4 = 256 channels.
            assertArrayEquals(new long[] {2, 256}, written.shape());
            assertArrayEquals(api.toFloats(), written.toFloats(), 1e-6f);
            Tensor mid = c.features(List.of(ImageDecoder.decode(pa)), "inception4e");
            assertEquals(4, mid.shape().length);
        }
        CliTest.Result bad = CliTest.run("features", "--checkpoint", model("seed3").toString(), "--endpoint",
                "Mixed_9z", "--out", out.toString(), pa.toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("no endpoint 'Mixed_9z'") && bad.err().contains("inception4e"), bad.err());
    }

    @Test
    void aBareWeightFileNeedsItsPreprocessingNamedUnlessItsFormatImpliesIt() throws IOException {
        Path weights = model("seed3").resolve("weights.safetensors");
        Path png = dir.resolve("bare.png");
        writeGray(png, FashionMnist.embeddedSubset(FashionMnist.Split.TEST).image(1));
        CliTest.Result refused = CliTest.run("predict", "--weights", weights.toString(), "--model",
                "googlenet-torchvision", "--width", "0.25", "--input-size", "32", "--num-classes", "10", "--no-aux",
                png.toString());
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("name the preprocessing"), refused.err());
        CliTest.Result named = CliTest.run("predict", "--weights", weights.toString(), "--model",
                "googlenet-torchvision", "--width", "0.25", "--input-size", "32", "--num-classes", "10", "--no-aux",
                "--preprocessing", "tf", "--top-k", "1", png.toString());
        assertEquals(0, named.exitCode(), named.err());
        assertTrue(named.out().contains("class "), "no names without --classes: " + named.out());
        assertNotEquals(-1, named.out().indexOf('%'));
    }

    private static void writeGray(Path file, FloatImage image) throws IOException {
        Files.write(file, ImageEncoder.encode(image, "png"));
    }

    private static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) (Math.exp(logits[i] - max) / sum);
        }
        return out;
    }
}
