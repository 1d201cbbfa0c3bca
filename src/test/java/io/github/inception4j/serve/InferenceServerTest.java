package io.github.inception4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.data.PngBytes;
import io.github.inception4j.eval.ImageClassifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over real HTTP on loopback: answers, refusals, batching, a full queue, timeouts, shutdown. */
class InferenceServerTest {

    @TempDir
    static Path dir;

    private static ImageClassifier classifier;
    private static InferenceServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws IOException {
        classifier = ImageClassifier.load(TestModels.smallCheckpoint(dir.resolve("model")));
        server = new InferenceServer(classifier, InferenceServer.Config.defaults().withPort(0));
    }

    @AfterAll
    static void stop() {
        server.close();
        classifier.close();
    }

    /** Loopback on a free port, 1 MiB bodies. */
    private static InferenceServer.Config config(InferenceServer.Batching batching, long timeoutMillis) {
        return InferenceServer.Config.defaults().withPort(0).withBatching(batching).withLimits(1 << 20,
                timeoutMillis);
    }

    private static HttpResponse<String> post(InferenceServer s, String query, String type, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + "v1/classify" + query))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anImageIsClassifiedRawOrAsMultipartWithTheApisProbabilities() throws Exception {
        byte[] png = TestModels.sample(3, "png");
        List<ImageClassifier.Prediction> expected = classifier.classify(List.of(ImageDecoder.decode(png, "x")), 3)
                .get(0);
        HttpResponse<String> raw = post(server, "?top_k=3", "image/png", png);
        assertEquals(200, raw.statusCode(), raw.body());
        assertTrue(raw.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String boundary = "----inception4j-test";
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        form.writeBytes(png);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> multipart = post(server, "?top_k=3", "multipart/form-data; boundary=" + boundary,
                form.toByteArray());
        assertEquals(200, multipart.statusCode(), multipart.body());
        for (HttpResponse<String> r : List.of(raw, multipart)) {
            JsonArray p = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions");
            assertEquals(3, p.size());
            for (int i = 0; i < 3; i++) {
                JsonObject o = p.get(i).getAsJsonObject();
                assertEquals(expected.get(i).label(), o.get("label").getAsString());
                assertEquals(expected.get(i).probability(), o.get("probability").getAsDouble(), 1e-6);
            }
        }
        // Without ?top_k: five classes.
        assertEquals(5, JsonParser.parseString(post(server, "", "image/png", png).body()).getAsJsonObject()
                .getAsJsonArray("predictions").size());
    }

    @Test
    void malformedInputsGetA4xxWithAMessageAndTheServerStaysUp() throws Exception {
        byte[] jpeg = TestModels.sample(0, "jpg");
        byte[] png = TestModels.sample(0, "png");
        byte[] badCrc = png.clone();
        int idat = new String(badCrc, StandardCharsets.ISO_8859_1).indexOf("IDAT");
        badCrc[idat + 6] ^= 1;
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(1_000_000).putInt(1_000_000).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        byte[] bomb = PngBytes.of(PngBytes.chunk("IHDR", ihdr.array()),
                PngBytes.chunk("IEND", new byte[0]));
        record Case(String name, String query, String type, byte[] body, int status) {
        }
        List<Case> cases = List.of(
                new Case("truncated JPEG", "", "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 2), 400),
                new Case("PNG with a bad CRC", "", "image/png", badCrc, 400),
                new Case("huge-dimension header", "", "image/png", bomb, 413),
                new Case("text as an image", "", "image/jpeg", "hello".getBytes(StandardCharsets.UTF_8), 400),
                new Case("text", "", "text/plain", "hello".getBytes(StandardCharsets.UTF_8), 415),
                new Case("empty body", "", "image/png", new byte[0], 400),
                new Case("wrong content type", "", "application/json", "{}".getBytes(StandardCharsets.UTF_8), 415),
                new Case("20 MB body", "", "image/jpeg", new byte[20 << 20], 413),
                new Case("multipart without a file", "", "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--\r\n"
                                .getBytes(StandardCharsets.US_ASCII), 400),
                new Case("bad top_k", "?top_k=zero", "image/png", png, 400));
        for (Case c : cases) {
            HttpResponse<String> r;
            try {
                r = post(server, c.query(), c.type(), c.body());
            } catch (IOException closedWhileUploading) {
                // The 20 MB body is refused from its Content-Length and the connection closed while the client may
                // still be uploading; the client then sees the close, not the 413 (once in CI). The too_large
                // metric below and /healthz still show the refusal and that the server stayed up.
                if (c.status() == 413 && c.body().length > 1 << 20) {
                    continue;
                }
                throw closedWhileUploading;
            }
            assertEquals(c.status(), r.statusCode(), c.name() + ": " + r.body());
            JsonObject error = JsonParser.parseString(r.body()).getAsJsonObject();
            assertFalse(error.get("error").getAsString().isBlank(), c.name());
            assertEquals(c.status(), error.get("status").getAsInt());
            assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "no stack trace: " + r.body());
        }
        assertEquals(200, get("healthz").statusCode());
        assertEquals(200, get("readyz").statusCode());
        HttpResponse<String> missing = get("v2/nothing");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("\"error\""), missing.body());
        String metrics = get("metrics").body();
        assertTrue(metrics.contains("inception_errors_total{kind=\"bad_image\"}"), metrics);
        assertTrue(metrics.contains("inception_errors_total{kind=\"too_large\"}"), metrics);
        assertTrue(metrics.contains("inception_errors_total{kind=\"image_too_large\"}"), metrics);
        assertTrue(metrics.contains("inception_errors_total{kind=\"unsupported_type\"}"), metrics);
    }

    @Test
    void largeImagesAreDecodedSubsampledOrRefusedWith413WithinTheSharedBudget() throws Exception {
        // 15,000 × 15,000 (5.4 GB decoded in full): subsampled to what the centre view needs, answered 200, eight at
        // once. 20,000 × 140 cannot be subsampled (its shorter side is under 4 view sides) and needs 64 MiB: over
        // this server's 8 MiB budget, so 413.
        byte[] huge = PngBytes.checkerboard(15_000, 15_000);
        byte[] strip = PngBytes.checkerboard(20_000, 140);
        try (InferenceServer s = new InferenceServer(classifier, InferenceServer.Config.defaults().withPort(0),
                new io.github.inception4j.data.DecodeBudget(8L << 20))) {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(s.url() + "v1/classify"))
                        .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(huge))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                assertEquals(200, a.get().statusCode(), a.get().body());
            }
            HttpResponse<String> r = post(s, "", "image/png", strip);
            assertEquals(413, r.statusCode(), r.body());
            JsonObject error = JsonParser.parseString(r.body()).getAsJsonObject();
            assertEquals("image_too_large", error.get("kind").getAsString());
            assertTrue(error.get("error").getAsString().contains("a 20000×140 png image needs 64.1 MiB to decode, "
                    + "more than the decode budget of 8.0 MiB"), r.body());
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + "healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void concurrentRequestsAreBatchedUpToTheMaximum() throws Exception {
        byte[] png = TestModels.sample(7, "png");
        try (InferenceServer s = new InferenceServer(classifier,
                config(new InferenceServer.Batching(8, 50, 256, 1), 30_000))) {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(s.url() + "v1/classify"))
                        .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                assertEquals(200, a.get().statusCode(), a.get().body());
            }
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double mean = LoadTest.meanBatchSize(metrics);
            assertTrue(mean > 1 && mean <= 8, "mean batch size " + mean + "\n" + metrics);
            assertTrue(metrics.contains("inception_batch_size_bucket{le=\"8.0\"} "), metrics);
        }
    }

    @Test
    void aFullQueueAnswers503WithRetryAfter() throws Exception {
        byte[] png = TestModels.sample(9, "png");
        try (InferenceServer s = new InferenceServer(classifier,
                config(new InferenceServer.Batching(1, 0, 1, 1), 30_000))) {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(s.url() + "v1/classify"))
                        .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            int busy = 0;
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get();
                if (r.statusCode() == 503) {
                    busy++;
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
                    assertEquals("queue_full", JsonParser.parseString(r.body()).getAsJsonObject().get("kind")
                            .getAsString());
                } else {
                    assertEquals(200, r.statusCode(), r.body());
                    ok++;
                }
            }
            assertTrue(ok >= 1 && busy >= 1, ok + " answered, " + busy + " refused");
        }
    }

    @Test
    void aRequestPastItsTimeoutGets503() throws Exception {
        try (InferenceServer s = new InferenceServer(classifier, config(InferenceServer.Batching.DEFAULT, 0))) {
            HttpResponse<String> r = post(s, "", "image/png", TestModels.sample(1, "png"));
            assertEquals(503, r.statusCode(), r.body());
            assertEquals("timeout", JsonParser.parseString(r.body()).getAsJsonObject().get("kind").getAsString());
        }
    }

    @Test
    void shutdownAnswersTheRequestsInFlight() throws Exception {
        byte[] png = TestModels.sample(2, "png");
        InferenceServer s = new InferenceServer(classifier,
                config(new InferenceServer.Batching(4, 20, 256, 1), 30_000));
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(s.url() + "v1/classify"))
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(100);
        s.close();
        int answered = 0;
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            try {
                int status = a.get().statusCode();
                assertTrue(status == 200 || status == 503, "status " + status);
                answered += status == 200 ? 1 : 0;
            } catch (java.util.concurrent.ExecutionException e) {
                // Only a request that had not reached the server before it stopped may fail to connect.
                assertTrue(e.getCause() instanceof java.net.ConnectException
                        || e.getCause() instanceof IOException, e.toString());
            }
        }
        assertTrue(answered >= 1, "requests in flight were answered");
    }

    @Test
    void aLoadTestOf64ClientsHasNoFailuresAndUsesBatching() throws Exception {
        // The bounded version of the documented 60-second run (docs/benchmarks.md): 64 clients for 5 seconds.
        LoadTest.Result r = LoadTest.run(URI.create(server.url()), TestModels.sample(4, "png"), "image/png", 64,
                Duration.ofSeconds(5), 100_000);
        assertEquals(0, r.failures(), "answers by status " + r.byStatus());
        assertTrue(r.byStatus().getOrDefault(200, 0L) > 0, r.toString());
        assertTrue(r.meanBatchSize() > 1, "mean batch size " + r.meanBatchSize());
        assertTrue(r.latency().p99() >= r.latency().p50());
    }
}
