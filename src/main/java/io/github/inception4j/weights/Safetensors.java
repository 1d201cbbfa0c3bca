package io.github.inception4j.weights;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the raw little-endian data. Read here rather than through DJL because DJL aborts
 * the JVM on a BF16 entry and cannot say which entry of a damaged file is wrong.
 */
public final class Safetensors {

    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** Whether these leading bytes look like a safetensors file. */
    static boolean sniff(byte[] head) {
        if (head.length < 9) {
            return false;
        }
        long length = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return length > 1 && length < MAX_HEADER && head[8] == '{';
    }

    static Map<String, Tensor> read(Path file, byte[] bytes) {
        try {
            return parse(file, bytes);
        } catch (WeightFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw WeightFileException.malformed(file, "safetensors", e);
        }
    }

    private static Map<String, Tensor> parse(Path file, byte[] bytes) {
        if (bytes.length < 8) {
            throw new WeightFileException(file, "truncated safetensors file (" + bytes.length + " bytes)");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
            throw new WeightFileException(file, "safetensors header length " + headerLength
                    + " does not fit a file of " + bytes.length + " bytes (truncated or not safetensors)");
        }
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new WeightFileException(file, "safetensors header is not a JSON object", e);
        }
        long dataStart = 8 + headerLength;
        long dataLength = bytes.length - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : header.entrySet()) {
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            String name = entry.getKey();
            JsonObject info = entry.getValue().getAsJsonObject();
            String dtypeName = info.get("dtype").getAsString();
            if (dtypeName.equals("BF16")) {
                throw new WeightFileException(file, "tensor '" + name + "' is BF16; bfloat16 is refused because it "
                        + "aborts DJL's PyTorch engine: convert the file to F32 or F16");
            }
            DType dtype;
            try {
                dtype = DType.fromSafetensors(dtypeName);
            } catch (IllegalArgumentException e) {
                throw new WeightFileException(file, "tensor '" + name + "': " + e.getMessage());
            }
            long[] shape = longs(info.getAsJsonArray("shape"));
            long[] offsets = longs(info.getAsJsonArray("data_offsets"));
            long expected = Arrays.stream(shape).reduce(1, Math::multiplyExact) * dtype.bytes();
            if (offsets.length != 2 || offsets[0] < 0 || offsets[1] > dataLength || offsets[1] - offsets[0] != expected) {
                throw new WeightFileException(file, "tensor '" + name + "' claims bytes " + Arrays.toString(offsets)
                        + " of " + dataLength + " for " + dtype + Arrays.toString(shape)
                        + " (truncated or corrupt file)");
            }
            byte[] data = Arrays.copyOfRange(bytes, (int) (dataStart + offsets[0]), (int) (dataStart + offsets[1]));
            tensors.put(name, new Tensor(name, dtype, shape, data));
        }
        return tensors;
    }

    /** Writes tensors in the given order, with string metadata; the header is padded to 8 bytes as the spec asks. */
    public static void write(OutputStream out, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", metadata);
        }
        long offset = 0;
        for (Tensor t : tensors) {
            if (t.dtype() == DType.BF16) {
                throw new IllegalArgumentException("refusing to write BF16 tensor " + t.name());
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype().safetensorsName());
            info.put("shape", t.shape());
            info.put("data_offsets", new long[] {offset, offset + t.data().length});
            header.put(t.name(), info);
            offset += t.data().length;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(headerBytes);
        for (Tensor t : tensors) {
            out.write(t.data());
        }
    }

    private static long[] longs(JsonArray array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsLong();
        }
        return values;
    }
}
