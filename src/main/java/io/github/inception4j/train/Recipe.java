package io.github.inception4j.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.inception4j.data.Augmentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of a training run, explicit. Presets are in {@link Recipes}; any setting can be overridden by its
 * dotted key ({@code lr=0.1}, {@code schedule.kind=cosine}, {@code augmentation.minArea=0.35}), and the result is
 * validated as a whole.
 *
 * @param inputSize square input in pixels; 0 keeps the model's default
 * @param optimizer {@code sgd} (momentum, torch/TF semantics) or {@code rmsprop} (TF semantics)
 * @param weightDecay L2 coefficient λ: the gradient gets λ·w added (TF's l2_regularizer, torch's weight_decay)
 * @param decayBatchNormAndBias whether λ also applies to BN γ/β and biases (TF and Caffe exclude them)
 * @param auxWeight loss weight of every auxiliary head (P1: 0.3, TF Inception-v3: 0.4)
 * @param clipNorm global gradient-norm threshold, 0 for none (P2: 2.0)
 * @param emaDecay Polyak/EMA decay of the weights, 0 for none (TF: 0.9999)
 * @param evalCropFraction central crop for evaluation, as a fraction of each side (TF: 0.875; 1 keeps the image)
 * @param validationFraction share of each class held out of the training set for validation when no separate
 *                           validation set is given (0: none)
 */
public record Recipe(String name, String summary, int epochs, int batchSize, int inputSize, String optimizer,
                     double lr, double momentum, double rmsDecay, double rmsEpsilon, Schedule schedule,
                     double weightDecay, boolean decayBatchNormAndBias, double labelSmoothing, double auxWeight,
                     double clipNorm, double emaDecay, boolean emaWarmup, Augmentation augmentation,
                     double evalCropFraction, double validationFraction) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public Recipe {
        check(epochs >= 1, "epochs must be at least 1");
        check(batchSize >= 1, "batch size must be at least 1");
        check(inputSize >= 0, "input size must be ≥ 0 (0: the model's)");
        check(optimizer.equals("sgd") || optimizer.equals("rmsprop"), "optimizer must be sgd or rmsprop, got '"
                + optimizer + "'");
        check(lr > 0 && Double.isFinite(lr), "learning rate must be positive");
        check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1)");
        check(rmsDecay >= 0 && rmsDecay < 1 && rmsEpsilon > 0, "RMSProp needs decay in [0, 1), epsilon > 0");
        check(weightDecay >= 0, "weight decay must be ≥ 0");
        check(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1)");
        check(auxWeight >= 0, "aux weight must be ≥ 0");
        check(clipNorm >= 0, "clip norm must be ≥ 0 (0: no clipping)");
        check(emaDecay == 0 || (emaDecay > 0 && emaDecay < 1), "EMA decay must be 0 (off) or in (0, 1)");
        check(evalCropFraction > 0 && evalCropFraction <= 1, "eval crop fraction must be in (0, 1]");
        check(validationFraction >= 0 && validationFraction < 1, "validation fraction must be in [0, 1)");
        if (schedule == null || augmentation == null) {
            throw new IllegalArgumentException("a recipe needs a schedule and an augmentation");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("recipe: " + message);
        }
    }

    /** The optimiser these settings describe, with fresh state. */
    public Optimizer newOptimizer() {
        return optimizer.equals("sgd") ? new SgdMomentum((float) momentum)
                : new TfRmsProp((float) rmsDecay, (float) momentum, (float) rmsEpsilon);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static Recipe fromJson(String json) {
        try {
            Recipe r = GSON.fromJson(json, Recipe.class);
            if (r == null) {
                throw new IllegalArgumentException("empty recipe");
            }
            return new Recipe(r.name, r.summary, r.epochs, r.batchSize, r.inputSize, r.optimizer, r.lr, r.momentum,
                    r.rmsDecay, r.rmsEpsilon, r.schedule, r.weightDecay, r.decayBatchNormAndBias, r.labelSmoothing,
                    r.auxWeight, r.clipNorm, r.emaDecay, r.emaWarmup, r.augmentation, r.evalCropFraction,
                    r.validationFraction);
        } catch (RuntimeException e) {
            // Gson wraps what the canonical constructors throw; surface their message.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException invalid) {
                    throw invalid;
                }
            }
            throw new IllegalArgumentException("unreadable recipe: " + e.getMessage(), e);
        }
    }

    /** Every setting by dotted key, in declaration order (what {@code --set} accepts). */
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
     * This recipe with settings replaced, e.g. {@code {"lr": "0.1", "schedule.kind": "cosine"}}; lists are comma
     * separated. Unknown keys and values of the wrong type are refused, naming the key.
     */
    public Recipe with(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        JsonObject tree = GSON.toJsonTree(this).getAsJsonObject();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String[] path = e.getKey().split("\\.");
            JsonObject parent = tree;
            for (int i = 0; i < path.length - 1; i++) {
                JsonElement child = parent.get(path[i]);
                if (child == null || !child.isJsonObject()) {
                    throw unknown(e.getKey());
                }
                parent = child.getAsJsonObject();
            }
            String leaf = path[path.length - 1];
            JsonElement old = parent.get(leaf);
            if (old == null || old.isJsonObject()) {
                throw unknown(e.getKey());
            }
            parent.add(leaf, parse(e.getKey(), e.getValue(), old));
        }
        return fromJson(GSON.toJson(tree));
    }

    private IllegalArgumentException unknown(String key) {
        return new IllegalArgumentException("unknown recipe setting '" + key + "'; settings: "
                + String.join(", ", settings().keySet()));
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
