package io.github.inception4j.detect;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/** Detections as the CLI and the server write them: {@code [{box: [x0, y0, x1, y1], label, class, score}]}. */
public final class DetectionJson {

    private DetectionJson() {
    }

    public static JsonArray of(List<Detection> detections, List<String> classNames) {
        JsonArray list = new JsonArray();
        for (Detection d : detections) {
            JsonObject o = new JsonObject();
            JsonArray box = new JsonArray();
            box.add(d.box().x0());
            box.add(d.box().y0());
            box.add(d.box().x1());
            box.add(d.box().y1());
            o.add("box", box);
            o.addProperty("label", d.label());
            o.addProperty("class", classNames.get(d.label()));
            o.addProperty("score", d.score());
            list.add(o);
        }
        return list;
    }
}
