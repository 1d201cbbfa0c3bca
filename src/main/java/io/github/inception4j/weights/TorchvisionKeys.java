package io.github.inception4j.weights;

import io.github.inception4j.spec.InceptionModule;
import io.github.inception4j.spec.LayerSpec;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ReducedConv;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torchvision's state_dict keys for our parameter names. Where torchvision's module tree names things otherwise
 * our names are renamed by prefix: GoogLeNet's inception branches ({@code inception3a.3x3_reduce →
 * inception3a.branch2.0}, googlenet.py's {@code Inception}) and its second and third convolutions, which P1 Table 1
 * prints as one "convolution 3×3" row with a reduction ({@code conv2.3x3_reduce → conv2}, {@code conv2.3x3 →
 * conv3}). Inception-v3's names are torchvision's already.
 */
final class TorchvisionKeys {

    /** Our branch names in an inception module → torchvision's module paths. */
    private static final Map<String, String> INCEPTION_BRANCHES = Map.of(
            "1x1", "branch1", "3x3_reduce", "branch2.0", "3x3", "branch2.1",
            "5x5_reduce", "branch3.0", "5x5", "branch3.1", "pool_proj", "branch4.1");

    private TorchvisionKeys() {
    }

    /** torchvision's key for one of our parameter names (the longest renamed prefix wins). */
    static String key(NetworkSpec spec, String parameterName) {
        Map<String, String> prefixes = prefixes(spec);
        String best = "";
        for (String prefix : prefixes.keySet()) {
            boolean matches = parameterName.equals(prefix) || parameterName.startsWith(prefix + ".");
            if (matches && prefix.length() > best.length()) {
                best = prefix;
            }
        }
        return best.isEmpty() ? parameterName : prefixes.get(best) + parameterName.substring(best.length());
    }

    /** Our prefix → torchvision's, from the modules of the spec's main path. */
    private static Map<String, String> prefixes(NetworkSpec spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof InceptionModule module) {
                INCEPTION_BRANCHES.forEach((ours, theirs) -> out.put(module.name() + "." + ours,
                        module.name() + "." + theirs));
            } else if (layer instanceof ReducedConv reduced) {
                // torchvision numbers the two convolutions of the row on: conv2 (the 1×1) and conv3 (the 3×3).
                int number = Integer.parseInt(reduced.name().replaceAll("\\D", ""));
                out.put(reduced.name() + ".3x3_reduce", "conv" + number);
                out.put(reduced.name() + ".3x3", "conv" + (number + 1));
            }
        }
        return out;
    }
}
