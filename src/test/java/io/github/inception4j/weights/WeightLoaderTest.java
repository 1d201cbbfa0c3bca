package io.github.inception4j.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading by name: strict refuses anything that does not fit and leaves the network untouched; lenient reports. */
class WeightLoaderTest {

    @TempDir
    Path dir;

    static InceptionNetwork small(NDManager manager, Architecture a, int classes, boolean aux) {
        ModelOptions o = a.defaultOptions().withWidthMultiplier(0.25).withNumClasses(classes).withAuxHeads(aux)
                .withInputSize(a == Architecture.INCEPTION_V3 ? 299 : 96);
        InceptionNetwork net = new InceptionNetwork(a.spec(o));
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, o.inputSize(), o.inputSize()));
        return net;
    }

    @Test
    void exportedWeightsLoadBackExactlyUnderTorchvisionNames() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork source = small(m, Architecture.GOOGLENET_TORCHVISION, 10, true);
            Path file = dir.resolve("w.safetensors");
            Checkpoint.exportTorchvision(file, source);
            assertTrue(WeightFiles.read(file).containsKey("inception3a.branch2.0.conv.weight"));
            InceptionNetwork target = small(m, Architecture.GOOGLENET_TORCHVISION, 10, true);
            LoadReport report = WeightLoader.load(target, file, WeightLoader.Mode.STRICT);
            assertTrue(report.complete());
            assertEquals(KeyScheme.TORCHVISION, report.scheme());
            String name = "inception4b.5x5.conv.weight";
            assertArrayEquals(source.parameter(name).getArray().toFloatArray(),
                    target.parameter(name).getArray().toFloatArray());
        }
    }

    /** A cluster's task thread or a server's worker, not the engine's first thread: grad mode is on there. */
    @Test
    void weightsLoadOnAThreadWithGradModeOnAndLeaveItOn() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork source = small(m, Architecture.GOOGLENET_TORCHVISION, 10, false);
            Path file = dir.resolve("w.safetensors");
            Checkpoint.exportTorchvision(file, source);
            InceptionNetwork target = small(m, Architecture.GOOGLENET_TORCHVISION, 10, false);
            java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic
                    .AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    ai.djl.pytorch.jni.JniUtils.setGradMode(true);
                    WeightLoader.load(target, file, WeightLoader.Mode.STRICT);
                    outcome.set(ai.djl.pytorch.jni.JniUtils.isGradMode());
                } catch (RuntimeException e) {
                    outcome.set(e);
                }
            });
            worker.start();
            worker.join();
            assertEquals(Boolean.TRUE, outcome.get());
            String name = "inception4b.5x5.conv.weight";
            assertArrayEquals(source.parameter(name).getArray().toFloatArray(),
                    target.parameter(name).getArray().toFloatArray());
        }
    }

    @Test
    void strictLoadingOfTheWrongModelFailsAndLoadsNothing() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path file = dir.resolve("googlenet.safetensors");
            Checkpoint.exportTorchvision(file, small(m, Architecture.GOOGLENET_TORCHVISION, 10, true));
            InceptionNetwork other = small(m, Architecture.GOOGLENET_TORCHVISION, 5, true);
            float[] before = other.parameter("conv1.conv.weight").getArray().toFloatArray();
            WeightFileException e = assertThrows(WeightFileException.class,
                    () -> WeightLoader.load(other, file, WeightLoader.Mode.STRICT));
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("fc.weight")
                    && e.getMessage().contains("nothing was loaded"), e.getMessage());
            assertArrayEquals(before, other.parameter("conv1.conv.weight").getArray().toFloatArray(),
                    "a refused file must leave the network as it was");
            InceptionNetwork v3 = small(m, Architecture.INCEPTION_V3, 10, false);
            WeightFileException wrong = assertThrows(WeightFileException.class,
                    () -> WeightLoader.load(v3, file, WeightLoader.Mode.LENIENT));
            assertTrue(wrong.getMessage().contains("is it the right model?"), wrong.getMessage());
        }
    }

    @Test
    void lenientLoadingForFineTuningReportsWhatItSkipped() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path file = dir.resolve("no-aux.safetensors");
            InceptionNetwork source = small(m, Architecture.GOOGLENET_TORCHVISION, 10, false);
            Checkpoint.exportTorchvision(file, source);
            InceptionNetwork target = small(m, Architecture.GOOGLENET_TORCHVISION, 4, true);
            LoadReport report = WeightLoader.load(target, file, WeightLoader.Mode.LENIENT);
            assertEquals(2, report.mismatched().size(), "the 10-class fc, weight and bias: " + report.mismatched());
            assertTrue(report.missing().stream().allMatch(k -> k.startsWith("aux")), report.missing().toString());
            assertTrue(report.summary().contains("shape differs"), report.summary());
            assertArrayEquals(source.parameter("inception5b.pool_proj.conv.weight").getArray().toFloatArray(),
                    target.parameter("inception5b.pool_proj.conv.weight").getArray().toFloatArray());
        }
    }
}
