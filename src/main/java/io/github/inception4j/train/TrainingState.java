package io.github.inception4j.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.github.inception4j.json.JsonRecords;
import java.util.List;

/**
 * Where a run stands, saved as {@value #FILE} in its checkpoint: the position to go on from, the running sums of a
 * partly done epoch, the metrics so far, and how the run last stopped.
 *
 * @param formatVersion {@value #FORMAT}; format 1 (until 2026-11) had the position and each epoch's metrics flat,
 *                      and is still read
 * @param status running, completed, stopped (Ctrl-C or time limit) or diverged
 */
record TrainingState(int formatVersion, Position position, double elapsedSeconds, Partial partial,
                     List<EpochMetrics> history, String status) {

    static final String FILE = "training.json";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String EMA = "ema.safetensors";
    static final int FORMAT = 2;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    /**
     * The next epoch and batch to run (0-based), the optimizer steps taken and the updates of the average.
     */
    record Position(int nextEpoch, int nextBatch, long step, long emaUpdates) {
        static final Position START = new Position(0, 0, 0, 0);

        /** Batch {@code batch} of epoch {@code epoch} is next; steps and average updates as {@code step} has them. */
        static Position of(int epoch, int batch, TrainingStep step) {
            return new Position(epoch, batch, step.steps(), step.ema() == null ? 0 : step.ema().updates());
        }
    }

    /** Running sums of the current epoch's training metrics. */
    record Partial(double lossSum, long correct, long count, double gradNormSum, long steps, double seconds) {
        static final Partial EMPTY = new Partial(0, 0, 0, 0, 0, 0);
    }

    /** A run about to take its first step. */
    static TrainingState start() {
        return at(Position.START, 0, Partial.EMPTY, List.of(), "running");
    }

    static TrainingState at(Position position, double elapsedSeconds, Partial partial, List<EpochMetrics> history,
                            String status) {
        return new TrainingState(FORMAT, position, elapsedSeconds, partial, List.copyOf(history), status);
    }

    String toJson() {
        return GSON.toJson(this);
    }

    static TrainingState fromJson(String json) {
        JsonObject tree;
        try {
            tree = JsonParser.parseString(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("unreadable " + FILE + ": " + e.getMessage(), e);
        }
        if (tree.get("formatVersion") instanceof JsonPrimitive v && v.isNumber() && v.getAsInt() == 1) {
            JsonRecords.nest(tree, "position", "nextEpoch", "nextBatch", "step", "emaUpdates");
            if (tree.get("history") instanceof JsonArray history) {
                for (JsonElement epoch : history) {
                    if (epoch instanceof JsonObject m) {
                        JsonRecords.nest(m, "training", "loss=trainLoss", "accuracy=trainAccuracy", "gradNorm",
                                "skippedImages");
                        JsonRecords.nest(m, "validation", "loss=valLoss", "accuracy=valAccuracy", "top5=valTop5",
                                "averaged");
                        JsonRecords.nest(m, "timing", "seconds", "imagesPerSecond");
                    }
                }
            }
        }
        TrainingState state = JsonRecords.read(GSON, tree, TrainingState.class, FILE);
        if (state.formatVersion() > FORMAT) {
            throw new IllegalArgumentException(FILE + " has format " + state.formatVersion()
                    + ", newer than this version reads (" + FORMAT + ")");
        }
        return at(state.position(), state.elapsedSeconds(), state.partial(), state.history(), state.status());
    }
}
