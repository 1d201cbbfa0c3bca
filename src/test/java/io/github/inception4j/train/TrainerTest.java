package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.FashionMnist;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.data.ImageFolder;
import io.github.inception4j.data.ShapesFolder;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.weights.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs on a few hundred Fashion-MNIST images with a quarter-width GoogLeNet (auxiliary heads on, so their
 * weighted losses and the eval path without them are exercised): resume, divergence, fine-tuning.
 */
class TrainerTest {

    @TempDir
    Path dir;

    private static final ImageDataset DATA = FashionMnist.embeddedSubset(FashionMnist.Split.TEST);

    private static ImageDataset range(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return DATA.subset(idx);
    }

    private static RunSettings settings(int epochs, Map<String, String> overrides) {
        Architecture arch = Architecture.byName("googlenet-torchvision");
        ModelOptions options = arch.defaultOptions().withNumClasses(10).withWidthMultiplier(0.25).withInputSize(48);
        Recipe recipe = Recipes.byName("small-grayscale").with(Map.of("epochs", String.valueOf(epochs),
                "batchSize", "32", "inputSize", "48")).with(overrides);
        return new RunSettings(arch.cliName(), options, recipe,
                RunSettings.Data.of(DataSources.FASHION_MNIST_SUBSET), null, false, 3);
    }

    private Trainer trainer(RunSettings s, Path run, TrainingListener listener) {
        return new Trainer(s, range(0, 128), range(900, 932), range(964, 1000), run, 0, listener);
    }

    @Test
    void aResumedRunEndsExactlyAsTheUninterruptedOne() throws IOException {
        Map<String, String> o = Map.of("clipNorm", "2", "weightDecay", "1e-3");
        Trainer.Result straight = trainer(settings(3, o), dir.resolve("straight"), new TrainingListener() { })
                .run(false);
        assertEquals(Trainer.Outcome.COMPLETED, straight.outcome());
        assertEquals(3, straight.history().size());

        // Interrupted twice: at the end of epoch 1 and in the middle of epoch 3 (batch 2 of 4).
        Path run = dir.resolve("interrupted");
        Trainer[] current = new Trainer[1];
        current[0] = trainer(settings(3, o), run, new TrainingListener() {
            @Override
            public void epoch(EpochMetrics metrics) {
                current[0].requestStop();
            }
        });
        assertEquals(Trainer.Outcome.STOPPED, current[0].run(false).outcome());
        current[0] = trainer(settings(3, o), run, new TrainingListener() {
            @Override
            public void batch(int epoch, int epochs, int batch, int batches, double loss, double ips, double eta) {
                if (epoch == 3 && batch == 2) {
                    current[0].requestStop();
                }
            }
        });
        assertEquals(Trainer.Outcome.STOPPED, current[0].run(true).outcome());
        Trainer.Result resumed = trainer(settings(3, o), run, new TrainingListener() { }).run(true);
        assertEquals(Trainer.Outcome.COMPLETED, resumed.outcome());
        for (int e = 0; e < 3; e++) {
            EpochMetrics a = straight.history().get(e);
            EpochMetrics b = resumed.history().get(e);
            assertEquals(a.training().loss(), b.training().loss(), 1e-6, "epoch " + (e + 1));
            assertEquals(a.training().accuracy(), b.training().accuracy(), 1e-9);
            assertEquals(a.validation().loss(), b.validation().loss(), 1e-6);
            assertEquals(a.validation().accuracy(), b.validation().accuracy(), 1e-9);
            assertEquals(a.lr(), b.lr(), 1e-12);
        }
        assertArrayEquals(weights(dir.resolve("straight")), weights(run), 1e-5f);
        // What a run leaves behind.
        for (String f : List.of("run.json", "metrics.jsonl", "metrics.csv", "report.html", "model/weights.safetensors",
                "checkpoint/optimizer.safetensors", "checkpoint/ema.safetensors", "checkpoint/training.json")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size());
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("<svg") && report.contains("polyline") && report.contains("Test set"));
        assertThrows(IllegalArgumentException.class,
                () -> trainer(settings(3, o), run, new TrainingListener() { }).run(true));
    }

    private static float[] weights(Path run) {
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint.Metadata meta = Checkpoint.readMetadata(run.resolve(Trainer.MODEL));
            InceptionNetwork net = new InceptionNetwork(Checkpoint.architecture(meta).spec(meta.options()));
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 48, 48));
            Checkpoint.loadInto(net, run.resolve(Trainer.MODEL));
            return net.parameter("inception4e.1x1.conv.weight").getArray().toFloatArray();
        }
    }

    @Test
    void aDivergingRunStopsWithAClearMessageAndAUsableCheckpoint() throws IOException {
        Path run = dir.resolve("diverging");
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer(settings(2, Map.of("lr", "1e6", "schedule.warmupEpochs", "0", "emaDecay", "0")), run,
                        new TrainingListener() { }).run(false));
        assertTrue(e.getMessage().startsWith("training diverged: the "), e.getMessage());
        assertTrue(e.getMessage().contains("last good checkpoint is " + run.resolve("checkpoint")), e.getMessage());
        for (float v : weights(run)) {
            assertTrue(Float.isFinite(v));
        }
        assertTrue(Files.readString(run.resolve("report.html")).contains("training diverged"));
    }

    @Test
    void fineTuningFromACheckpointWithAnotherNumberOfClassesAndAFrozenBackbone() throws IOException {
        Path source = dir.resolve("source");
        trainer(settings(1, Map.of()), source, new TrainingListener() { }).run(false);
        Path folder = ShapesFolder.write(dir.resolve("folder"), 12);
        ImageFolder images = ImageFolder.open(folder);
        Architecture arch = Architecture.byName("googlenet-torchvision");
        ModelOptions options = arch.defaultOptions().withNumClasses(3).withWidthMultiplier(0.25).withInputSize(48);
        RunSettings s = new RunSettings(arch.cliName(), options, settings(2, Map.of("emaDecay", "0",
                "validationFraction", "0")).recipe(), RunSettings.Data.of(folder.toString()),
                source.resolve(Trainer.CHECKPOINT).toString(), true, 1);
        StringBuilder messages = new StringBuilder();
        Trainer.Result r = new Trainer(s, images, null, images, dir.resolve("tuned"), 0, new TrainingListener() {
            @Override
            public void message(String text) {
                messages.append(text).append('\n');
            }
        }).run(false);
        assertTrue(messages.toString().contains("kept fresh (other shape): [fc.weight"), messages.toString());
        assertEquals(36, r.test().count());
        assertEquals(List.of("circle", "square", "stripe"), r.test().classNames());
        // The backbone did not move; the classifier did.
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork before = load(source.resolve(Trainer.CHECKPOINT), m);
            InceptionNetwork after = load(dir.resolve("tuned").resolve(Trainer.MODEL), m);
            String conv = "inception4e.1x1.conv.weight";
            assertArrayEquals(before.parameter(conv).getArray().toFloatArray(),
                    after.parameter(conv).getArray().toFloatArray(), 0f);
            assertEquals(3, after.parameter("fc.weight").getArray().getShape().get(0));
            assertFalse(after.parameter("aux1.fc2.bias").getArray().eq(0).all().getBoolean());
        }
    }

    private static InceptionNetwork load(Path checkpoint, NDManager m) {
        Checkpoint.Metadata meta = Checkpoint.readMetadata(checkpoint);
        InceptionNetwork net = new InceptionNetwork(Checkpoint.architecture(meta).spec(meta.options()));
        net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 48, 48));
        Checkpoint.loadInto(net, checkpoint);
        return net;
    }
}
