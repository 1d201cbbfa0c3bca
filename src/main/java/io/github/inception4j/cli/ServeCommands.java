package io.github.inception4j.cli;

import io.github.inception4j.data.DecodeBudget;
import io.github.inception4j.data.FashionMnist;
import io.github.inception4j.data.ImageEncoder;
import io.github.inception4j.detect.ObjectDetector;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.serve.InferenceServer;
import io.github.inception4j.serve.LoadTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serve} (the HTTP server) and {@code load-test} (a closed-loop client for it). */
final class ServeCommands {

    private ServeCommands() {
    }

    /** The server settings shared by serve and an in-process load test. */
    static final class ServerOptions {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: "
                + "${DEFAULT-VALUE}, loopback only).")
        String host;

        @Option(names = "--port", defaultValue = "8080", description = "Port (0: any free one; default: "
                + "${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--max-batch", defaultValue = "16", description = "Most images per forward pass "
                + "(default: ${DEFAULT-VALUE}).")
        int maxBatch;

        @Option(names = "--max-delay-ms", defaultValue = "5", description = "How long a request waits for others "
                + "to batch with (default: ${DEFAULT-VALUE}).")
        long maxDelayMs;

        @Option(names = "--queue", defaultValue = "256", description = "Requests that may wait; more get 503 "
                + "(default: ${DEFAULT-VALUE}).")
        int queue;

        @Option(names = "--max-body-mb", defaultValue = "10", description = "Largest request body; more gets 413 "
                + "(default: ${DEFAULT-VALUE}).")
        double maxBodyMb;

        @Option(names = "--workers", defaultValue = "1", description = "Batches run at once (default: "
                + "${DEFAULT-VALUE}; each uses all intra-op threads).")
        int workers;

        @Option(names = "--timeout-ms", defaultValue = "10000", description = "Per-request limit; beyond it, 503 "
                + "(default: ${DEFAULT-VALUE}).")
        long timeoutMs;

        InferenceServer.Config config(int overridePort) {
            return new InferenceServer.Config(host, overridePort,
                    new InferenceServer.Batching(maxBatch, maxDelayMs, queue, workers), (long) (maxBodyMb * (1 << 20)),
                    timeoutMs);
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serve a classifier over HTTP, batching requests dynamically.",
                    "POST /v1/classify (raw image or multipart, ?top_k=), POST /v1/detect with --detector (boxes, "
                    + "classes, scores), GET /healthz, /readyz, /metrics (Prometheus) and / (an upload page). Ctrl-C "
                    + "or SIGTERM drains the requests in flight, then stops."})
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ClassifierOptions classifier;

        @Mixin
        ServerOptions server;

        @Option(names = "--detector", paramLabel = "DIR", description = "Also answer POST /v1/detect with this "
                + "detector (made by train-detector).")
        Path detectorDir;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            ImageClassifier c = classifier.open();
            ObjectDetector detector = null;
            InferenceServer s;
            try {
                detector = detectorDir == null ? null : ObjectDetector.load(detectorDir, c.backend());
                s = new InferenceServer(c, detector, server.config(server.port), DecodeBudget.shared());
            } catch (RuntimeException e) {
                c.close();
                if (detector != null) {
                    detector.close();
                }
                throw new IllegalStateException("cannot serve on " + server.host + ":" + server.port + ": "
                        + e.getMessage(), e);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            ObjectDetector served = detector;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                s.close();
                c.close();
                if (served != null) {
                    served.close();
                }
                stopped.countDown();
            }, "inception-serve-shutdown"));
            out.println("serving " + c.source() + " (" + c.architecture().cliName() + ", "
                    + c.classNames().size() + " classes) at " + s.url() + " — Ctrl-C to stop");
            out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "load-test", mixinStandardHelpOptions = true,
            description = {"Put closed-loop load on a classification server and report latency and throughput.",
                    "N clients each send one request after another for a fixed time; prints p50/p99 latency, "
                    + "throughput, answers by status and the server's mean batch size. Against --url, or a server "
                    + "started in-process from --checkpoint."})
    static final class Load implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--url", paramLabel = "URL", description = "A running server, e.g. http://127.0.0.1:8080/.")
        URI url;

        @Option(names = "--checkpoint", paramLabel = "DIR", description = "Start a server for this checkpoint "
                + "on a free loopback port instead.")
        Path checkpoint;

        @Mixin
        ServerOptions server;

        @Mixin
        BackendOption backend;

        @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients (default: "
                + "${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--seconds", defaultValue = "60", description = "How long (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--max-requests", defaultValue = "1000000", description = "Stop after this many requests "
                + "(default: ${DEFAULT-VALUE}).")
        long maxRequests;

        @Option(names = "--image", paramLabel = "FILE", description = "The image to send (default: a 28 × 28 "
                + "Fashion-MNIST PNG from the embedded subset).")
        Path image;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if ((url == null) == (checkpoint == null)) {
                throw new IllegalArgumentException("give either --url or --checkpoint");
            }
            byte[] body = image != null ? Files.readAllBytes(image) : samplePng();
            String type = image == null || image.toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png"
                    : "image/jpeg";
            LoadTest.Result r;
            if (checkpoint != null) {
                try (ImageClassifier c = ImageClassifier.load(checkpoint, backend.backend());
                     InferenceServer s = new InferenceServer(c, server.config(0))) {
                    r = LoadTest.run(URI.create(s.url()), body, type, clients, Duration.ofSeconds(seconds),
                            maxRequests);
                }
            } else {
                r = LoadTest.run(url, body, type, clients, Duration.ofSeconds(seconds), maxRequests);
            }
            spec.commandLine().getOut().println(String.format(Locale.ROOT, "%d clients, %.1f s: %d requests, %.1f/s; "
                            + "latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; answers by status %s; failures (not "
                            + "200 or 503) %d; server mean batch size %.2f", r.clients(), r.seconds(), r.requests(),
                    r.requestsPerSecond(), r.latency().p50(), r.latency().p99(), r.latency().max(), r.byStatus(),
                    r.failures(), r.meanBatchSize()));
            return r.failures() == 0 ? 0 : 1;
        }

        private static byte[] samplePng() {
            return ImageEncoder.encode(FashionMnist.embeddedSubset(FashionMnist.Split.TEST).image(0), "png");
        }
    }
}
