package io.github.inception4j.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.github.inception4j.data.Augmentation;
import io.github.inception4j.json.JsonRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every setting of a training run, explicit, in five groups. Presets are in {@link Recipes}; any setting can be
 * overridden by its dotted key ({@code optimization.lr=0.1}, {@code schedule.kind=cosine},
 * {@code augmentation.crop.minArea=0.35}), and the result is validated as a whole. A key may leave out the names of
 * groups as long as it still names one setting: {@code lr}, {@code minArea} and {@code augmentation.minArea} work.
 */
public record Recipe(String name, String summary, Run run, Optimization optimization, Schedule schedule,
                     Regularization regularization, Augmentation augmentation) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * How long, in what batches and at what size; what is held out and how it is evaluated.
     *
     * @param inputSize square input in pixels; 0 keeps the model's default
     * @param evalCropFraction central crop for evaluation, as a fraction of each side (TF: 0.875; 1 keeps the image)
     * @param validationFraction share of each class held out of the training set for validation when no separate
     *                           validation set is given (0: none)
     */
    public record Run(int epochs, int batchSize, int inputSize, double evalCropFraction, double validationFraction) {
        public Run {
            check(epochs >= 1, "epochs must be at least 1");
            check(batchSize >= 1, "batch size must be at least 1");
            check(inputSize >= 0, "input size must be ≥ 0 (0: the model's)");
            check(evalCropFraction > 0 && evalCropFraction <= 1, "eval crop fraction must be in (0, 1]");
            check(validationFraction >= 0 && validationFraction < 1, "validation fraction must be in [0, 1)");
        }
    }

    /**
     * The optimiser and its hyper-parameters.
     *
     * @param optimizer {@code sgd} (momentum, torch/TF semantics) or {@code rmsprop} (TF semantics; uses
     *                  {@code rmsDecay} and {@code rmsEpsilon})
     * @param clipNorm global gradient-norm threshold, 0 for none (P2: 2.0)
     */
    public record Optimization(String optimizer, double lr, double momentum, double rmsDecay, double rmsEpsilon,
                               double clipNorm) {
        public Optimization {
            check(optimizer.equals("sgd") || optimizer.equals("rmsprop"), "optimizer must be sgd or rmsprop, got '"
                    + optimizer + "'");
            check(lr > 0 && Double.isFinite(lr), "learning rate must be positive");
            check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1)");
            check(rmsDecay >= 0 && rmsDecay < 1 && rmsEpsilon > 0, "RMSProp needs decay in [0, 1), epsilon > 0");
            check(clipNorm >= 0, "clip norm must be ≥ 0 (0: no clipping)");
        }

        /** SGD with momentum, no clipping (RMSProp fields at TF's defaults, unused). */
        public static Optimization sgd(double lr, double momentum) {
            return new Optimization("sgd", lr, momentum, 0.9, 1.0, 0);
        }

        /** TF's RMSProp (P2 §8: decay 0.9, ε 1.0), no clipping. */
        public static Optimization rmsprop(double lr, double momentum, double decay, double epsilon) {
            return new Optimization("rmsprop", lr, momentum, decay, epsilon, 0);
        }

        public Optimization withClipNorm(double value) {
            return new Optimization(optimizer, lr, momentum, rmsDecay, rmsEpsilon, value);
        }

        /** The optimiser these settings describe, with fresh state. */
        public Optimizer newOptimizer() {
            return optimizer.equals("sgd") ? new SgdMomentum((float) momentum)
                    : new TfRmsProp((float) rmsDecay, (float) momentum, (float) rmsEpsilon);
        }
    }

    /**
     * What keeps the weights from fitting the training set too well, and their running average.
     *
     * @param weightDecay L2 coefficient λ: the gradient gets λ·w added (TF's l2_regularizer, torch's weight_decay)
     * @param decayBatchNormAndBias whether λ also applies to BN γ/β and biases (TF and Caffe exclude them)
     * @param auxWeight loss weight of every auxiliary head (P1: 0.3, TF Inception-v3: 0.4)
     * @param emaDecay Polyak/EMA decay of the weights, 0 for none (TF: 0.9999)
     * @param emaWarmup TF's num_updates warm-up: decay min(emaDecay, (1 + n) / (10 + n)) at update n
     */
    public record Regularization(double weightDecay, boolean decayBatchNormAndBias, double labelSmoothing,
                                 double auxWeight, double emaDecay, boolean emaWarmup) {
        public Regularization {
            check(weightDecay >= 0, "weight decay must be ≥ 0");
            check(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1)");
            check(auxWeight >= 0, "aux weight must be ≥ 0");
            check(emaDecay == 0 || (emaDecay > 0 && emaDecay < 1), "EMA decay must be 0 (off) or in (0, 1)");
        }
    }

    public Recipe {
        if (run == null || optimization == null || schedule == null || regularization == null
                || augmentation == null) {
            throw new IllegalArgumentException("recipe: a recipe needs run, optimization, schedule, regularization "
                    + "and augmentation settings");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("recipe: " + message);
        }
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static Recipe fromJson(String json) {
        JsonElement tree;
        try {
            tree = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("unreadable recipe: " + e.getMessage(), e);
        }
        if (!tree.isJsonObject()) {
            throw new IllegalArgumentException("unreadable recipe: not a JSON object");
        }
        return JsonRecords.read(GSON, ungroupedToGrouped(tree.getAsJsonObject()), Recipe.class, "recipe");
    }

    /** Recipes saved before the settings were grouped (run.json until 2026-11) were one flat object. */
    private static JsonObject ungroupedToGrouped(JsonObject recipe) {
        JsonRecords.nest(recipe, "run", "epochs", "batchSize", "inputSize", "evalCropFraction", "validationFraction");
        JsonRecords.nest(recipe, "optimization", "optimizer", "lr", "momentum", "rmsDecay", "rmsEpsilon", "clipNorm");
        JsonRecords.nest(recipe, "regularization", "weightDecay", "decayBatchNormAndBias", "labelSmoothing",
                "auxWeight", "emaDecay", "emaWarmup");
        if (recipe.get("augmentation") instanceof JsonObject augmentation) {
            JsonRecords.nest(augmentation, "crop", "minArea", "maxArea", "minAspect", "maxAspect", "logUniformAspect",
                    "attempts=cropAttempts");
            JsonRecords.nest(augmentation, "photometric", "brightness", "saturation", "hue", "contrast");
        }
        return recipe;
    }

    /** Every setting by its full dotted key, in declaration order (what {@code --set} accepts). */
    public Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", GSON.toJsonTree(this).getAsJsonObject(), out);
        out.remove("name");
        out.remove("summary");
        return out;
    }

    private static void flatten(String prefix, JsonObject object, Map<String, String> out) {
        for (Map.Entry<String, JsonElement> e : object.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue().isJsonObject()) {
                flatten(key + ".", e.getValue().getAsJsonObject(), out);
            } else if (e.getValue().isJsonArray()) {
                List<String> items = new ArrayList<>();
                e.getValue().getAsJsonArray().forEach(v -> items.add(v.getAsString()));
                out.put(key, String.join(",", items));
            } else {
                out.put(key, e.getValue().getAsString());
            }
        }
    }

    /**
     * The full key a possibly shortened one names: itself, or the one setting whose key ends with the same name and
     * contains the other given group names in order ({@code lr} → {@code optimization.lr},
     * {@code augmentation.minArea} → {@code augmentation.crop.minArea}). Unknown and ambiguous keys are refused.
     */
    public String fullKey(String key) {
        Set<String> keys = settings().keySet();
        if (keys.contains(key)) {
            return key;
        }
        List<String> given = List.of(key.split("\\."));
        List<String> matches = keys.stream().filter(k -> abbreviates(given, List.of(k.split("\\.")))).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new IllegalArgumentException(matches.isEmpty()
                ? "unknown recipe setting '" + key + "'; settings: " + String.join(", ", keys)
                : "recipe setting '" + key + "' is ambiguous: " + String.join(", ", matches));
    }

    private static boolean abbreviates(List<String> given, List<String> full) {
        if (!given.get(given.size() - 1).equals(full.get(full.size() - 1))) {
            return false;
        }
        int next = 0;
        for (String segment : full) {
            if (next < given.size() && segment.equals(given.get(next))) {
                next++;
            }
        }
        return next == given.size();
    }

    /**
     * This recipe with settings replaced, e.g. {@code {"lr": "0.1", "schedule.kind": "cosine"}} (keys as
     * {@link #fullKey} reads them); lists are comma separated. Values of the wrong type are refused, naming the key.
     */
    public Recipe with(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        JsonObject tree = GSON.toJsonTree(this).getAsJsonObject();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String[] path = fullKey(e.getKey()).split("\\.");
            JsonObject parent = tree;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.getAsJsonObject(path[i]);
            }
            String leaf = path[path.length - 1];
            parent.add(leaf, parse(e.getKey(), e.getValue(), parent.get(leaf)));
        }
        return fromJson(GSON.toJson(tree));
    }

    private static JsonElement parse(String key, String value, JsonElement old) {
        if (old.isJsonArray()) {
            JsonArray array = new JsonArray();
            for (String item : value.split(",")) {
                array.add(item.trim());
            }
            return array;
        }
        JsonPrimitive p = old.getAsJsonPrimitive();
        if (p.isBoolean()) {
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("recipe setting '" + key + "' is true or false, not '" + value
                        + "'");
            }
            return new JsonPrimitive(Boolean.parseBoolean(value));
        }
        if (p.isNumber()) {
            try {
                return new JsonPrimitive(Double.parseDouble(value));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("recipe setting '" + key + "' is a number, not '" + value + "'");
            }
        }
        return new JsonPrimitive(value);
    }
}
