package io.github.inception4j.detect;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the VOC reader: the input is Annotations/a.xml of a one-image split. Only IllegalArgumentException (the
 * reader's documented refusal, naming the file) may come out.
 */
class VocFuzzTest {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("inception4j-fuzz-VocFuzzTest-");
            Files.createDirectories(DIR.resolve("ImageSets/Main"));
            Files.createDirectories(DIR.resolve("Annotations"));
            Files.writeString(DIR.resolve("ImageSets/Main/test.txt"), "a\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void read(byte[] input) throws IOException {
        Files.write(DIR.resolve("Annotations/a.xml"), input);
        try {
            VocDataset voc = VocDataset.open(DIR, "test");
            voc.annotations(0).forEach(a -> a.box().area());
            voc.file(0);
        } catch (IllegalArgumentException expected) {
            // documented refusal
        }
    }

}
