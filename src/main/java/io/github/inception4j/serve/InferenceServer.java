package io.github.inception4j.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.github.inception4j.data.DecodeBudget;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDecodeException;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.detect.Detection;
import io.github.inception4j.detect.DetectionJson;
import io.github.inception4j.detect.ObjectDetector;
import io.github.inception4j.eval.CropProtocol;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.eval.PredictionJson;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP inference server: {@code POST /v1/classify} (raw image body or multipart, {@code ?top_k=}),
 * {@code POST /v1/detect} (the same bodies, when a detector is loaded: boxes, classes, scores),
 * {@code GET /healthz}, {@code /readyz}, {@code /metrics} (Prometheus) and {@code /} (an upload page). Requests
 * are decoded and preprocessed on the HTTP threads, then classified in dynamic batches. Every refusal is JSON
 * {@code {"error": message, "kind": kind, "status": code}}; clients never see a stack trace.
 */
public final class InferenceServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/jpg", "image/png", "image/bmp",
            "image/x-ms-bmp", "image/gif", "image/webp", "image/tiff", "application/octet-stream");
    private static final long DRAIN_MILLIS = 30_000;

    /**
     * @param host address to listen on (loopback by default)
     * @param port 0 picks a free port
     * @param maxBodyBytes larger requests get 413
     * @param timeoutMillis per request, from arrival to answer; beyond, 503
     */
    public record Config(String host, int port, Batching batching, long maxBodyBytes, long timeoutMillis) {

        /** Loopback, port 8080, {@link Batching#DEFAULT}, 10 MiB bodies, 10 s per request. */
        public static Config defaults() {
            return new Config("127.0.0.1", 8080, Batching.DEFAULT, 10L << 20, 10_000);
        }

        public Config withPort(int value) {
            return new Config(host, value, batching, maxBodyBytes, timeoutMillis);
        }

        public Config withBatching(Batching value) {
            return new Config(host, port, value, maxBodyBytes, timeoutMillis);
        }

        public Config withLimits(long bodyBytes, long requestMillis) {
            return new Config(host, port, batching, bodyBytes, requestMillis);
        }
    }

    /**
     * How requests become batches.
     *
     * @param maxDelayMillis how long the first request of a batch waits for others
     * @param queue requests that may wait; beyond, 503 with Retry-After
     * @param workers batches run at once
     */
    public record Batching(int maxBatch, long maxDelayMillis, int queue, int workers) {

        /** Up to 16 images, a 5 ms wait, 256 waiting, one batch at a time. */
        public static final Batching DEFAULT = new Batching(16, 5, 256, 1);

        public Batching {
            if (maxBatch < 1 || maxDelayMillis < 0 || queue < 1 || workers < 1) {
                throw new IllegalArgumentException("max batch, queue and workers must be at least 1, the delay at "
                        + "least 0");
            }
        }
    }

    /** A refusal with its status and kind (also the metrics label). */
    private static final class Refusal extends RuntimeException {
        final int status;
        final String kind;

        Refusal(int status, String kind, String message) {
            super(message);
            this.status = status;
            this.kind = kind;
        }
    }

    private final ImageClassifier classifier;
    private final ImageDecoder decoder;
    /** The detector {@code /v1/detect} runs, or null; one detection at a time (it classifies hundreds of regions). */
    private final ObjectDetector detector;
    private final ImageDecoder detectDecoder;
    private final ReentrantLock detecting = new ReentrantLock(true);
    private final Config config;
    private final DynamicBatcher batcher;
    private final ServerMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Javalin app;
    private volatile boolean draining;
    private boolean closed;

    /** Starts serving {@code classifier} (which the server does not close), decoding within the JVM's budget. */
    public InferenceServer(ImageClassifier classifier, Config config) {
        this(classifier, config, DecodeBudget.shared());
    }

    /**
     * Starts serving {@code classifier}. Images are decoded no larger than the centre view needs, within
     * {@code budget}, shared by all HTTP threads: a request waits for it at most its own timeout (then 503), and an
     * image that needs more than the whole budget is answered 413, so N concurrent large images cannot exhaust
     * the heap together.
     */
    public InferenceServer(ImageClassifier classifier, Config config, DecodeBudget budget) {
        this(classifier, null, config, budget);
    }

    /**
     * As {@link #InferenceServer(ImageClassifier, Config, DecodeBudget)}, and {@code POST /v1/detect} with
     * {@code detector} (not closed by the server; null: the route answers 404). Detection decodes the whole image
     * (its boxes are in its pixels) within the same budget, body limit and timeout.
     */
    public InferenceServer(ImageClassifier classifier, ObjectDetector detector, Config config, DecodeBudget budget) {
        this.classifier = classifier;
        this.detector = detector;
        this.config = config;
        this.decoder = classifier.decoder(List.of(CropProtocol.CENTER)).withBudget(budget, config.timeoutMillis());
        this.detectDecoder = ImageDecoder.forView(0).withBudget(budget, config.timeoutMillis());
        this.metrics = new ServerMetrics();
        this.batcher = new DynamicBatcher(classifier, config.batching(), metrics::batch);
        metrics.gauges(batcher::queueDepth, inFlight::get);
        String page = resource("index.html");
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.http.maxRequestSize = config.maxBodyBytes();
            c.jetty.multipartConfig.maxTotalRequestSize(config.maxBodyBytes(), SizeUnit.BYTES);
            c.jetty.multipartConfig.maxFileSize(config.maxBodyBytes(), SizeUnit.BYTES);
            c.routes.post("/v1/classify", this::classify);
            c.routes.post("/v1/detect", this::detect);
            c.routes.get("/healthz", ctx -> json(ctx, "healthz", 200, status("ok")));
            c.routes.get("/readyz", ctx -> json(ctx, "readyz", draining ? 503 : 200,
                    status(draining ? "draining" : "ready")));
            c.routes.get("/metrics", ctx -> {
                metrics.request("metrics", 200);
                ctx.contentType(ServerMetrics.CONTENT_TYPE).result(metrics.text());
            });
            c.routes.get("/", ctx -> {
                metrics.request("page", 200);
                ctx.contentType("text/html; charset=utf-8").result(page);
            });
            c.routes.exception(HttpResponseException.class, (e, ctx) -> refuse(ctx, "other",
                    new Refusal(e.getStatus(), e.getStatus() == 413 ? "too_large" : e.getStatus() == 404 ? "not_found"
                            : "http", e.getMessage())));
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                refuse(ctx, "other", new Refusal(500, "internal", "internal error; the server log has the details"));
            });
        }).start();
        LOG.info("serving {} on http://{}:{}/", classifier.source(), config.host(), port());
    }

    /** The port listened on (the chosen one when the config asked for 0). */
    public int port() {
        return app.port();
    }

    public String url() {
        return "http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + port()
                + "/";
    }

    private void classify(Context ctx) {
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        try {
            if (draining) {
                throw new Refusal(503, "shutting_down", "the server is shutting down");
            }
            int k = topK(ctx.queryParam("top_k"));
            float[] sample = sample(decoder, classifier, body(ctx));
            CompletableFuture<float[]> result;
            try {
                result = batcher.submit(sample);
            } catch (DynamicBatcher.QueueFullException e) {
                throw new Refusal(503, "queue_full", e.getMessage());
            }
            long left = config.timeoutMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            float[] probabilities;
            try {
                probabilities = result.get(Math.max(0, left), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | CancellationException e) {
                result.cancel(false);
                throw new Refusal(503, "timeout", "no answer within " + config.timeoutMillis() + " ms; retry later");
            } catch (ExecutionException e) {
                throw new IllegalStateException("classification failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Refusal(503, "shutting_down", "interrupted");
            }
            JsonObject answer = new JsonObject();
            answer.add("predictions", PredictionJson.of(classifier.topK(probabilities, k)));
            answer.addProperty("milliseconds", (System.nanoTime() - start) / 1e6);
            json(ctx, "classify", 200, answer);
        } catch (Refusal r) {
            refuse(ctx, "classify", r);
        } catch (ImageDecodeException e) {
            refuse(ctx, "classify", decodeRefusal(e));
        } finally {
            inFlight.decrementAndGet();
            metrics.latency((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * What the server does with a request's bytes before batching: decode (bounded by the centre view and the
     * budget), then preprocess into one 3 × S × S sample. Throws only {@link ImageDecodeException}.
     */
    static float[] sample(ImageDecoder decoder, ImageClassifier classifier, byte[] body) {
        FloatImage image = decoder.read(body, "the request's image");
        return classifier.preprocess(image, List.of(CropProtocol.CENTER));
    }

    private void detect(Context ctx) {
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        try {
            if (draining) {
                throw new Refusal(503, "shutting_down", "the server is shutting down");
            }
            if (detector == null) {
                throw new Refusal(404, "not_found", "this server has no detector; start it with --detector DIR");
            }
            FloatImage image = detectDecoder.read(body(ctx), "the request's image");
            long left = config.timeoutMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            List<Detection> found;
            try {
                if (!detecting.tryLock(Math.max(0, left), TimeUnit.MILLISECONDS)) {
                    throw new Refusal(503, "timeout", "no answer within " + config.timeoutMillis() + " ms; retry "
                            + "later");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Refusal(503, "shutting_down", "interrupted");
            }
            try {
                found = detector.detect(image);
            } finally {
                detecting.unlock();
            }
            JsonObject answer = new JsonObject();
            answer.addProperty("width", image.width());
            answer.addProperty("height", image.height());
            answer.add("detections", DetectionJson.of(found, detector.classNames()));
            answer.addProperty("milliseconds", (System.nanoTime() - start) / 1e6);
            json(ctx, "detect", 200, answer);
        } catch (Refusal r) {
            refuse(ctx, "detect", r);
        } catch (ImageDecodeException e) {
            refuse(ctx, "detect", decodeRefusal(e));
        } finally {
            inFlight.decrementAndGet();
            metrics.latency((System.nanoTime() - start) / 1e9);
        }
    }

    /** An image the decoder refused: too large 413, no decode budget in time 503, anything else 400. */
    private static Refusal decodeRefusal(ImageDecodeException e) {
        return switch (e.reason()) {
            case TOO_LARGE -> new Refusal(413, "image_too_large", e.getMessage());
            case BUSY -> new Refusal(503, "decode_busy", e.getMessage());
            default -> new Refusal(400, "bad_image", e.getMessage());
        };
    }

    private int topK(String value) {
        if (value == null) {
            return Math.min(5, classifier.classNames().size());
        }
        try {
            int k = Integer.parseInt(value);
            if (k >= 1) {
                return Math.min(k, classifier.classNames().size());
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Refusal(400, "bad_request", "top_k must be a whole number of at least 1, not '" + value + "'");
    }

    /** The image bytes: the raw body (an image type or none), or the first file of a multipart form. */
    private byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            throw tooLarge();
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().split(";")[0].strip()
                .toLowerCase(Locale.ROOT);
        if (type.equals("multipart/form-data")) {
            List<UploadedFile> files = ctx.uploadedFiles();
            if (files.isEmpty()) {
                throw new Refusal(400, "bad_request", "the multipart form has no file part; send the image as a "
                        + "file field (e.g. curl -F image=@photo.jpg)");
            }
            try (InputStream in = files.get(0).content()) {
                return read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!type.isEmpty() && !IMAGE_TYPES.contains(type)) {
            throw new Refusal(415, "unsupported_type", "unsupported content type '" + type + "'; send image/jpeg, "
                    + "image/png, image/bmp, image/gif, image/webp, image/tiff, application/octet-stream or a multipart form");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            return read(in);
        } catch (IOException e) {
            throw new Refusal(400, "bad_request", "could not read the request body: " + e.getMessage());
        }
    }

    /** Reads at most the body limit; one byte more means the body is too large. */
    private byte[] read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBodyBytes() + 1));
        if (bytes.length > config.maxBodyBytes()) {
            throw tooLarge();
        }
        return bytes;
    }

    private Refusal tooLarge() {
        return new Refusal(413, "too_large", "the body is larger than the server's limit of "
                + config.maxBodyBytes() + " bytes");
    }

    private void refuse(Context ctx, String endpoint, Refusal r) {
        metrics.error(r.kind);
        JsonObject o = new JsonObject();
        o.addProperty("error", r.getMessage());
        o.addProperty("kind", r.kind);
        o.addProperty("status", r.status);
        if (r.status == 503) {
            ctx.header("Retry-After", "1");
        }
        json(ctx, endpoint, r.status, o);
    }

    private void json(Context ctx, String endpoint, int status, JsonObject body) {
        metrics.request(endpoint, status);
        ctx.status(status).contentType("application/json").result(GSON.toJson(body));
    }

    private static JsonObject status(String value) {
        JsonObject o = new JsonObject();
        o.addProperty("status", value);
        return o;
    }

    private static String resource(String name) {
        try (InputStream in = InferenceServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Graceful shutdown: /readyz turns 503 and new classifications are refused with 503, requests in flight and
     * queued are answered (up to 30 s), then the HTTP server stops.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        batcher.close();
        app.stop();
        LOG.info("stopped; {} requests were still in flight", inFlight.get());
    }
}
