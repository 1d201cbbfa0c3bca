package io.github.inception4j.weights;

import io.github.inception4j.data.Preprocessing;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InceptionNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our checkpoint: round trip by name, atomic replacement, version checks, and a committed format-1 fixture. */
class CheckpointTest {

    /** A format-1 checkpoint written by this project; regenerate only for a new format version. */
    static final Path FIXTURE = Path.of("src/test/resources/checkpoints/format-1-googlenet-w025");

    @TempDir
    Path dir;

    static Checkpoint.Metadata metadata(InceptionNetwork net, Architecture a) {
        return new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, a.cliName(),
                a.defaultOptions().withWidthMultiplier(0.25).withNumClasses(3).withAuxHeads(false).withInputSize(64),
                List.of("cat", "dog", "owl"), Preprocessing.tensorflow(64),
                new Checkpoint.Provenance("test", "", "2026-11-24T00:00:00Z", "CheckpointTest"));
    }

    static InceptionNetwork fixtureNetwork(NDManager m, Checkpoint.Metadata metadata) {
        InceptionNetwork net = new InceptionNetwork(Checkpoint.architecture(metadata).spec(metadata.options()));
        net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 64, 64));
        return net;
    }

    @Test
    void saveThenLoadRestoresEveryArrayAndTheMetadata() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint.Metadata meta = metadata(null, Architecture.GOOGLENET_TORCHVISION);
            InceptionNetwork source = fixtureNetwork(m, meta);
            Path ckpt = dir.resolve("ckpt");
            Checkpoint.save(ckpt, source, meta);
            Checkpoint.Metadata read = Checkpoint.readMetadata(ckpt);
            assertEquals(meta.options(), read.options());
            assertEquals(meta.classNames(), read.classNames());
            InceptionNetwork target = fixtureNetwork(m, read);
            assertTrue(Checkpoint.loadInto(target, ckpt).complete());
            for (String name : source.getParameters().keys()) {
                assertArrayEquals(source.parameter(name).getArray().toFloatArray(),
                        target.parameter(name).getArray().toFloatArray(), name);
            }
        }
    }

    @Test
    void savingOverACheckpointReplacesItWholeAndLeavesNoStagingBehind() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint.Metadata meta = metadata(null, Architecture.GOOGLENET_TORCHVISION);
            Path ckpt = dir.resolve("ckpt");
            Checkpoint.save(ckpt, fixtureNetwork(m, meta), meta);
            Files.writeString(ckpt.resolve("stale.txt"), "from an older run");
            Checkpoint.save(ckpt, fixtureNetwork(m, meta), meta);
            assertFalse(Files.exists(ckpt.resolve("stale.txt")));
            try (Stream<Path> siblings = Files.list(dir)) {
                assertEquals(List.of(ckpt), siblings.toList());
            }
        }
    }

    @Test
    void aNewerFormatOrAMissingMetadataFileIsRefusedClearly() throws IOException {
        Path newer = dir.resolve("newer");
        Files.createDirectories(newer);
        Files.writeString(newer.resolve(Checkpoint.METADATA), "{\"formatVersion\": 99, \"architecture\": "
                + "\"googlenet\", \"options\": {\"numClasses\": 3, \"auxHeads\": false, \"dropout\": 0.4, "
                + "\"auxDropout\": 0.7, \"inputSize\": 224, \"transformInput\": false, \"widthMultiplier\": 1.0}}",
                StandardCharsets.UTF_8);
        assertTrue(assertThrows(WeightFileException.class, () -> Checkpoint.readMetadata(newer)).getMessage()
                .contains("format 99 is newer"));
        assertTrue(assertThrows(WeightFileException.class, () -> Checkpoint.readMetadata(dir)).getMessage()
                .contains("checkpoint.json is missing"));
    }

    /** The committed format-1 checkpoint still loads and gives the outputs it gave when it was written. */
    @Test
    void formatOneFixtureStillLoadsAndPredictsTheSame() throws IOException {
        if (Boolean.getBoolean("fixture.regenerate")) {
            regenerateFixture();
        }
        Checkpoint.Metadata meta = Checkpoint.readMetadata(FIXTURE);
        assertEquals(1, meta.formatVersion());
        assertEquals(List.of("cat", "dog", "owl"), meta.classNames());
        assertEquals(1, meta.options().headGrid(), "written before the head grid existed: global pooling");
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork net = fixtureNetwork(m, meta);
            assertTrue(Checkpoint.loadInto(net, FIXTURE).complete());
            Tensor input = WeightFiles.read(FIXTURE.resolve("probe-input.npy")).values().iterator().next();
            Tensor expected = WeightFiles.read(FIXTURE.resolve("probe-logits.npy")).values().iterator().next();
            NDArray x = m.create(input.toFloats(), new Shape(input.shape()));
            float[] logits = net.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            assertArrayEquals(expected.toFloats(), logits, 1e-5f);
        }
    }

    private static void regenerateFixture() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint.Metadata meta = metadata(null, Architecture.GOOGLENET_TORCHVISION);
            InceptionNetwork net = fixtureNetwork(m, meta);
            Checkpoint.save(FIXTURE, net, meta);
            NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 64, 64));
            NDArray y = net.forward(new ParameterStore(m, false), new NDList(x), false).head();
            try (var out = Files.newOutputStream(FIXTURE.resolve("probe-input.npy"))) {
                Numpy.writeNpy(out, Tensor.ofFloats("x", x.getShape().getShape(), x.toFloatArray()));
            }
            try (var out = Files.newOutputStream(FIXTURE.resolve("probe-logits.npy"))) {
                Numpy.writeNpy(out, Tensor.ofFloats("y", y.getShape().getShape(), y.toFloatArray()));
            }
        }
    }

    @Test
    void anySingleFlippedByteInAnyFileIsRefusedNamingTheFile() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint.Metadata meta = metadata(null, Architecture.GOOGLENET_TORCHVISION);
            Path ckpt = dir.resolve("ckpt");
            Checkpoint.save(ckpt, fixtureNetwork(m, meta), meta, java.util.Map.of("state.json",
                    "{\"step\": 7}".getBytes(StandardCharsets.UTF_8)));
            List<String> files;
            try (Stream<Path> list = Files.list(ckpt)) {
                files = list.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertEquals(List.of(Checkpoint.METADATA, Checkpoint.CHECKSUMS, "state.json", Checkpoint.WEIGHTS), files);
            assertEquals(meta.classNames(), Checkpoint.readMetadata(ckpt).classNames());
            java.util.SplittableRandom random = new java.util.SplittableRandom(5);
            int tried = 0;
            for (String name : files) {
                Path file = ckpt.resolve(name);
                byte[] original = Files.readAllBytes(file);
                // Every byte of the small files; the first and last 256 and 200 random ones of the weights.
                java.util.stream.IntStream positions = original.length <= 4096
                        ? java.util.stream.IntStream.range(0, original.length)
                        : java.util.stream.IntStream.concat(java.util.stream.IntStream.concat(
                                java.util.stream.IntStream.range(0, 256),
                                java.util.stream.IntStream.range(original.length - 256, original.length)),
                                random.ints(200, 0, original.length));
                for (int at : positions.toArray()) {
                    byte[] damaged = original.clone();
                    damaged[at] ^= (byte) (1 << random.nextInt(8));
                    Files.write(file, damaged);
                    WeightFileException e = assertThrows(WeightFileException.class,
                            () -> Checkpoint.readMetadata(ckpt), name + " byte " + at);
                    assertTrue(e.getMessage().contains(name), name + " byte " + at + ": " + e.getMessage());
                    tried++;
                }
                Files.write(file, original);
            }
            assertTrue(tried > 1000, "flips tried: " + tried);
            assertEquals(meta.classNames(), Checkpoint.readMetadata(ckpt).classNames());
            // A file the list names but the directory lacks.
            Files.delete(ckpt.resolve("state.json"));
            WeightFileException e = assertThrows(WeightFileException.class, () -> Checkpoint.readMetadata(ckpt));
            assertTrue(e.getMessage().contains("state.json: missing"), e.getMessage());
        }
    }

    @Test
    void theChecksumListIsWhatSha256sumChecks() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint.Metadata meta = metadata(null, Architecture.GOOGLENET_TORCHVISION);
            Path ckpt = dir.resolve("ckpt");
            Checkpoint.save(ckpt, fixtureNetwork(m, meta), meta);
            Process p = new ProcessBuilder("sha256sum", "--strict", "-c", Checkpoint.CHECKSUMS)
                    .directory(ckpt.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains(Checkpoint.WEIGHTS + ": OK"), out);
        }
    }
}
