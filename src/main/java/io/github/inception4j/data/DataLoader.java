package io.github.inception4j.data;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams batches of transformed samples, decoded and transformed on {@code threads} loader threads with at most
 * {@code prefetch} batches in flight, so memory stays bounded whatever the dataset's size. Everything random is a
 * function of (seed, epoch, example index): the order of an epoch and each sample's distortions are the same
 * whatever the thread count, and an epoch can be restarted at any batch (resume) with identical results.
 */
public final class DataLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataLoader.class);

    /** Turns one example into its sample (e.g. {@link ImagePipeline#trainTransform}); must be thread-safe. */
    @FunctionalInterface
    public interface SampleTransform {
        float[] apply(FloatImage image, SplittableRandom random);

        /** The shorter side the transform resamples from at most; larger images are decoded subsampled. */
        default int viewSide() {
            return 0;
        }
    }

    /**
     * How a loader works: {@code threads} loader threads with at most {@code prefetch} batches in flight; whether
     * an undecodable image stops the run ({@code strict}) or is skipped, counted and logged.
     */
    public record Workers(int threads, int prefetch, boolean strict) {

        public Workers {
            if (threads < 1 || prefetch < 1) {
                throw new IllegalArgumentException("threads and prefetch must be at least 1");
            }
        }

        /** {@code threads} threads, two batches in flight per thread. */
        public static Workers of(int threads, boolean strict) {
            return new Workers(threads, 2 * threads, strict);
        }
    }

    /**
     * {@code count} samples, each {@code sampleLength} floats, laid out one after another, with their labels; a
     * detector's batch carries per-example regression targets as well ({@code targets}: count × T floats, else
     * null).
     */
    public record Batch(int epoch, int index, int count, float[] samples, int[] labels, float[] targets) {

        /** A classification batch (no targets). */
        public Batch(int epoch, int index, int count, float[] samples, int[] labels) {
            this(epoch, index, count, samples, labels, null);
        }
    }

    private final ImageDataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final SampleTransform transform;
    private final int sampleLength;
    private final long seed;
    private final int prefetch;
    private final boolean strict;
    private final ImageDecoder decoder;
    private final ExecutorService pool;
    private final AtomicLong skipped = new AtomicLong();

    /** @param sampleLength floats per transformed sample */
    public DataLoader(ImageDataset data, int batchSize, boolean shuffle, SampleTransform transform, int sampleLength,
                      long seed, Workers workers) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("the dataset is empty");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.transform = transform;
        this.sampleLength = sampleLength;
        this.seed = seed;
        this.prefetch = workers.prefetch();
        this.strict = workers.strict();
        this.decoder = ImageDecoder.forView(transform.viewSide());
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers.threads(), r -> {
            Thread t = new Thread(r, "inception-loader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public ImageDataset data() {
        return data;
    }

    /** Batches per epoch; the last one may be smaller. */
    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** Images skipped so far because they could not be decoded. */
    public long skipped() {
        return skipped.get();
    }

    /** The order of examples in {@code epoch}: a permutation drawn from (seed, epoch), or 0…n−1. */
    public int[] order(int epoch) {
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Splits.shuffle(order, new SplittableRandom(mix(seed, epoch, -1)));
        }
        return order;
    }

    /** The batches of {@code epoch} from {@code firstBatch} on; close the iterator if you stop early. */
    public EpochIterator epoch(int epoch, int firstBatch) {
        return new EpochIterator(epoch, firstBatch);
    }

    /** Iterates one epoch, keeping up to {@code prefetch} batches in preparation. */
    public final class EpochIterator implements Iterator<Batch>, AutoCloseable {

        private final int epoch;
        private final int[] order;
        private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
        private int nextToSubmit;

        EpochIterator(int epoch, int firstBatch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.nextToSubmit = firstBatch;
            fill();
        }

        private void fill() {
            while (inFlight.size() < prefetch && nextToSubmit < batchesPerEpoch()) {
                int index = nextToSubmit++;
                inFlight.add(pool.submit(() -> load(epoch, index, order)));
            }
        }

        @Override
        public boolean hasNext() {
            return !inFlight.isEmpty();
        }

        @Override
        public Batch next() {
            if (inFlight.isEmpty()) {
                throw new NoSuchElementException();
            }
            Future<Batch> head = inFlight.poll();
            fill();
            try {
                return head.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while loading a batch");
            } catch (ExecutionException e) {
                close();
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException("loading a batch failed", e.getCause());
            }
        }

        @Override
        public void close() {
            inFlight.forEach(f -> f.cancel(true));
            inFlight.clear();
        }
    }

    /**
     * Part {@code part} of {@code parts} of batch {@code index} of {@code epoch}, loaded on the calling thread: the
     * batch's examples in order, cut into {@code parts} consecutive slices whose sizes differ by at most one (a
     * replica's share of a batch that several replicas split).
     */
    public Batch load(int epoch, int index, int part, int parts) {
        if (parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts);
        }
        int[] order = order(epoch);
        int start = index * batchSize;
        int size = Math.min(order.length, start + batchSize) - start;
        return load(epoch, index, order, start + (int) ((long) part * size / parts),
                start + (int) ((long) (part + 1) * size / parts));
    }

    private Batch load(int epoch, int index, int[] order) {
        int start = index * batchSize;
        return load(epoch, index, order, start, Math.min(order.length, start + batchSize));
    }

    private Batch load(int epoch, int index, int[] order, int start, int end) {
        float[] samples = new float[(end - start) * sampleLength];
        int[] labels = new int[end - start];
        int count = 0;
        for (int i = start; i < end; i++) {
            int example = order[i];
            FloatImage image;
            try {
                image = data.image(example, decoder);
            } catch (ImageDecodeException e) {
                if (strict) {
                    throw e;
                }
                long n = skipped.incrementAndGet();
                LOG.warn("skipped an undecodable image ({} so far): {}", n, e.getMessage());
                continue;
            }
            float[] sample = transform.apply(image, new SplittableRandom(mix(seed, epoch, example)));
            if (sample.length != sampleLength) {
                throw new IllegalStateException("transform produced " + sample.length + " floats, expected "
                        + sampleLength);
            }
            System.arraycopy(sample, 0, samples, count * sampleLength, sampleLength);
            labels[count++] = data.label(example);
        }
        if (count < labels.length) {
            samples = java.util.Arrays.copyOf(samples, count * sampleLength);
            labels = java.util.Arrays.copyOf(labels, count);
        }
        return new Batch(epoch, index, count, samples, labels);
    }

    /** A well-mixed seed for (seed, epoch, example), so nearby indices get unrelated streams. */
    static long mix(long seed, long epoch, long example) {
        return mix64(mix64(mix64(seed) ^ epoch) ^ example);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
