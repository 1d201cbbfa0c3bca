package io.github.inception4j.data;

import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory all concurrent image decodes of this JVM may hold at once, so that N threads decoding large images
 * (loader threads, HTTP threads) cannot exhaust the heap together. A decode acquires the bytes it will need
 * before it allocates them ({@link #BYTES_PER_PIXEL} per decoded pixel, plus the encoded bytes) and releases them
 * when the image is converted. A single image that needs more than the whole budget is refused at once; others
 * wait their turn.
 *
 * <p>The default is a quarter of the maximum heap ({@code -Xmx}); set {@value #PROPERTY} (MiB) to change it,
 * e.g. {@code INCEPTION_JAVA_OPTS=-Dinception4j.decodeBudgetMiB=4096 ./inception predict ...}.
 */
public final class DecodeBudget {

    /** System property: the shared budget in MiB. */
    public static final String PROPERTY = "inception4j.decodeBudgetMiB";

    /**
     * Peak heap per decoded pixel: the decoder's raster (up to 8 bytes: 16-bit RGBA), the packed ARGB copy
     * (4 bytes) and the float CHW image (12 bytes) are alive together for a moment.
     */
    public static final int BYTES_PER_PIXEL = 24;

    private static final DecodeBudget SHARED = new DecodeBudget(configuredBytes());

    private final long bytes;
    /** One permit per KiB, so budgets up to 2 TiB fit an int. */
    private final Semaphore kibibytes;

    public DecodeBudget(long bytes) {
        if (bytes < 1 << 20) {
            throw new IllegalArgumentException("a decode budget needs at least 1 MiB, got " + bytes + " bytes");
        }
        this.bytes = bytes;
        this.kibibytes = new Semaphore((int) Math.min(Integer.MAX_VALUE, bytes >> 10), true);
    }

    /** The budget every decoder of this JVM shares unless it is given its own. */
    public static DecodeBudget shared() {
        return SHARED;
    }

    private static long configuredBytes() {
        String value = System.getProperty(PROPERTY);
        if (value != null) {
            try {
                return Long.parseLong(value.trim()) << 20;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(PROPERTY + " must be a whole number of MiB, not '" + value + "'");
            }
        }
        return Runtime.getRuntime().maxMemory() / 4;
    }

    public long bytes() {
        return bytes;
    }

    /** What decoding {@code pixels} pixels from {@code encodedBytes} bytes holds at its peak. */
    public static long cost(long pixels, long encodedBytes) {
        return pixels * BYTES_PER_PIXEL + encodedBytes;
    }

    /** Bytes held until closed. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds {@code cost} bytes of the budget, waiting up to {@code timeoutMillis} (negative: as long as it takes)
     * for other decodes to finish.
     *
     * @throws ImageDecodeException {@link ImageDecodeException.Reason#TOO_LARGE} when the cost is more than the
     *                              whole budget, {@link ImageDecodeException.Reason#BUSY} when the wait timed out
     */
    public Lease acquire(String source, String what, long cost, long timeoutMillis) {
        if (cost > bytes) {
            throw new ImageDecodeException(source, ImageDecodeException.Reason.TOO_LARGE, what + " needs "
                    + mib(cost) + " to decode, more than the decode budget of " + mib(bytes) + " (set -D"
                    + PROPERTY + " or a larger -Xmx to accept it)");
        }
        int permits = (int) Math.max(1, (cost + 1023) >> 10);
        try {
            if (timeoutMillis < 0) {
                kibibytes.acquire(permits);
            } else if (!kibibytes.tryAcquire(permits, timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new ImageDecodeException(source, ImageDecodeException.Reason.BUSY, what + " needs "
                        + mib(cost) + " to decode and the decode budget (" + mib(bytes) + ") stayed in use by "
                        + "other images for " + timeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageDecodeException(source, ImageDecodeException.Reason.UNREADABLE, "interrupted while "
                    + "waiting for decode memory");
        }
        return () -> kibibytes.release(permits);
    }

    /** Bytes not held by any decode right now. */
    public long available() {
        return (long) kibibytes.availablePermits() << 10;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
