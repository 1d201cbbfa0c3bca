package io.github.inception4j.detect;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the COCO reader: the input is an instances file. Only IllegalArgumentException (the reader's documented
 * refusal, naming the file) may come out.
 */
class CocoFuzzTest {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("inception4j-fuzz-CocoFuzzTest-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void read(byte[] input) throws IOException {
        Path file = DIR.resolve("instances.json");
        Files.write(file, input);
        try {
            CocoDataset coco = CocoDataset.open(file, DIR);
            for (int i = 0; i < coco.size(); i++) {
                coco.annotations(i).forEach(a -> a.box().area());
                coco.file(i);
            }
        } catch (IllegalArgumentException expected) {
            // documented refusal
        }
    }
}
