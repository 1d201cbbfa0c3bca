package io.github.inception4j.weights;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/resources/python/torchvision_reference.py with Debian's torchvision (/usr/bin/python3) and
 * caches its files under target/torchvision-reference. Tests that need it are skipped, with the reason, where
 * torchvision is not installed; CI installs it (.ci/run), so CI runs them.
 */
final class TorchvisionReference {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/resources/python/torchvision_reference.py");
    private static final Path CACHE = Path.of("target/torchvision-reference");
    static final int BATCH = 3;

    private TorchvisionReference() {
    }

    static void assumeTorchvision() {
        boolean available;
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torchvision").redirectErrorStream(true)
                    .start();
            available = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            available = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            available = false;
        }
        assumeTrue(available, "Debian's python3-torchvision is not installed (apt-get install python3-torchvision)");
    }

    /** The directory of reference files for one configuration, generated once. */
    static Path files(String torchvisionModel, int size, boolean transformInput, double auxWeight,
                      double learningRate) throws IOException, InterruptedException {
        assumeTorchvision();
        String key = torchvisionModel + "-" + size + (transformInput ? "-transform" : "") + "-aux" + auxWeight
                + "-lr" + learningRate + "-"
                + Integer.toHexString(Files.readString(SCRIPT, StandardCharsets.UTF_8).hashCode());
        Path dir = CACHE.resolve(key);
        if (Files.exists(dir.resolve("stepped.safetensors"))) {
            return dir;
        }
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), torchvisionModel, dir.toString(),
                String.valueOf(size), transformInput ? "1" : "0", String.valueOf(learningRate),
                String.valueOf(auxWeight), String.valueOf(BATCH))
                .redirectErrorStream(true).start();
        String log;
        try (InputStream in = p.getInputStream()) {
            log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("reference script failed:\n" + log);
        }
        return dir;
    }
}
