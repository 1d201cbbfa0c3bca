package io.github.inception4j.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import io.github.inception4j.json.JsonRecords;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Everything that defines a training run, saved as {@code run.json} in its directory so that {@code --resume}
 * needs nothing but the directory.
 *
 * @param init weights to start from (a checkpoint directory or a weight file), or null
 * @param freezeBackbone train the classifiers only
 */
public record RunSettings(String architecture, ModelOptions options, Recipe recipe, Data data, String init,
                          boolean freezeBackbone, long seed) {

    public static final String FILE = "run.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * Where the images come from and how they are read.
     *
     * @param train training data: {@code fashion-mnist[:DIR]}, {@code fashion-mnist-subset} or an image folder
     * @param validation a separate validation set (same forms), or null to carve one out of the training data
     * @param test evaluated once at the end of the run, or null
     * @param strictImages stop at the first undecodable image instead of skipping it
     * @param splitSeed the seed of the carved validation split, or null for the run's seed: runs that share it hold
     *     out the same images (an ensemble's members, judged together on them)
     */
    public record Data(String train, String validation, String test, int loaderThreads, boolean strictImages,
                       Long splitSeed) {
        public Data {
            if (train == null) {
                throw new IllegalArgumentException("a run needs training data");
            }
            if (loaderThreads < 1) {
                throw new IllegalArgumentException("loader threads must be at least 1");
            }
            if (validation != null && splitSeed != null) {
                throw new IllegalArgumentException("a split seed carves a validation split out of the training "
                        + "data; a separate validation set has none");
            }
        }

        /** Training data alone (validation carved out of it, no test set), read by two threads, skipping bad images. */
        public static Data of(String train) {
            return new Data(train, null, null, 2, false, null);
        }

        public Data withTest(String value) {
            return new Data(train, validation, value, loaderThreads, strictImages, splitSeed);
        }
    }

    public RunSettings {
        Architecture.byName(architecture);
        if (options == null || recipe == null || data == null) {
            throw new IllegalArgumentException("a run needs model options, a recipe and data");
        }
    }

    /** The seed that carves the validation split out of the training data. */
    public long splitSeed() {
        return data.splitSeed() != null ? data.splitSeed() : seed;
    }

    public Architecture arch() {
        return Architecture.byName(architecture);
    }

    public RunSettings withRecipe(Recipe value) {
        return new RunSettings(architecture, options, value, data, init, freezeBackbone, seed);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static RunSettings read(Path runDir) {
        Path file = runDir.resolve(FILE);
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(runDir + " is not a training run (" + FILE + " is missing)");
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + file + ": " + e.getMessage(), e);
        }
    }

    /** What {@link #toJson} wrote (or a run.json of any earlier format); {@code source} names it in errors. */
    public static RunSettings fromJson(String json, String source) {
        try {
            JsonObject tree = JsonParser.parseString(json).getAsJsonObject();
            // run.json until 2026-11 had the data settings flat.
            JsonRecords.nest(tree, "data", "train=data", "validation=validationData", "test=testData",
                    "loaderThreads", "strictImages");
            // The recipe goes through its own reader, which also reads the flat recipes of that time.
            tree.add("recipe", GSON.toJsonTree(Recipe.fromJson(GSON.toJson(tree.get("recipe")))));
            return JsonRecords.read(GSON, tree, RunSettings.class, source);
        } catch (JsonParseException | IllegalStateException | NullPointerException e) {
            throw new IllegalArgumentException("unreadable " + source + ": " + e.getMessage(), e);
        }
    }
}
