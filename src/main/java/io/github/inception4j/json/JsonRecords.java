package io.github.inception4j.json;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Records read from JSON: the validation message of a record's constructor surfaces as it is, and files written
 * before settings were grouped are read by moving their flat members into the groups.
 */
public final class JsonRecords {

    private JsonRecords() {
    }

    /** {@code json} parsed, or an {@link IllegalArgumentException} "unreadable {@code what}: …" (not Gson's own). */
    public static JsonElement parse(String json, String what) {
        try {
            return JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("unreadable " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gson's reading of {@code json} as {@code type}, where what a canonical constructor refuses is thrown as that
     * constructor's {@link IllegalArgumentException} (Gson wraps it) and anything else unreadable as one naming
     * {@code what}.
     */
    public static <T> T read(Gson gson, JsonElement json, Class<T> type, String what) {
        try {
            T value = gson.fromJson(json, type);
            if (value == null) {
                throw new IllegalArgumentException("empty " + what);
            }
            return value;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException invalid) {
                    throw invalid;
                }
            }
            throw new IllegalArgumentException("unreadable " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves the members named by {@code fields} into a new object {@code group} of {@code object}, unless
     * {@code object} already has an object {@code group} or none of the members (a flat member may have the
     * group's name: it is moved first). A field {@code "attempts=cropAttempts"} is
     * renamed on the way (new name first).
     *
     * @return whether anything was moved
     */
    public static boolean nest(JsonObject object, String group, String... fields) {
        if (object.get(group) instanceof JsonObject) {
            return false;
        }
        JsonObject nested = new JsonObject();
        for (String field : fields) {
            int rename = field.indexOf('=');
            String to = rename < 0 ? field : field.substring(0, rename);
            String from = rename < 0 ? field : field.substring(rename + 1);
            JsonElement value = object.remove(from);
            if (value != null) {
                nested.add(to, value);
            }
        }
        if (nested.size() == 0) {
            return false;
        }
        object.add(group, nested);
        return true;
    }
}
