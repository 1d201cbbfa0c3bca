package io.github.inception4j.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
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
 * @param data training data: {@code fashion-mnist[:DIR]}, {@code fashion-mnist-subset} or an image folder
 * @param validationData a separate validation set (same forms), or null to carve one out of the training data
 * @param testData evaluated once at the end of the run, or null
 * @param init weights to start from (a checkpoint directory or a weight file), or null
 * @param freezeBackbone train the classifiers only
 * @param strictImages stop at the first undecodable image instead of skipping it
 */
public record RunSettings(String architecture, ModelOptions options, Recipe recipe, String data,
                          String validationData, String testData, long seed, int loaderThreads, String init,
                          boolean freezeBackbone, boolean strictImages) {

    public static final String FILE = "run.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public RunSettings {
        Architecture.byName(architecture);
        if (loaderThreads < 1) {
            throw new IllegalArgumentException("loader threads must be at least 1");
        }
    }

    public Architecture arch() {
        return Architecture.byName(architecture);
    }

    public RunSettings withRecipe(Recipe value) {
        return new RunSettings(architecture, options, value, data, validationData, testData, seed, loaderThreads,
                init, freezeBackbone, strictImages);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static RunSettings read(Path runDir) {
        Path file = runDir.resolve(FILE);
        try {
            RunSettings s = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), RunSettings.class);
            return new RunSettings(s.architecture, s.options, Recipe.fromJson(GSON.toJson(s.recipe)), s.data,
                    s.validationData, s.testData, s.seed, s.loaderThreads, s.init, s.freezeBackbone,
                    s.strictImages);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(runDir + " is not a training run (" + FILE + " is missing)");
        } catch (IOException | JsonParseException | NullPointerException e) {
            throw new IllegalArgumentException("unreadable " + file + ": " + e.getMessage(), e);
        }
    }
}
