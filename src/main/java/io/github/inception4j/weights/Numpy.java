package io.github.inception4j.weights;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** NumPy's .npy (one array) and .npz (a zip of .npy, plain or deflated), little-endian, C or Fortran order. */
public final class Numpy {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Numpy() {
    }

    static Map<String, Tensor> readNpz(Path file, byte[] bytes) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName().endsWith(".npy")
                        ? entry.getName().substring(0, entry.getName().length() - 4) : entry.getName();
                tensors.put(name, readNpy(file, name, zip.readAllBytes()));
            }
        } catch (IOException e) {
            throw new WeightFileException(file, "damaged .npz (zip) file: " + e.getMessage(), e);
        } catch (WeightFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw WeightFileException.malformed(file, ".npz", e);
        }
        return tensors;
    }

    static Tensor readNpy(Path file, String name, byte[] bytes) {
        try {
            return parseNpy(file, name, bytes);
        } catch (WeightFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw WeightFileException.malformed(file, ".npy", e);
        }
    }

    private static Tensor parseNpy(Path file, String name, byte[] bytes) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new WeightFileException(file, "'" + name + "' is not a .npy array");
        }
        int major = bytes[6];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int headerStart = major == 1 ? 10 : 12;
        if (headerStart + headerLength > bytes.length) {
            throw new WeightFileException(file, "'" + name + "': truncated .npy header");
        }
        String header = new String(bytes, headerStart, headerLength, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeMatch = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
            throw new WeightFileException(file, "'" + name + "': unreadable .npy header " + header.strip());
        }
        DType dtype;
        try {
            dtype = DType.fromNumpy(descr.group(1));
        } catch (IllegalArgumentException e) {
            throw new WeightFileException(file, "'" + name + "': " + e.getMessage());
        }
        long[] shape = Arrays.stream(shapeMatch.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        if (Arrays.stream(shape).anyMatch(d -> d < 0)) {
            throw new WeightFileException(file, "'" + name + "': negative dimension in shape "
                    + Arrays.toString(shape));
        }
        int dataStart = headerStart + headerLength;
        long expected = Math.multiplyExact(Arrays.stream(shape).reduce(1, Math::multiplyExact), dtype.bytes());
        if (bytes.length - dataStart < expected) {
            throw new WeightFileException(file, "'" + name + "': truncated data (" + (bytes.length - dataStart)
                    + " of " + expected + " bytes)");
        }
        byte[] data = Arrays.copyOfRange(bytes, dataStart, (int) (dataStart + expected));
        if (fortran.group(1).equals("True") && shape.length > 1) {
            data = fortranToC(data, shape, dtype.bytes());
        }
        return new Tensor(name, dtype, shape, data);
    }

    /** Reorders column-major element bytes into row-major. */
    private static byte[] fortranToC(byte[] data, long[] shape, int elementBytes) {
        int n = data.length / elementBytes;
        byte[] out = new byte[data.length];
        int rank = shape.length;
        int[] index = new int[rank];
        for (int c = 0; c < n; c++) {
            int f = 0;
            int stride = 1;
            for (int axis = 0; axis < rank; axis++) {
                f += index[axis] * stride;
                stride *= (int) shape[axis];
            }
            System.arraycopy(data, f * elementBytes, out, c * elementBytes, elementBytes);
            for (int axis = rank - 1; axis >= 0 && ++index[axis] == shape[axis]; axis--) {
                index[axis] = 0;
            }
        }
        return out;
    }

    /** Writes one float32 or other little-endian array as .npy version 1.0. */
    public static void writeNpy(OutputStream out, Tensor tensor) throws IOException {
        String descr = switch (tensor.dtype()) {
            case F32 -> "<f4";
            case F16 -> "<f2";
            case F64 -> "<f8";
            case I64 -> "<i8";
            case I32 -> "<i4";
            case BF16 -> throw new IllegalArgumentException("numpy has no bfloat16");
        };
        String shape = Arrays.stream(tensor.shape()).mapToObj(Long::toString).collect(Collectors.joining(", "));
        if (tensor.shape().length == 1) {
            shape += ",";
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        int total = MAGIC.length + 4 + dict.length() + 1;
        String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0});
        out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(tensor.data());
    }
}
