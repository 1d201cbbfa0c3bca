package io.github.inception4j.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A closed-loop load test: {@code clients} threads each send one classification after another to a running
 * server until the time is up or the request budget is spent. Reports latency percentiles, throughput, answers
 * by status, and the server's mean batch size from its /metrics.
 */
public final class LoadTest {

    /**
     * @param byStatus answers by HTTP status; -1 counts requests that got no answer (connection failures)
     * @param meanBatchSize the server's images per forward pass over its whole life, from /metrics
     */
    public record Result(int clients, double seconds, long requests, Map<Integer, Long> byStatus, Latency latency,
                         double requestsPerSecond, double meanBatchSize) {

        /** Answers other than 200 and explicit 503s (which tell the client to retry). */
        public long failures() {
            return byStatus.entrySet().stream().filter(e -> e.getKey() != 200 && e.getKey() != 503)
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** Request latencies in milliseconds, answered or not: median, 99th percentile (nearest rank) and maximum. */
    public record Latency(double p50, double p99, double max) {
        static Latency of(List<Double> sortedMillis) {
            return new Latency(percentile(sortedMillis, 0.50), percentile(sortedMillis, 0.99),
                    sortedMillis.isEmpty() ? Double.NaN : sortedMillis.get(sortedMillis.size() - 1));
        }
    }

    private LoadTest() {
    }

    public static Result run(URI server, byte[] image, String contentType, int clients, Duration duration,
                             long maxRequests) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(4)).build();
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/v1/classify"))
                .header("Content-Type", contentType).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicLong> byStatus = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong budget = new AtomicLong(maxRequests);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                while (System.nanoTime() < end && budget.getAndDecrement() > 0) {
                    long t = System.nanoTime();
                    int status;
                    try {
                        status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (IOException e) {
                        status = -1;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    latencies.add((System.nanoTime() - t) / 1e6);
                    byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        Map<Integer, Long> statuses = new TreeMap<>();
        byStatus.forEach((k, v) -> statuses.put(k, v.get()));
        return new Result(clients, seconds, sorted.size(), statuses, Latency.of(sorted), sorted.size() / seconds,
                meanBatchSize(http, server));
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static final Pattern SUM = Pattern.compile("(?m)^inception_batch_size_sum(?:\\{[^}]*})? (\\S+)$");
    private static final Pattern COUNT = Pattern.compile("(?m)^inception_batch_size_count(?:\\{[^}]*})? (\\S+)$");

    /** sum / count of the server's batch-size histogram. */
    static double meanBatchSize(HttpClient http, URI server) {
        try {
            String text = http.send(HttpRequest.newBuilder(server.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return meanBatchSize(text);
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    static double meanBatchSize(String metrics) {
        Matcher sum = SUM.matcher(metrics);
        Matcher count = COUNT.matcher(metrics);
        if (!sum.find() || !count.find()) {
            return Double.NaN;
        }
        return Double.parseDouble(sum.group(1)) / Double.parseDouble(count.group(1));
    }
}
