package io.github.inception4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path dir;

    /** Two 2×3 images: pixel values 0…5 and 250…255, labels 7 and 2. */
    private void writeIdx(Path directory, String prefix, boolean gzip) throws IOException {
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        DataOutputStream i = new DataOutputStream(images);
        i.writeInt(0x803);
        i.writeInt(2);
        i.writeInt(2);
        i.writeInt(3);
        i.write(new byte[] {0, 1, 2, 3, 4, 5, (byte) 250, (byte) 251, (byte) 252, (byte) 253, (byte) 254, (byte) 255});
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        DataOutputStream l = new DataOutputStream(labels);
        l.writeInt(0x801);
        l.writeInt(2);
        l.write(new byte[] {7, 2});
        write(directory.resolve(prefix + "-images-idx3-ubyte" + (gzip ? ".gz" : "")), images.toByteArray(), gzip);
        write(directory.resolve(prefix + "-labels-idx1-ubyte" + (gzip ? ".gz" : "")), labels.toByteArray(), gzip);
    }

    private static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }

    @Test
    void readsRawAndGzippedIdx() throws IOException {
        Path raw = Files.createDirectory(dir.resolve("raw"));
        Path gz = Files.createDirectory(dir.resolve("gz"));
        writeIdx(raw, "train", false);
        writeIdx(gz, "t10k", true);
        for (FashionMnist data : new FashionMnist[] {FashionMnist.load(raw, FashionMnist.Split.TRAIN),
                FashionMnist.load(gz, FashionMnist.Split.TEST)}) {
            assertEquals(2, data.size());
            assertEquals(7, data.label(0));
            assertEquals(2, data.label(1));
            FloatImage second = data.image(1);
            assertEquals(1, second.channels());
            assertEquals(2, second.height());
            assertEquals(3, second.width());
            assertEquals(253 / 255f, second.get(0, 1, 0), 1e-7f);
            assertEquals("Sneaker", data.classNames().get(7));
        }
    }

    @Test
    void missingFilesNameWhatIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte[.gz] not found"), e.getMessage());
    }

    @Test
    void theEmbeddedSubsetHasSixHundredAndOneHundredPerClass() {
        FashionMnist train = FashionMnist.embeddedSubset(FashionMnist.Split.TRAIN);
        FashionMnist test = FashionMnist.embeddedSubset(FashionMnist.Split.TEST);
        assertEquals(6000, train.size());
        assertEquals(1000, test.size());
        int[] counts = new int[10];
        for (int i = 0; i < train.size(); i++) {
            counts[train.label(i)]++;
        }
        for (int c : counts) {
            assertEquals(600, c);
        }
        assertEquals(28, train.image(0).height());
    }
}
