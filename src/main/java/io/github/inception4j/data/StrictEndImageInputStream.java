package io.github.inception4j.data;

import java.io.EOFException;
import java.io.IOException;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An in-memory image stream whose {@code readByte} past the end, after a little slack, fails with an
 * {@link IIOException} instead of an {@link EOFException}. TwelveMonkeys' WebP readers catch the EOFException and
 * go on decoding zeros, so a truncated or lying file would take seconds per image and come out as filler; this
 * stream makes them stop at the end of the data.
 */
final class StrictEndImageInputStream extends ImageInputStreamImpl {

    /** Reads past the end answered as usual (EOFException): bit readers prefetch a few bytes beyond valid data. */
    private static final int SLACK = 64;

    private final byte[] bytes;
    private int overruns;

    StrictEndImageInputStream(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int read() {
        bitOffset = 0;
        return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(len, bytes.length - streamPos);
        System.arraycopy(bytes, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public byte readByte() throws IOException {
        int b = read();
        if (b < 0) {
            if (++overruns <= SLACK) {
                throw new EOFException();
            }
            throw new IIOException("the image data ends early (truncated or damaged file)");
        }
        return (byte) b;
    }

    @Override
    public long length() {
        return bytes.length;
    }
}
