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
}
