package io.github.inception4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.inception4j.data.DecodeBudget;
import io.github.inception4j.data.FashionMnist;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.detect.BoxRefiner;
import io.github.inception4j.detect.Detection;
import io.github.inception4j.detect.DetectionData;
import io.github.inception4j.detect.DetectionDataset;
import io.github.inception4j.detect.DetectionEvaluation;
import io.github.inception4j.detect.DetectorTraining;
import io.github.inception4j.detect.GeneratedDetectionSet;
import io.github.inception4j.detect.MultiBoxProposer;
import io.github.inception4j.detect.MultiBoxTraining;
import io.github.inception4j.detect.ObjectDetector;
import io.github.inception4j.detect.RegionCrops;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.serve.InferenceServer;
import io.github.inception4j.train.Trainer;
import io.github.inception4j.weights.Checkpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small detector trained through the API (MultiBox, a box refiner, then two region classifiers on the refined
 * Selective Search + MultiBox crops: a minute), then used as a user would: the Java API, {@code detect} and
 * {@code evaluate-detection}.
 */
class DetectCommandsTest {

    @TempDir
    static Path dir;
    static Path detectorDir;
    static DetectorTraining tiny;
    static String data;

    @BeforeAll
    static void trainATinyDetector() throws IOException {
        // 32 training (one MultiBox batch at the defaults) and 6 test canvases, where `generated:DIR` reads them.
        GeneratedDetectionSet.write(dir.resolve("data"), 32, 6, 11);
        data = "generated:" + dir.resolve("data");
        MultiBoxTraining.Settings multiBox = new MultiBoxTraining.Settings("googlenet-torchvision", 0.25, 64, 2, 16,
                1, 8, 0.02, null, 3);
        BoxRefiner.Settings refiner = new BoxRefiner.Settings("googlenet-torchvision", 0.25, 32, 1, 8, 0.02, null, 3);
        tiny = new DetectorTraining(new ObjectDetector.Settings(10, true, false, 16, true, 32, 0.05, 0.3, true),
                multiBox, refiner, "googlenet-torchvision", 0.25, 1, 2, 24, RegionCrops.Labelling.RCNN, 4, null, 5);
        detectorDir = tiny.train(DetectionData.open(data, "train", null), dir.resolve("detector"), text -> { });
    }

