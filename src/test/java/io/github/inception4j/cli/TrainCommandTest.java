package io.github.inception4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.data.ShapesFolder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = InceptionCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printRecipeShowsEverySettingWithItsSourceAndOverrides() {
        Run r = run("train", "--print-recipe", "--recipe", "inception-v3-2015", "--set", "clipNorm=5", "--epochs", "7");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("recipe inception-v3-2015"), r.out());
        assertTrue(r.out().matches("(?s).*optimizer\\s+rmsprop\\s+# P2 §8.*"), r.out());
        assertTrue(r.out().matches("(?s).*clipNorm\\s+5\\.0.*"), r.out());
        assertTrue(r.out().matches("(?s).*epochs\\s+7\\s+# changed; the recipe has 100\\s.*"), r.out());
        assertTrue(r.out().contains("augmentation.crop.minArea"), r.out());
    }

    /** What Ctrl-C does (SIGINT and SIGTERM both run the JVM's shutdown hooks): checkpoint, then exit. */
    @Test
    void aSignalledRunLeavesACheckpointToResumeFrom() throws Exception {
        Path out = dir.resolve("signalled");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                InceptionCli.class.getName(), "train", "--model", "googlenet-torchvision", "--width", "0.25",
                "--input-size", "32", "--no-aux", "--data", "fashion-mnist-subset", "--no-test", "--epochs", "50",
                "--out", out.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        Path state = out.resolve("checkpoint").resolve("training.json");
        long deadline = System.nanoTime() + 120_000_000_000L;
        // The first checkpoint is written before the first step; give the run a few steps after it.
        while (!Files.exists(state) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(4000);
        p.destroy();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the run did not stop");
        String json = Files.readString(state);
        assertTrue(json.contains("\"status\": \"stopped\""), json + Files.readString(dir.resolve("log.txt")));
        // --no-test: the subset's test split is not among the run's data, so no resume reads it either.
        String run = Files.readString(out.resolve("run.json"));
        assertTrue(run.contains("\"train\": \"fashion-mnist-subset\"") && !run.contains("\"test\": \""), run);
        assertTrue(json.matches("(?s).*\"nextBatch\": [1-9].*"), json);
        Run resumed = run("train", "--out", out.toString(), "--resume", "--max-minutes", "0.01");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming " + out + " at epoch 1, batch "), resumed.out());
    }

    @Test
    void mistakesAreClearErrors() {
        Path out = dir.resolve("run");
        Run unknown = run("train", "--model", "googlenet-torchvision", "--data", "fashion-mnist-subset", "--out",
                out.toString(), "--set", "lrr=1");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown recipe setting 'lrr'"), unknown.err());
        Run noData = run("train", "--model", "googlenet", "--data", dir.resolve("absent").toString(), "--out",
                out.toString());
        assertEquals(1, noData.code());
        assertTrue(noData.err().contains("does not exist"), noData.err());
        // P1's aux heads pool 5×5/3 and need 47×47 (torchvision's pool adaptively and take any size).
        Run tooSmall = run("train", "--model", "googlenet", "--data", "fashion-mnist-subset",
                "--input-size", "32", "--out", out.toString());
        assertEquals(1, tooSmall.code());
        assertTrue(tooSmall.err().contains("without auxiliary heads"), tooSmall.err());
        Run nothingToResume = run("train", "--out", out.toString(), "--resume");
        assertEquals(1, nothingToResume.code());
        assertTrue(nothingToResume.err().contains("is not a training run"), nothingToResume.err());
        Run contradiction = run("train", "--model", "googlenet-torchvision", "--data", "fashion-mnist-subset",
                "--no-test", "--test-data", "fashion-mnist-subset", "--out", out.toString());
        assertEquals(1, contradiction.code());
        assertTrue(contradiction.err().contains("--no-test and --test-data"), contradiction.err());
        Run mixed = run("train", "--out", out.toString(), "--resume", "--model", "googlenet");
        assertEquals(1, mixed.code());
        assertTrue(mixed.err().contains("--resume takes model, data and recipe from"), mixed.err());
        Run newSplit = run("train", "--out", out.toString(), "--resume", "--split-seed", "3");
        assertEquals(1, newSplit.code());
        assertTrue(newSplit.err().contains("--resume takes model, data and recipe from"), newSplit.err());
        assertTrue(Files.notExists(out.resolve("run.json")));
    }

    private Path folder(String name, int perClass) throws java.io.IOException {
        return ShapesFolder.write(dir.resolve(name), perClass);
    }

    @Test
    void aFolderWhoseSplitLeavesALastBatchOfOneTrainsToTheEnd() throws Exception {
        // 3 × 3 images, no validation split, batches of 4: 4 + 4 + 1. The last batch of one is dropped (batch norm
        // cannot train on it); validation on the same 9 images evaluates a batch of one in eval mode.
        Path data = folder("nine", 3);
        Run r = run("train", "--model", "googlenet-torchvision", "--width", "0.25", "--input-size", "32",
                "--data", data.toString(), "--validation-data", data.toString(), "--test-data", data.toString(),
                "--epochs", "2", "--set", "batchSize=4", "--set", "validationFraction=0", "--out",
                dir.resolve("run").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("test accuracy") && r.out().contains("(9 images)"), r.out());
        assertTrue((r.out() + r.err()).contains("dropped a batch of 1 image"), r.out() + r.err());
    }

    @Test
    void aFolderSmallerThanOneBatchIsRefusedAtStartInOneLine() throws Exception {
        Path data = folder("six", 2);
        Run r = run("train", "--model", "googlenet-torchvision", "--width", "0.25", "--input-size", "32",
                "--data", data.toString(), "--set", "validationFraction=0", "--out", dir.resolve("small").toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("the training split has 6 images, fewer than one batch of"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }
}
