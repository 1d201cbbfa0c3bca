package io.github.inception4j.data;

/** An image that cannot be used: unreadable, corrupt, of an unsupported kind, or too large. Names the source. */
public final class ImageDecodeException extends IllegalArgumentException {

    private final String source;

    public ImageDecodeException(String source, String problem) {
        this(source, problem, null);
    }

    public ImageDecodeException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    public String source() {
        return source;
    }
}
