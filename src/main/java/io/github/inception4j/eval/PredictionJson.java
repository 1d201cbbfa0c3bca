package io.github.inception4j.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/** The one JSON form of top-k predictions, shared by {@code predict --json} and the server's answers. */
public final class PredictionJson {

    private PredictionJson() {
    }

    /** [{index, label, probability}, ...], most probable first. */
    public static JsonArray of(List<ImageClassifier.Prediction> predictions) {
        JsonArray array = new JsonArray();
        for (ImageClassifier.Prediction p : predictions) {
            JsonObject o = new JsonObject();
            o.addProperty("index", p.index());
            o.addProperty("label", p.label());
            o.addProperty("probability", p.probability());
            array.add(o);
        }
        return array;
    }
}
