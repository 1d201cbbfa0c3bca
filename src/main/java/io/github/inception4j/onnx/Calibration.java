package io.github.inception4j.onnx;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.inception4j.json.JsonRecords;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The calibrated range of every quantized activation of a network, and where it came from: what
 * {@link QuantizedExporter} turns into QuantizeLinear/DequantizeLinear scales and what a quantized checkpoint
 * keeps beside its int8 model ({@value #FILE}).
 *
 * @param method how ranges were chosen from the observed values ({@link Method#id})
 * @param images how many calibration images were observed
 * @param data where they came from
 * @param created when (ISO-8601, UTC)
 * @param ranges by tensor name (the ONNX export's names: conv units, pools, concats, the input); tensors that must
 *               share a scale (a concat's inputs and output, a pool's input and output) have the same range
 */
public record Calibration(String method, int images, String data, String created, Map<String, Range> ranges) {

    public static final String FILE = "quantization.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** How a range is chosen from a tensor's observed values. */
    public enum Method {
        /** The observed minimum and maximum: nothing clipped, coarsest steps. */
        MINMAX("minmax"),
        /** The maximum cut at the 99.999th percentile of the positive values: rare outliers clipped. */
        PERCENTILE("percentile"),
        /** The cut that loses least information (Kullback–Leibler, TensorRT's entropy calibration). */
        ENTROPY("entropy");

        private final String id;

        Method(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Method byId(String id) {
            for (Method m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown calibration method '" + id + "'; use minmax, percentile or "
                    + "entropy");
        }
    }

    /** A real interval [min, max]; it always contains 0 so that zero is exactly representable. */
    public record Range(float min, float max) {
        public Range {
            if (!(min <= 0 && max >= 0) || !Float.isFinite(min) || !Float.isFinite(max)) {
                throw new IllegalArgumentException("a quantization range must be finite and contain 0, was [" + min
                        + ", " + max + "]");
            }
        }

        /** The uint8 step: (max − min) / 255 (a range of one point gets a tiny positive step). */
        public float scale() {
            return Math.max((max - min) / 255f, Float.MIN_NORMAL);
        }

        /** The uint8 code of 0.0. */
        public int zeroPoint() {
            return Math.max(0, Math.min(255, Math.round(-min / scale())));
        }
    }

    public Calibration {
        Method.byId(method);
        if (ranges == null) {
            throw new IllegalArgumentException("a calibration needs its ranges");
        }
        // Sorted by name, so the file reads and diffs well.
        TreeMap<String, Range> sorted = new TreeMap<>(ranges);
        if (sorted.containsValue(null)) {
            throw new IllegalArgumentException("a calibration needs a range for every tensor it names");
        }
        ranges = Collections.unmodifiableMap(sorted);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static Calibration fromJson(String json) {
        return JsonRecords.read(GSON, JsonRecords.parse(json, FILE), Calibration.class, FILE);
    }
}
