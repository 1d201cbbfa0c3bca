package io.github.inception4j.onnx;

import io.github.inception4j.nn.InceptionNetwork;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Post-training calibration: runs images through the float graph with every activation the int8 graph quantizes
 * exposed as an output, and chooses each one's range by a {@link Calibration.Method}. Minimum and maximum are
 * gathered in one pass; the percentile and entropy methods take a second pass for a 2048-bin histogram of each
 * tensor's positive values over (0, max]. A tensor with negative values (the normalised input) keeps its observed
 * range.
 */
public final class Calibrator {

    static final int BINS = 2048;
    /** Levels of uint8 over [0, threshold]: the entropy method's quantized histogram. */
    static final int LEVELS = 256;
    static final double PERCENTILE = 99.999;

    /** Calibration images as NCHW float batches (preprocessed as for evaluation); may be walked twice. */
    public interface Batches {
        void forEach(Consumer<FloatBuffer> batch);
    }

    private static final class Observed {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        long[] histogram;

        void range(FloatBuffer values) {
            for (int i = values.position(); i < values.limit(); i++) {
                float v = values.get(i);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }

        void histogram(FloatBuffer values) {
            if (histogram == null) {
                histogram = new long[BINS];
            }
            float perBin = BINS / max;
            for (int i = values.position(); i < values.limit(); i++) {
                float v = values.get(i);
                // The zeros of a ReLU output are exact in uint8 at any scale: only positive values inform the cut.
                if (v > 0) {
                    histogram[Math.min(BINS - 1, (int) (v * perBin))]++;
                }
            }
        }
    }

    private Calibrator() {
    }

    /**
     * Calibrates {@code network} (BatchNorm folded) on {@code batches}.
     *
     * @param data where the images came from, for the record
     * @param threads ONNX Runtime's intra-op threads
     */
    public static Calibration calibrate(InceptionNetwork network, Batches batches, Calibration.Method method,
                                        String data, int threads) {
        OnnxGraph graph = OnnxExporter.graph(network);
        Map<String, String> groups = QuantizedExporter.activations(graph);
        List<String> outputs = new ArrayList<>(List.of(OnnxExporter.LOGITS));
        outputs.addAll(groups.keySet());
        Map<String, Observed> observed = new LinkedHashMap<>();
        groups.keySet().forEach(t -> observed.put(t, new Observed()));
        int[] images = {0};
        long perImage = (long) network.spec().input().elements();
        try (OnnxRuntimeSession session = OnnxRuntimeSession.of(OnnxExporter.serialize(network, graph, 0, outputs),
                network.spec(), threads)) {
            batches.forEach(batch -> {
                images[0] += (int) (batch.remaining() / perImage);
                session.outputs(batch, groups.keySet(), (name, values) -> observed.get(name).range(values));
            });
            if (images[0] == 0) {
                throw new IllegalArgumentException("no calibration images");
            }
            if (method != Calibration.Method.MINMAX) {
                batches.forEach(batch -> session.outputs(batch, groups.keySet(), (name, values) -> {
                    Observed o = observed.get(name);
                    if (o.min >= 0 && o.max > 0) {
                        o.histogram(values);
                    }
                }));
            }
        }
        Map<String, Float> maxima = new HashMap<>();
        Map<String, Float> minima = new HashMap<>();
        observed.forEach((name, o) -> {
            float max = o.histogram == null ? o.max : o.max * threshold(o.histogram, method) / BINS;
            maxima.merge(groups.get(name), Math.max(max, 0), Math::max);
            minima.merge(groups.get(name), Math.min(o.min, 0), Math::min);
        });
        Map<String, Calibration.Range> ranges = new LinkedHashMap<>();
        groups.forEach((name, group) -> ranges.put(name, new Calibration.Range(minima.get(group),
                maxima.get(group))));
        return new Calibration(method.id(), images[0], data, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                ranges);
    }

    /** The histogram's upper cut in bins (1..BINS) by the method. */
    static float threshold(long[] histogram, Calibration.Method method) {
        return switch (method) {
            case MINMAX -> BINS;
            case PERCENTILE -> percentile(histogram, PERCENTILE);
            case ENTROPY -> entropy(histogram);
        };
    }

    static float percentile(long[] histogram, double percent) {
        long total = 0;
        for (long c : histogram) {
            total += c;
        }
        double wanted = total * percent / 100;
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= wanted) {
                return i + 1;
            }
        }
        return histogram.length;
    }

    /**
     * The cut i (in bins) whose uint8 quantization Q of the clipped histogram P (outliers added to its last bin)
     * has the smallest KL(P ‖ Q): TensorRT's entropy calibration, with {@value #LEVELS} levels over [0, cut].
     */
    static float entropy(long[] histogram) {
        int best = histogram.length;
        double bestDivergence = Double.POSITIVE_INFINITY;
        for (int cut = LEVELS; cut <= histogram.length; cut++) {
            double divergence = divergence(histogram, cut);
            if (divergence < bestDivergence) {
                bestDivergence = divergence;
                best = cut;
            }
        }
        return best;
    }

    private static double divergence(long[] histogram, int cut) {
        double[] p = new double[cut];
        for (int i = 0; i < cut; i++) {
            p[i] = histogram[i];
        }
        for (int i = cut; i < histogram.length; i++) {
            p[cut - 1] += histogram[i];
        }
        double[] q = new double[cut];
        double perLevel = (double) cut / LEVELS;
        for (int level = 0; level < LEVELS; level++) {
            int start = (int) Math.round(level * perLevel);
            int stop = level == LEVELS - 1 ? cut : (int) Math.round((level + 1) * perLevel);
            double sum = 0;
            int nonZero = 0;
            for (int i = start; i < stop; i++) {
                sum += histogram[i];
                nonZero += histogram[i] > 0 ? 1 : 0;
            }
            for (int i = start; i < stop; i++) {
                q[i] = histogram[i] > 0 ? sum / nonZero : 0;
            }
        }
        double pTotal = 0;
        double qTotal = 0;
        for (int i = 0; i < cut; i++) {
            pTotal += p[i];
            qTotal += q[i];
        }
        double kl = 0;
        for (int i = 0; i < cut; i++) {
            if (p[i] > 0) {
                double pi = p[i] / pTotal;
                double qi = q[i] > 0 ? q[i] / qTotal : 1e-12;
                kl += pi * Math.log(pi / qi);
            }
        }
        return kl;
    }
}
