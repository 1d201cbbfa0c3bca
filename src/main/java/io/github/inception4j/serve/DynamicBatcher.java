package io.github.inception4j.serve;

import io.github.inception4j.eval.ImageClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching: requests wait in a bounded queue; a worker takes the first waiting request, then keeps
 * taking until the batch is full or {@code maxDelay} has passed since that first request, and classifies them in
 * one forward pass. A full queue refuses at once (the caller answers 503), so load never piles up unseen.
 */
final class DynamicBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

    /** Thrown by {@link #submit} when the queue is full. */
    static final class QueueFullException extends RuntimeException {
        QueueFullException(int capacity) {
            super("the server is at capacity (" + capacity + " requests waiting); retry shortly");
        }
    }

    /** One preprocessed image (3 × S × S) and where its class probabilities go. */
    private record Job(float[] sample, CompletableFuture<float[]> result) {
    }

    private final ImageClassifier classifier;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final int capacity;
    private final BlockingQueue<Job> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final IntConsumer batchSizes;
    private volatile boolean closing;

    /**
     * @param batchSizes told the size of every batch run (metrics)
     */
    DynamicBatcher(ImageClassifier classifier, InferenceServer.Batching batching, IntConsumer batchSizes) {
        this.classifier = classifier;
        this.maxBatch = batching.maxBatch();
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(batching.maxDelayMillis());
        this.capacity = batching.queue();
        this.queue = new ArrayBlockingQueue<>(batching.queue());
        this.batchSizes = batchSizes;
        for (int i = 0; i < batching.workers(); i++) {
            Thread t = new Thread(this::work, "inception-batcher-" + (i + 1));
            t.setDaemon(true);
            t.start();
            this.workers.add(t);
        }
    }

    /** Requests waiting for a worker. */
    int queueDepth() {
        return queue.size();
    }

    /**
     * Queues one preprocessed sample; the future completes with its class probabilities. Cancelling the future
     * (a request that timed out) drops the sample if it has not run yet.
     *
     * @throws QueueFullException when the queue is full
     */
    CompletableFuture<float[]> submit(float[] sample) {
        if (closing) {
            throw new IllegalStateException("the server is shutting down");
        }
        Job job = new Job(sample, new CompletableFuture<>());
        if (!queue.offer(job)) {
            throw new QueueFullException(capacity);
        }
        return job.result();
    }

    private void work() {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxDelayNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
            } catch (InterruptedException e) {
                batch.forEach(j -> j.result().completeExceptionally(e));
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Job> batch) {
        List<Job> live = batch.stream().filter(j -> !j.result().isDone()).toList();
        if (live.isEmpty()) {
            return;
        }
        int sample = classifier.sampleLength();
        float[] x = new float[live.size() * sample];
        for (int i = 0; i < live.size(); i++) {
            System.arraycopy(live.get(i).sample(), 0, x, i * sample, sample);
        }
        batchSizes.accept(live.size());
        try {
            float[][] p = classifier.probabilitiesOf(x, live.size());
            for (int i = 0; i < live.size(); i++) {
                live.get(i).result().complete(p[i]);
            }
        } catch (RuntimeException e) {
            LOG.error("a batch of {} failed", live.size(), e);
            live.forEach(j -> j.result().completeExceptionally(e));
        }
    }

    /** Stops taking requests, lets the workers finish what is queued, and waits for them. */
    @Override
    public void close() {
        closing = true;
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
