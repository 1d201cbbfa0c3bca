package io.github.inception4j.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/** What {@code GET /metrics} shows, in Prometheus' text format; one registry per server. */
final class ServerMetrics {

    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Counter errors;
    private final Histogram latency;
    private final Histogram batchSize;

    ServerMetrics() {
        requests = Counter.builder().name("inception_requests_total").help("HTTP requests by endpoint and status")
                .labelNames("endpoint", "status").register(registry);
        errors = Counter.builder().name("inception_errors_total").help("Classification requests refused or failed, "
                + "by kind").labelNames("kind").register(registry);
        latency = Histogram.builder().name("inception_request_duration_seconds").help("Time to answer "
                        + "POST /v1/classify, decoding and queueing included").classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).register(registry);
        batchSize = Histogram.builder().name("inception_batch_size").help("Images per forward pass (dynamic "
                + "batching)").classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128).register(registry);
    }

    /** Gauges read when /metrics is scraped. */
    void gauges(IntSupplier queueDepth, IntSupplier inFlight) {
        GaugeWithCallback.builder().name("inception_queue_depth").help("Requests waiting for a worker")
                .callback(cb -> cb.call(queueDepth.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("inception_requests_in_flight").help("Classification requests being "
                + "answered").callback(cb -> cb.call(inFlight.getAsInt())).register(registry);
    }

    void request(String endpoint, int status) {
        requests.labelValues(endpoint, String.valueOf(status)).inc();
    }

    void error(String kind) {
        errors.labelValues(kind).inc();
    }

    void latency(double seconds) {
        latency.observe(seconds);
    }

    void batch(int size) {
        batchSize.observe(size);
    }

    String text() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
