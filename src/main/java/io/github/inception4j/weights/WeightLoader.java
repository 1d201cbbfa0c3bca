package io.github.inception4j.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.github.inception4j.nn.GradMode;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies named tensors into an initialised {@link InceptionNetwork}. Names are matched through a
 * {@link KeyScheme} derived from the spec, never by position; every shape is checked, and nothing is copied
 * until the whole file has been checked, so a refused file leaves the network as it was.
 */
public final class WeightLoader {

    /** What to do with entries that do not match. */
    public enum Mode {
        /** Every parameter must be in the file with its shape, and every file entry must be a parameter. */
        STRICT,
        /** Load what matches; report what was skipped (a classifier of another width, absent aux heads). */
        LENIENT
    }

    /** torch's per-BN step counter: a buffer with no weights in it, never loaded. */
    private static final String BATCH_COUNTER = "num_batches_tracked";

    private WeightLoader() {
    }

    public static LoadReport load(InceptionNetwork network, Path file, Mode mode) {
        return load(network, WeightFiles.read(file, network.spec()), mode, file);
    }

    /**
     * Loads {@code tensors} (named by our spec or by torchvision, whichever matches more) into the network.
     *
     * @param source what to name in error messages (the file)
     */
    public static LoadReport load(InceptionNetwork network, Map<String, Tensor> tensors, Mode mode, Path source) {
        NetworkSpec spec = network.spec();
        KeyScheme scheme = detect(spec, tensors);
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        Map<Parameter, Tensor> matched = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (ParameterSpec p : spec.parameters()) {
            String key = scheme.keyOf(spec, p.name());
            Tensor t = tensors.get(key);
            if (t == null) {
                missing.add(key);
            } else if (!Arrays.equals(t.shape(), p.shape())) {
                mismatched.add(key + ": file " + Arrays.toString(t.shape()) + " vs network " + p.shapeString());
                used.add(key);
            } else if (!t.dtype().isFloatingPoint()) {
                mismatched.add(key + ": file holds " + t.dtype() + ", a parameter needs floating point");
                used.add(key);
            } else {
                if (t.dtype() == DType.BF16) {
                    throw new WeightFileException(source, "tensor '" + key + "' is bfloat16, which is refused "
                            + "(it aborts DJL's PyTorch engine); convert the file to float32");
                }
                matched.put(network.parameter(p.name()), t);
                used.add(key);
            }
        }
        List<String> unexpected = tensors.keySet().stream()
                .filter(k -> !used.contains(k) && !k.endsWith(BATCH_COUNTER)).sorted().toList();
        LoadReport report = new LoadReport(scheme, matched.size(), missing, mismatched, unexpected);
        if (mode == Mode.STRICT && !report.complete()) {
            throw new WeightFileException(source, "does not fit " + spec.name() + " (strict loading; nothing was "
                    + "loaded): " + problems(report));
        }
        // Lenient loading is for fine-tuning (another classifier, absent aux heads), not for another model:
        // when most of the network would keep its initial values, the file is the wrong one.
        if (matched.size() * 2 < spec.parameters().size()) {
            throw new WeightFileException(source, "only " + matched.size() + " of " + spec.parameters().size()
                    + " arrays of " + spec.name() + " match; is it the right model? " + problems(report));
        }
        GradMode.off(() -> {
            matched.forEach(WeightLoader::copy);
            return null;
        });
        return report;
    }

    /** The scheme under which more of the file's names are parameters of this network. */
    static KeyScheme detect(NetworkSpec spec, Map<String, Tensor> tensors) {
        KeyScheme best = KeyScheme.SPEC;
        long bestHits = -1;
        for (KeyScheme scheme : KeyScheme.values()) {
            long hits = spec.parameters().stream().filter(p -> tensors.containsKey(scheme.keyOf(spec, p.name())))
                    .count();
            if (hits > bestHits) {
                best = scheme;
                bestHits = hits;
            }
        }
        return best;
    }

    private static String problems(LoadReport r) {
        List<String> parts = new ArrayList<>();
        if (!r.missing().isEmpty()) {
            parts.add("missing " + r.missing().size() + " " + head(r.missing()));
        }
        if (!r.mismatched().isEmpty()) {
            parts.add("shape differs for " + r.mismatched().size() + " " + head(r.mismatched()));
        }
        if (!r.unexpected().isEmpty()) {
            parts.add("unexpected " + r.unexpected().size() + " " + head(r.unexpected()));
        }
        return String.join("; ", parts);
    }

    private static String head(List<String> names) {
        return names.subList(0, Math.min(names.size(), 8)) + (names.size() > 8 ? " ..." : "");
    }

    private static void copy(Parameter parameter, Tensor tensor) {
        NDArray target = parameter.getArray();
        NDArray source = target.getManager().create(tensor.toFloats(), new Shape(tensor.shape()))
                .toType(target.getDataType(), false);
        // set(NDIndex("...")) writes in place into a leaf that requires grad (djl.md §2.2).
        target.set(new NDIndex("..."), source);
        source.close();
    }
}
