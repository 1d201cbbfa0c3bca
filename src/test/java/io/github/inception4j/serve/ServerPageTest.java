package io.github.inception4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.inception4j.eval.ImageClassifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload page at / in headless Chromium (Debian's chromium), driven over the DevTools protocol: choose an
 * image, press Classify, and the bars show the classifier's top five. Leaves target/screenshots/serve-page.png.
 */
class ServerPageTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SCREENSHOT = Path.of("target/screenshots/serve-page.png");

    @TempDir
    Path dir;

    @Test
    void uploadingAnImageShowsTheTopFiveAsBars() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed (apt-get install chromium)");
        Path png = dir.resolve("sample.png");
        Files.write(png, TestModels.sample(12, "png"));
        try (ImageClassifier classifier = ImageClassifier.load(TestModels.smallCheckpoint(dir.resolve("model")));
             InferenceServer server = new InferenceServer(classifier, InferenceServer.Config.defaults().withPort(0))) {
            List<String> expected = classifier.classify(png, 5).stream().map(ImageClassifier.Prediction::label)
                    .toList();
            Process browser = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--remote-debugging-port=0", "--user-data-dir=" + dir.resolve("profile"),
                    "--window-size=900,700", server.url()).redirectErrorStream(true).start();
            try (DevTools page = DevTools.attach(browser, server.url())) {
                page.waitFor("document.readyState === 'complete' && document.getElementById('file') !== null", 30);
                // The input as a remote object, set and checked in the same document; a fresh profile's first load
                // can replace the document once (seen on CI), so a stale input is set again.
                for (int attempt = 0; ; attempt++) {
                    String input = page.call("Runtime.evaluate", Map.of("expression",
                            "document.getElementById('file')")).getAsJsonObject("result").get("objectId").getAsString();
                    page.call("DOM.setFileInputFiles", Map.of("objectId", input, "files", List.of(png.toString())));
                    if (page.evaluate("document.getElementById('file').files.length === 1").getAsBoolean()
                            || attempt == 5) {
                        break;
                    }
                    Thread.sleep(200);
                }
                page.waitFor("document.getElementById('file').files.length === 1", 10);
                page.evaluate("document.getElementById('send').click()");
                page.waitFor("document.querySelectorAll('.prediction').length === 5", 30);
                String labels = page.evaluate("Array.from(document.querySelectorAll('.prediction .label'))"
                        + ".map(e => e.textContent).join('|')").getAsString();
                assertEquals(String.join("|", expected), labels);
                String width = page.evaluate("document.querySelector('.prediction .bar').style.width").getAsString();
                assertTrue(width.endsWith("%") && Double.parseDouble(width.replace("%", "")) > 0, width);
                String shot = page.call("Page.captureScreenshot", Map.of("format", "png")).get("data").getAsString();
                Files.createDirectories(SCREENSHOT.getParent());
                Files.write(SCREENSHOT, Base64.getDecoder().decode(shot));
                assertTrue(Files.size(SCREENSHOT) > 1000);
            } finally {
                browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A minimal Chrome DevTools Protocol client for one page: commands by id, answers matched by id. */
    static final class DevTools implements AutoCloseable, WebSocket.Listener {
        private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://([^/]+)/");
        private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static DevTools attach(Process browser, String pageUrl) throws Exception {
            BufferedReader log = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                    StandardCharsets.UTF_8));
            String hostPort = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            StringBuilder seen = new StringBuilder();
            while (hostPort == null && System.nanoTime() < deadline) {
                String line = log.readLine();
                if (line == null) {
                    break;
                }
                seen.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    hostPort = m.group(1);
                }
            }
            if (hostPort == null) {
                throw new IllegalStateException("chromium did not open DevTools:\n" + seen);
            }
            // Keep draining the browser's output so it never blocks on a full pipe.
            Thread drain = new Thread(() -> log.lines().forEach(l -> { }), "chromium-log");
            drain.setDaemon(true);
            drain.start();
            HttpClient http = HttpClient.newHttpClient();
            String ws = null;
            while (ws == null && System.nanoTime() < deadline) {
                JsonArray targets = JsonParser.parseString(http.send(HttpRequest.newBuilder(
                        URI.create("http://" + hostPort + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).getAsJsonArray();
                for (JsonElement t : targets) {
                    JsonObject o = t.getAsJsonObject();
                    if (o.get("type").getAsString().equals("page") && o.get("url").getAsString().startsWith(pageUrl)) {
                        ws = o.get("webSocketDebuggerUrl").getAsString();
                    }
                }
                if (ws == null) {
                    Thread.sleep(100);
                }
            }
            if (ws == null) {
                throw new IllegalStateException("no page for " + pageUrl);
            }
            DevTools tools = new DevTools();
            tools.socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), tools).get(20, TimeUnit.SECONDS);
            return tools;
        }

        JsonObject call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonObject> answer = new CompletableFuture<>();
            pending.put(id, answer);
            JsonObject message = new JsonObject();
            message.addProperty("id", id);
            message.addProperty("method", method);
            message.add("params", new com.google.gson.Gson().toJsonTree(params));
            socket.sendText(message.toString(), true).get(10, TimeUnit.SECONDS);
            JsonObject reply = answer.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + ": " + reply.get("error"));
            }
            return reply.getAsJsonObject("result");
        }

        JsonElement evaluate(String expression) throws Exception {
            JsonObject result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                    "awaitPromise", true));
            if (result.has("exceptionDetails")) {
                throw new IllegalStateException(expression + ": " + result.get("exceptionDetails"));
            }
            JsonObject value = result.getAsJsonObject("result");
            return value.has("value") ? value.get("value") : com.google.gson.JsonNull.INSTANCE;
        }

        void waitFor(String condition, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                JsonElement v = evaluate(condition);
                if (v.isJsonPrimitive() && v.getAsBoolean()) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("timed out after " + seconds + " s waiting for " + condition + "; page text: "
                    + evaluate("document.body.innerText"));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject message = JsonParser.parseString(partial.toString()).getAsJsonObject();
                partial.setLength(0);
                if (message.has("id")) {
                    CompletableFuture<JsonObject> f = pending.remove(message.get("id").getAsInt());
                    if (f != null) {
                        f.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
