package io.github.inception4j.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading weight files: round trips, hand-built edge cases, and one clear error per kind of damage. */
class WeightFilesTest {

    @TempDir
    Path dir;

    private Path safetensors(String name, List<Tensor> tensors) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, tensors, Map.of("k", "v"));
        Path file = dir.resolve(name);
        Files.write(file, out.toByteArray());
        return file;
    }

    @Test
    void safetensorsRoundTripKeepsNamesShapesAndValues() throws IOException {
        Tensor a = Tensor.ofFloats("a.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        Tensor b = Tensor.ofFloats("b", new long[] {1}, new float[] {-0.5f});
        Map<String, Tensor> read = WeightFiles.read(safetensors("x.safetensors", List.of(a, b)));
        assertEquals(Map.of("a.weight", a, "b", b), read);
    }

    @Test
    void truncatedSafetensorsNamesTheFileAndTheTensor() throws IOException {
        Path file = safetensors("cut.safetensors", List.of(Tensor.ofFloats("w", new long[] {100}, new float[100])));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 40));
        WeightFileException e = assertThrows(WeightFileException.class, () -> WeightFiles.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("'w'")
                && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void bfloat16IsRefusedBeforeItReachesTheEngine() throws IOException {
        String header = "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
        Path file = dir.resolve("bf16.safetensors");
        ByteBuffer b = ByteBuffer.allocate(8 + header.length() + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8)).putInt(0);
        Files.write(file, b.array());
        WeightFileException e = assertThrows(WeightFileException.class, () -> WeightFiles.read(file));
        assertTrue(e.getMessage().contains("BF16") && e.getMessage().contains("'w'"), e.getMessage());
    }

    @Test
    void garbageMissingAndDamagedZipFilesGiveOneClearError() throws IOException {
        Path random = dir.resolve("random.bin");
        byte[] noise = new byte[1000];
        new Random(1).nextBytes(noise);
        noise[0] = 7;
        Files.write(random, noise);
        assertTrue(assertThrows(WeightFileException.class, () -> WeightFiles.read(random)).getMessage()
                .contains("not a weight file"));
        Path missing = dir.resolve("nope.pth");
        assertTrue(assertThrows(WeightFileException.class, () -> WeightFiles.read(missing)).getMessage()
                .contains("no such file"));
        Path zip = dir.resolve("damaged.pth");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 0, 0, 0});
        WeightFileException e = assertThrows(WeightFileException.class, () -> WeightFiles.read(zip));
        assertTrue(e.getMessage().startsWith(zip.toString()), e.getMessage());
    }

    @Test
    void fortranOrderNpyIsReorderedToCOrder() throws IOException {
        // A 2×3 array [[0, 1, 2], [3, 4, 5]] stored column-major: 0 3 1 4 2 5.
        String dict = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }";
        String header = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Numpy.MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : new float[] {0, 3, 1, 4, 2, 5}) {
            b.putFloat(v);
        }
        Path file = dir.resolve("f.npy");
        Files.write(file, b.array());
        Tensor t = WeightFiles.read(file).get("f");
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.toFloats());
    }

    @Test
    void halfPrecisionConvertsExactly() {
        assertEquals(1.0f, Tensor.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, Tensor.halfToFloat((short) 0xc000));
        assertEquals(65504.0f, Tensor.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, Tensor.halfToFloat((short) 0x0001), "smallest subnormal");
        assertEquals(Float.NEGATIVE_INFINITY, Tensor.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(Tensor.halfToFloat((short) 0x7e00)));
    }

    @Test
    void npyWrittenHereReadsBack() throws IOException {
        Tensor t = Tensor.ofFloats("y", new long[] {2, 2}, new float[] {1, -1, 0.5f, 8});
        Path file = dir.resolve("y.npy");
        try (var out = Files.newOutputStream(file)) {
            Numpy.writeNpy(out, t);
        }
        assertEquals(t, WeightFiles.read(file).get("y"));
    }

    @Test
    void aSafetensorsFileWhoseHeaderLengthReadsPkIsNotTakenForAZip() throws IOException {
        // A header of 19,280 bytes (0x4B50): its little-endian length starts with the bytes 'P', 'K'.
        String name = "w";
        for (int pad = 0; pad < 20_000; pad++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Safetensors.write(out, List.of(Tensor.ofFloats(name, new long[] {2}, new float[] {1.5f, -2f})),
                    Map.of("format", "pt", "pad", "x".repeat(pad)));
            byte[] bytes = out.toByteArray();
            if (bytes[0] == 'P' && bytes[1] == 'K') {
                Path file = Files.write(dir.resolve("pk.safetensors"), bytes);
                assertArrayEquals(new float[] {1.5f, -2f}, WeightFiles.read(file).get(name).toFloats(), 0f);
                return;
            }
        }
        throw new AssertionError("no padding gave a header length starting with 'PK'");
    }
}
