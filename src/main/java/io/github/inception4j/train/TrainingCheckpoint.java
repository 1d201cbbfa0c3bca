package io.github.inception4j.train;

import ai.djl.ndarray.NDArray;
import io.github.inception4j.data.Preprocessing;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.weights.Safetensors;
import io.github.inception4j.weights.Tensor;
import io.github.inception4j.weights.WeightFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's two checkpoints: {@code checkpoint/} holds everything a resumed run needs (weights and buffers,
 * {@value TrainingState#OPTIMIZER}, {@value TrainingState#EMA}, {@value TrainingState#FILE}), {@code model/} the
 * weights to use (averaged when averaging is on). Both are written atomically with checksums, and verified when
 * read back.
 */
final class TrainingCheckpoint {

    static final String CHECKPOINT = "checkpoint";
    static final String MODEL = "model";

    private final Path runDir;
    private final RunSettings settings;
    private final List<String> classNames;
    private final Preprocessing preprocessing;

    /** The classes and preprocessing are what both checkpoints say of themselves, with the run's settings. */
    TrainingCheckpoint(Path runDir, RunSettings settings, List<String> classNames, Preprocessing preprocessing) {
        this.runDir = runDir;
        this.settings = settings;
        this.classNames = List.copyOf(classNames);
        this.preprocessing = preprocessing;
    }

    /** checkpoint.json of a save made now. */
    private Checkpoint.Metadata metadata() {
        return new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, settings.architecture(), settings.options(),
                classNames, preprocessing, new Checkpoint.Provenance("training run " + runDir.toAbsolutePath(),
                null, Instant.now().toString(), "inception4j train"));
    }

    static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(CHECKPOINT).resolve(TrainingState.FILE));
    }

    /** Writes both checkpoints: the step's live state and where the run stands. */
    void save(TrainingStep step, TrainingState state) throws IOException {
        InceptionNetwork net = step.network();
        Checkpoint.Metadata metadata = metadata();
        Map<String, byte[]> extra = new LinkedHashMap<>();
        extra.put(TrainingState.FILE, state.toJson().getBytes(StandardCharsets.UTF_8));
        extra.put(TrainingState.OPTIMIZER, safetensors(step.optimizer().state()));
        Ema ema = step.ema();
        if (ema != null) {
            extra.put(TrainingState.EMA, safetensors(ema.shadow()));
        }
        Checkpoint.save(runDir.resolve(CHECKPOINT), net, metadata, extra);
        step.saveModel(runDir.resolve(MODEL), metadata, Map.of());
    }

    /**
     * Verifies the run's checkpoint and puts its state into {@code step} (weights, optimizer, average, step number).
     *
     * @throws IllegalArgumentException when there is nothing to resume, or the run has done its {@code epochs}
     */
    TrainingState restore(TrainingStep step, int epochs) {
        Path dir = runDir.resolve(CHECKPOINT);
        if (!exists(runDir)) {
            throw new IllegalArgumentException("nothing to resume: " + dir + " has no " + TrainingState.FILE);
        }
        Checkpoint.verify(dir);
        TrainingState state;
        try {
            state = TrainingState.fromJson(Files.readString(dir.resolve(TrainingState.FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(TrainingState.FILE), e);
        }
        Checkpoint.loadInto(step.network(), dir);
        Map<String, float[]> arrays = new LinkedHashMap<>();
        floats(dir.resolve(TrainingState.OPTIMIZER)).forEach((name, v) -> arrays.put(TrainingStep.OPTIMIZER + name, v));
        if (step.ema() != null) {
            floats(dir.resolve(TrainingState.EMA)).forEach((name, v) -> arrays.put(TrainingStep.EMA + name, v));
        }
        TrainingState.Position at = state.position();
        step.loadState(new TrainingStep.State(arrays, at.step(), at.emaUpdates()));
        if (at.nextEpoch() >= epochs) {
            throw new IllegalArgumentException("the run in " + runDir + " has finished its " + at.nextEpoch()
                    + " epochs; to train longer, resume with a larger --epochs");
        }
        return state;
    }

    private static Map<String, float[]> floats(Path file) {
        Map<String, float[]> out = new LinkedHashMap<>();
        WeightFiles.read(file).forEach((name, tensor) -> out.put(name, tensor.toFloats()));
        return out;
    }

    private static byte[] safetensors(Map<String, NDArray> arrays) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        arrays.forEach((name, a) -> tensors.add(Tensor.ofFloats(name, a.getShape().getShape(), a.toFloatArray())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, tensors, Map.of("format", "inception4j-training-state"));
        return out.toByteArray();
    }
}
