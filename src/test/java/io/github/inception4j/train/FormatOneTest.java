package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.Preprocessing;
import io.github.inception4j.weights.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs and checkpoints written before the settings were grouped (flat run.json, training.json format 1,
 * checkpoint.json format 1) still read, with every value where it was. The files in {@code format-1/} were written
 * by the release before the grouping (a two-epoch small-grayscale run of googlenet-torchvision ×0.25 at 32).
 */
class FormatOneTest {

    @TempDir
    Path dir;

    private Path copy(String name) throws IOException {
        try (InputStream in = FormatOneTest.class.getResourceAsStream("format-1/" + name)) {
            Path file = dir.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    @Test
    void flatRunSettingsRead() throws IOException {
        copy(RunSettings.FILE);
        RunSettings s = RunSettings.read(dir);
        assertEquals("googlenet-torchvision", s.architecture());
        assertEquals(new RunSettings.Data(DataSources.FASHION_MNIST_SUBSET, null, DataSources.FASHION_MNIST_SUBSET, 2,
                false, null), s.data());
        assertEquals(3, s.seed());
        assertEquals(Recipes.byName("small-grayscale").with(Map.of("epochs", "2", "inputSize", "32")), s.recipe());
        assertEquals(0.25, s.options().widthMultiplier());
    }

    @Test
    void trainingStateOfFormatOneReads() throws IOException {
        TrainingState state = TrainingState.fromJson(Files.readString(copy(TrainingState.FILE)));
        assertEquals(TrainingState.FORMAT, state.formatVersion());
        assertEquals(new TrainingState.Position(2, 0, 170, 170), state.position());
        assertEquals("completed", state.status());
        assertEquals(2, state.history().size());
        EpochMetrics first = state.history().get(0);
        assertEquals(1, first.epoch());
        assertEquals(3.019197184951217, first.training().loss());
        assertEquals(0.42388888888888887, first.training().accuracy());
        assertEquals(7.093098039156388, first.training().gradNorm());
        assertEquals(0.5683333333333334, first.validation().accuracy());
        assertEquals(0.9783333333333334, first.validation().top5());
        assertTrue(first.validation().averaged());
        assertEquals(767.0304729367641, first.timing().imagesPerSecond());
        // Written back in format 2, read again unchanged; the metrics files keep their flat columns.
        assertEquals(state, TrainingState.fromJson(state.toJson()));
        assertEquals("epoch,lr,train_loss,train_accuracy,val_loss,val_accuracy,val_top5,grad_norm,seconds,"
                + "images_per_second,skipped_images,averaged", EpochMetrics.CSV_HEADER);
        assertEquals("1,0.019788235294117648,3.019197184951217,0.42388888888888887,1.4273030585504876,"
                + "0.5683333333333334,0.9783333333333334,7.093098039156388,7.040137505,767.0304729367641,0,true",
                first.csv());
        assertEquals("{\"epoch\":1,\"lr\":0.019788235294117648,\"trainLoss\":3.019197184951217,"
                + "\"trainAccuracy\":0.42388888888888887,\"valLoss\":1.4273030585504876,"
                + "\"valAccuracy\":0.5683333333333334,\"valTop5\":0.9783333333333334,"
                + "\"gradNorm\":7.093098039156388,\"seconds\":7.040137505,"
                + "\"imagesPerSecond\":767.0304729367641,\"skippedImages\":0,\"averaged\":true}",
                new com.google.gson.Gson().toJson(first.columns()));
    }

    @Test
    void checkpointMetadataOfFormatOneReads() throws IOException {
        copy(Checkpoint.METADATA);
        Checkpoint.Metadata m = Checkpoint.readMetadata(dir);
        assertEquals(1, m.formatVersion());
        Preprocessing p = m.preprocessing();
        assertEquals("inception-[-1,1]", p.name());
        assertEquals(32, p.inputSize());
        assertEquals(1.0, p.cropFraction());
        assertEquals(Preprocessing.Normalization.MINUS_ONE_TO_ONE.mean()[0], p.normalization().mean()[0]);
        assertEquals(0.5, p.normalization().std()[2]);
        assertFalse(p.normalization().bgr());
        assertEquals(10, m.classNames().size());
    }
}
