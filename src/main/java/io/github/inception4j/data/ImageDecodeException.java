package io.github.inception4j.data;

/** An image that cannot be used: unreadable, corrupt, of an unsupported kind, or too large. Names the source. */
public final class ImageDecodeException extends IllegalArgumentException {

    /**
     * Why an image was refused. The server answers {@link #TOO_LARGE} with 413, {@link #BUSY} (the shared decode
     * budget stayed in use by other images past the wait limit) with 503, the others with 400.
     */
    public enum Reason { UNREADABLE, EMPTY, UNSUPPORTED, DAMAGED, TOO_LARGE, BUSY }

    private final String source;
    private final String problem;
    private final Reason reason;

    public ImageDecodeException(String source, Reason reason, String problem) {
        this(source, reason, problem, null);
    }

    public ImageDecodeException(String source, Reason reason, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    /** The message without the source: what is wrong with the image. */
    public String problem() {
        return problem;
    }

    public Reason reason() {
        return reason;
    }
}