    @Test
    void anInterruptedTrainingContinuesAndKeepsItsFinishedStages() throws IOException {
        DetectionDataset train = DetectionData.open(data, "train", null);
        Path out = dir.resolve("interrupted");
        DetectorTraining one = tiny.withClassifiers(1, 1);
        one.train(train, out, text -> { });
        Files.delete(out.resolve(ObjectDetector.FILE)); // as if killed before the end
        byte[] firstMember = Files.readAllBytes(out.resolve("classifiers/1").resolve(Checkpoint.WEIGHTS));
        List<String> stages = new ArrayList<>();
        one.withClassifiers(2, 1).train(train, out, stages::add);
        assertTrue(stages.contains("MultiBox: kept from the interrupted training")
                && stages.contains("box refiner: kept from the interrupted training")
                && stages.contains("region classifier 1 of 2: kept from the interrupted training")
                && stages.contains("region classifier 2 of 2: 1 epochs"), stages.toString());
        assertArrayEquals(firstMember, Files.readAllBytes(out.resolve("classifiers/1").resolve(Checkpoint.WEIGHTS)));
        try (ObjectDetector detector = ObjectDetector.load(out, InferenceBackend.DJL)) {
            assertEquals(2, detector.ensembleSize());
        }
        Files.delete(out.resolve(ObjectDetector.FILE));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> one.withClassifiers(2, 2).train(train, out, text -> { }));
        assertTrue(other.getMessage().contains("other settings or data"), other.getMessage());
    }

    @Test
    void aTrainedDetectorKeepsEachMembersMetricsButNoSpentCheckpoints() {
        assertFalse(Files.exists(detectorDir.resolve("multibox-run")));
        assertFalse(Files.exists(detectorDir.resolve(BoxRefiner.DIRECTORY + "-run")));
        for (int member = 1; member <= tiny.classifiers(); member++) {
            Path run = detectorDir.resolve(ObjectDetector.CLASSIFIERS).resolve(member + "-run");
            assertFalse(Files.exists(run.resolve(Trainer.CHECKPOINT)), run.toString());
            assertTrue(Files.isRegularFile(run.resolve("metrics.csv")), run.toString());
        }
    }

    @Test
    void trainDetectorWritesADetectorAndRefusesToOverwriteIt() throws IOException {
        Path out = dir.resolve("cli-detector");
        String[] args = {"train-detector", "--data", data, "--out", out.toString(), "--epochs", "1",
            "--multibox-epochs", "1", "--region-images", "16", "--seed", "3"};
        CliTest.Result r = CliTest.run(args);
        assertEquals(0, r.exitCode(), r.err());
        JsonObject training = JsonParser.parseString(Files.readString(out.resolve(DetectorTraining.TRAINING)))
                .getAsJsonObject().getAsJsonObject("training");
        assertEquals(3, training.get("seed").getAsLong());
        assertEquals(3, training.getAsJsonObject("multiBox").get("seed").getAsLong());
        assertEquals(3, training.getAsJsonObject("refiner").get("seed").getAsLong());
        assertTrue(r.out().contains("MultiBox epoch 1/1") && r.out().contains("region classifier 1 of 1")
                && r.out().contains("proposals of 16 images"), r.out());
        try (ObjectDetector detector = ObjectDetector.load(out, InferenceBackend.DJL)) {
            assertEquals(1, detector.ensembleSize());
            assertEquals(ObjectDetector.Settings.p1(), detector.settings());
        }
        CliTest.Result again = CliTest.run(args);
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("holds a detector already"), again.err());
    }

    @Test
    void theDetectorLoadsAndFindsBoxesInsideTheImage() throws IOException {
        var test = DetectionData.open(data, "test", null);
        try (ObjectDetector detector = ObjectDetector.load(detectorDir, InferenceBackend.DJL)) {
            assertEquals(FashionMnist.CLASSES, detector.classNames());
            assertEquals(2, detector.ensembleSize());
            var image = test.image(0);
            List<Detection> found = detector.detect(image);
            assertEquals(found, detector.detect(image), "the same image gives the same detections");
            for (Detection d : found) {
                assertTrue(d.box().x0() >= 0 && d.box().x1() <= image.width() && d.score() >= 0.05, d::toString);
            }
            // Selective Search's 10 and MultiBox's 16, without exact duplicates.
            int proposals = detector.proposals(image).size();
            assertTrue(proposals > 16 && proposals <= 26, "proposals: " + proposals);
            DetectionEvaluation r = DetectionEvaluation.of(detector, test, 5, i -> { });
            assertEquals(5, r.images());
            assertEquals(10, r.curves().size());
            assertTrue(r.map() >= 0 && r.map() <= 1 && r.recall50() > 0, r::toJson);
            JsonObject json = JsonParser.parseString(r.toJson()).getAsJsonObject();
            assertEquals(r.map(), json.getAsJsonObject("voc").get("map50").getAsDouble(), 1e-12);
        }
    }

    @Test
    void aDirectoryWithoutADetectorOrPriorsIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectDetector.load(dir, InferenceBackend.DJL));
        assertTrue(e.getMessage().contains("detector.json"), e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> MultiBoxProposer.load(
                detectorDir.resolve("classifiers/1"), 10, InferenceBackend.DJL));
        assertTrue(f.getMessage().contains("multibox.json"), f.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> BoxRefiner.load(
                detectorDir.resolve("classifiers/1"), InferenceBackend.DJL));
        assertTrue(g.getMessage().contains("is not a box refiner"), g.getMessage());
    }

    @Test
    void detectPrintsBoxesRefusesADamagedImageAndDrawsTheRest() throws IOException {
        Path good = dir.resolve("data/test/00000.png");
        Path damaged = dir.resolve("damaged.png");
        Files.write(damaged, java.util.Arrays.copyOf(Files.readAllBytes(good), 60));
        Path drawn = dir.resolve("drawn");
        CliTest.Result r = CliTest.run("detect", "--checkpoint", detectorDir.toString(), "--backend", "djl",
                "--json", "--draw", drawn.toString(), good.toString(), damaged.toString());
        assertEquals(1, r.exitCode(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(1, json.get("detected").getAsInt());
        assertEquals(1, json.get("refused").getAsInt());
        JsonArray results = json.getAsJsonArray("results");
        assertTrue(results.get(0).getAsJsonObject().has("detections"));
        assertTrue(results.get(1).getAsJsonObject().has("error"));
        var picture = ImageIO.read(drawn.resolve("00000.png").toFile());
        assertEquals(320, picture.getWidth());
    }

    @Test
    void evaluateDetectionPrintsVocAndCocoFiguresAndWritesAReport() throws IOException {
        Path report = dir.resolve("report");
        CliTest.Result r = CliTest.run("evaluate-detection", "--checkpoint", detectorDir.toString(), "--data", data,
                "--limit", "3", "--backend", "djl", "--out", report.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("VOC mAP50") && r.out().contains("COCO AP") && r.out().contains("Ankle boot"),
                r.out());
        String page = Files.readString(report.resolve("report.html"));
        assertTrue(page.contains("AP50 per class") && page.contains("examples/000.png"), page);
        assertTrue(Files.isRegularFile(report.resolve("examples/000.png")));
        assertTrue(Files.isRegularFile(report.resolve("evaluation.json")));
    }

    @Test
    void theServerDetectsOnV1DetectAndRefusesAsClassifyDoes() throws Exception {
        Path png = dir.resolve("data/test/00001.png");
        HttpClient http = HttpClient.newHttpClient();
        try (ImageClassifier classifier = ImageClassifier.load(detectorDir.resolve("classifiers/1"),
                InferenceBackend.DJL);
             ObjectDetector detector = ObjectDetector.load(detectorDir, InferenceBackend.DJL);
             InferenceServer server = new InferenceServer(classifier, detector,
                     InferenceServer.Config.defaults().withPort(0), DecodeBudget.shared());
             InferenceServer without = new InferenceServer(classifier, InferenceServer.Config.defaults().withPort(0))) {
            HttpResponse<String> ok = post(http, server.url() + "v1/detect", Files.readAllBytes(png));
            assertEquals(200, ok.statusCode(), ok.body());
            JsonObject answer = JsonParser.parseString(ok.body()).getAsJsonObject();
            assertEquals(160, answer.get("width").getAsInt());
            List<Detection> direct = detector.detect(ImageDecoder.decode(png));
            assertEquals(direct.size(), answer.getAsJsonArray("detections").size());
            HttpResponse<String> bad = post(http, server.url() + "v1/detect", "not an image".getBytes());
            assertEquals(400, bad.statusCode());
            assertEquals("bad_image", JsonParser.parseString(bad.body()).getAsJsonObject().get("kind").getAsString());
            HttpResponse<String> none = post(http, without.url() + "v1/detect", Files.readAllBytes(png));
            assertEquals(404, none.statusCode());
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
