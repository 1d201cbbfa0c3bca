package io.github.inception4j.data;

import java.io.ByteArrayOutputStream;

/** Hand-made PNG files (for damaged and malicious inputs): the signature, then chunks with their CRCs. */
public final class PngBytes {

    private PngBytes() {
    }

    /** A PNG chunk: length, type, data, CRC-32 of type and data. */
    public static byte[] chunk(String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        crc.update(t);
        crc.update(data);
        return java.nio.ByteBuffer.allocate(12 + data.length).putInt(data.length).put(t).put(data)
                .putInt((int) crc.getValue()).array();
    }

    public static byte[] of(byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    /**
     * A valid 8-bit grayscale PNG of {@code width} × {@code height} pixels, a checkerboard of 100-pixel squares
     * (0 and 255), written row by row: a 15,000 × 15,000 image is about 0.3 MB on disk and 225 MB decoded.
     */
    public static byte[] checkerboard(int width, int height) {
        byte[] header = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array();
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION);
        try (java.util.zip.DeflaterOutputStream out = new java.util.zip.DeflaterOutputStream(idat, deflater, 1 << 16)) {
            byte[][] rows = new byte[2][width + 1];
            for (int x = 0; x < width; x++) {
                rows[0][x + 1] = (byte) (((x / 100) & 1) == 0 ? 0 : 255);
                rows[1][x + 1] = (byte) (((x / 100) & 1) == 0 ? 255 : 0);
            }
            // Row 0 unfiltered; then filter 2 (Up: the difference to the row above), all zeros inside a stripe,
            // which deflate compresses to about 0.3 MB.
            byte[] same = new byte[width + 1];
            same[0] = 2;
            byte[] flip = new byte[width + 1];
            flip[0] = 2;
            for (int x = 1; x <= width; x++) {
                flip[x] = (byte) (rows[1][x] - rows[0][x]);
            }
            out.write(rows[0]);
            for (int y = 1; y < height; y++) {
                if (y % 100 != 0) {
                    out.write(same);
                } else {
                    // Up from stripe (y/100 − 1) to stripe y/100: the difference alternates sign.
                    byte[] d = flip.clone();
                    if (((y / 100) & 1) == 0) {
                        for (int x = 1; x <= width; x++) {
                            d[x] = (byte) -d[x];
                        }
                    }
                    out.write(d);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return of(chunk("IHDR", header), chunk("IDAT", idat.toByteArray()), chunk("IEND", new byte[0]));
    }

    /** The value {@link #checkerboard} holds at (x, y), in [0, 1]. */
    public static float checkerboardAt(int x, int y) {
        return (((x / 100) + (y / 100)) & 1) == 0 ? 0f : 1f;
    }
}
