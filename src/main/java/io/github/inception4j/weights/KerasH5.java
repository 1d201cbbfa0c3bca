package io.github.inception4j.weights;

import io.github.inception4j.spec.AuxHead;
import io.github.inception4j.spec.Conv;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras HDF5 weights ({@code model.save_weights}, e.g. {@code inception_v3_weights_tf_dim_ordering_tf_kernels.h5}):
 * one group per layer holding {@code <layer>/<weight>:0} datasets. Keras names layers by creation order
 * ({@code conv2d_1} … {@code conv2d_94}, {@code batch_normalization_1} …, {@code predictions}), and its
 * {@code inception_v3.py} creates them in the same order as our spec's convolutions (module by module, branch by
 * branch), so the n-th Keras convolution is the n-th convolution of the spec. Kernels are HWIO and become OIHW;
 * BN without γ ({@code scale=False}) gets γ = 1; the dense kernel (in, out) is transposed.
 */
final class KerasH5 {

    static final byte[] MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final Pattern NUMBERED = Pattern.compile("(conv2d|batch_normalization)(?:_(\\d+))?");

    private KerasH5() {
    }

    /** The file's weights, named by {@code spec}'s parameter names. */
    static Map<String, Tensor> read(Path file, NetworkSpec spec) {
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new WeightFileException(file, "cannot read: " + e.getMessage(), e);
        }
        // In memory, a header that claims more bytes than the file has fails at once; on a file channel jHDF first
        // allocates and zero-fills a buffer of the claimed size (seconds for a 160-byte file; fuzzing found it).
        try (HdfFile hdf = HdfFile.fromBytes(bytes)) {
            List<Node> convs = numbered(hdf, "conv2d");
            List<Node> norms = numbered(hdf, "batch_normalization");
            List<String> ourConvs = spec.parameters().stream().map(ParameterSpec::name)
                    .filter(n -> Conv.Names.isWeight(n) && !inAuxHead(spec, n)).map(Conv.Names::unitOf).toList();
            if (convs.size() != ourConvs.size() || norms.size() != ourConvs.size()) {
                throw new WeightFileException(file, "has " + convs.size() + " Conv2D and " + norms.size()
                        + " BatchNormalization layers; " + spec.name() + " has " + ourConvs.size()
                        + " convolutions (is it the right model?)");
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < ourConvs.size(); i++) {
                Conv.Names unit = new Conv.Names(ourConvs.get(i));
                Map<String, Dataset> conv = weights(file, convs.get(i));
                Dataset kernel = require(file, conv, "kernel", convs.get(i));
                tensors.put(unit.weight(), hwioToOihw(unit.weight(), kernel));
                Map<String, Dataset> bn = weights(file, norms.get(i));
                Tensor beta = vector(unit.beta(), require(file, bn, "beta", norms.get(i)));
                tensors.put(unit.beta(), beta);
                tensors.put(unit.runningMean(),
                        vector(unit.runningMean(), require(file, bn, "moving_mean", norms.get(i))));
                tensors.put(unit.runningVar(),
                        vector(unit.runningVar(), require(file, bn, "moving_variance", norms.get(i))));
                tensors.put(unit.gamma(), bn.containsKey("gamma") ? vector(unit.gamma(), bn.get("gamma"))
                        : Tensor.ofFloats(unit.gamma(), beta.shape(), ones((int) beta.size())));
            }
            Node predictions = hdf.getChild("predictions");
            if (predictions != null) {
                Map<String, Dataset> dense = weights(file, predictions);
                Dataset kernel = require(file, dense, "kernel", predictions);
                int[] d = kernel.getDimensions();
                float[] flat = floats(kernel);
                float[] transposed = new float[flat.length];
                for (int in = 0; in < d[0]; in++) {
                    for (int out = 0; out < d[1]; out++) {
                        transposed[out * d[0] + in] = flat[in * d[1] + out];
                    }
                }
                tensors.put("fc.weight", Tensor.ofFloats("fc.weight", new long[] {d[1], d[0]}, transposed));
                tensors.put("fc.bias", vector("fc.bias", require(file, dense, "bias", predictions)));
            }
            return tensors;
        } catch (HdfException e) {
            throw new WeightFileException(file, "unreadable HDF5 file: " + e.getMessage(), e);
        } catch (WeightFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw WeightFileException.malformed(file, "HDF5 (Keras)", e);
        } catch (OutOfMemoryError e) {
            // jHDF allocates arrays of the sizes the file's headers claim before it reads them: a corrupt size asks
            // for gigabytes at once. That one allocation failed and nothing else was taken, so the heap is intact.
            throw new WeightFileException(file, "an HDF5 header claims more data than memory allows (corrupt "
                    + "size field)");
        }
    }

    private static boolean inAuxHead(NetworkSpec spec, String name) {
        return spec.auxHeads().stream().map(AuxHead::name).anyMatch(h -> name.startsWith(h + "."));
    }

    /** Layers named {@code prefix} or {@code prefix_N}, in creation order (no suffix is the first). */
    private static List<Node> numbered(HdfFile hdf, String prefix) {
        List<Node> nodes = new ArrayList<>();
        for (Node child : hdf.getChildren().values()) {
            Matcher m = NUMBERED.matcher(child.getName());
            if (m.matches() && m.group(1).equals(prefix)) {
                nodes.add(child);
            }
        }
        nodes.sort(Comparator.comparingInt(n -> {
            Matcher m = NUMBERED.matcher(n.getName());
            m.matches();
            return m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        }));
        return nodes;
    }

    /** A layer's datasets by short name ({@code kernel}, {@code beta}, ...), found through weight_names. */
    private static Map<String, Dataset> weights(Path file, Node layer) {
        Map<String, Dataset> datasets = new LinkedHashMap<>();
        Object names = layer.getAttribute("weight_names") == null ? null
                : layer.getAttribute("weight_names").getData();
        if (names == null) {
            throw new WeightFileException(file, "layer " + layer.getName() + " has no weight_names attribute "
                    + "(not a Keras weights file?)");
        }
        for (int i = 0; i < Array.getLength(names); i++) {
            String weight = String.valueOf(Array.get(names, i));
            String shortName = weight.substring(weight.lastIndexOf('/') + 1).replaceFirst(":\\d+$", "");
            Node node = ((io.jhdf.api.Group) layer).getDatasetByPath(weight);
            datasets.put(shortName, (Dataset) node);
        }
        return datasets;
    }

    private static Dataset require(Path file, Map<String, Dataset> weights, String name, Node layer) {
        Dataset d = weights.get(name);
        if (d == null) {
            throw new WeightFileException(file, "layer " + layer.getName() + " has no '" + name + "' weight (has "
                    + weights.keySet() + ")");
        }
        return d;
    }

    private static Tensor hwioToOihw(String name, Dataset kernel) {
        int[] d = kernel.getDimensions(); // (kh, kw, in, out)
        float[] flat = floats(kernel);
        float[] out = new float[flat.length];
        for (int y = 0; y < d[0]; y++) {
            for (int x = 0; x < d[1]; x++) {
                for (int i = 0; i < d[2]; i++) {
                    for (int o = 0; o < d[3]; o++) {
                        out[((o * d[2] + i) * d[0] + y) * d[1] + x] = flat[((y * d[1] + x) * d[2] + i) * d[3] + o];
                    }
                }
            }
        }
        return Tensor.ofFloats(name, new long[] {d[3], d[2], d[0], d[1]}, out);
    }

    private static Tensor vector(String name, Dataset dataset) {
        float[] values = floats(dataset);
        return Tensor.ofFloats(name, new long[] {values.length}, values);
    }

    private static float[] floats(Dataset dataset) {
        Object flat = dataset.getDataFlat();
        if (flat instanceof float[] f) {
            return f;
        }
        if (flat instanceof double[] d) {
            float[] out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
            return out;
        }
        throw new IllegalArgumentException("dataset " + dataset.getPath() + " is not floating point");
    }

    private static float[] ones(int n) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, 1f);
        return out;
    }
}
