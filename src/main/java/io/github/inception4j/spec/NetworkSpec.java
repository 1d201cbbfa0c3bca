package io.github.inception4j.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whole network as data: the main path as an ordered list of named layers (read it next to P1 Table 1 or
 * P2 Table 1), the auxiliary heads and where they attach, and the input it is evaluated at.
 *
 * <p>Every top-level layer name is an endpoint: its output can be asked for by name, and its shape is known
 * here without an engine. Construction checks that the input is admissible and names the smallest one if not.
 */
public record NetworkSpec(String name, Shape3 input, List<LayerSpec> layers, List<AuxHead> auxHeads) {

    public NetworkSpec {
        layers = List.copyOf(layers);
        auxHeads = List.copyOf(auxHeads);
        Set<String> names = new HashSet<>();
        for (LayerSpec layer : layers) {
            if (layer.name().isEmpty() || !names.add(layer.name())) {
                throw new IllegalArgumentException(name + ": top-level layer names must be unique and non-empty: '"
                        + layer.name() + "'");
            }
        }
        for (AuxHead head : auxHeads) {
            if (!names.contains(head.attachedTo()) || !names.add(head.name())) {
                throw new IllegalArgumentException(name + ": auxiliary head '" + head.name()
                        + "' must have a unique name and attach to a layer of the main path, not '"
                        + head.attachedTo() + "'");
            }
        }
        requireAdmissible(name, input, layers, auxHeads);
    }

    /** The same network evaluated at another square input size. */
    public NetworkSpec withInputSize(int size) {
        return new NetworkSpec(name, Shape3.square(input.channels(), size), layers, auxHeads);
    }

    /** The same network without its auxiliary heads (inference, or a layout built without them). */
    public NetworkSpec withoutAuxHeads() {
        return new NetworkSpec(name, input, layers, List.of());
    }

    /** Per-layer statistics: the main path in order, then each auxiliary head. */
    public List<LayerStats> layerStats() {
        List<LayerStats> stats = new ArrayList<>();
        Map<String, Shape3> outputs = new LinkedHashMap<>();
        Shape3 shape = input;
        for (LayerSpec layer : layers) {
            Shape3 out = layer.outputShape(shape);
            stats.add(new LayerStats(layer, shape, out, layer.params(shape), layer.macs(shape), false));
            outputs.put(layer.name(), out);
            shape = out;
        }
        for (AuxHead head : auxHeads) {
            Shape3 in = outputs.get(head.attachedTo());
            stats.add(new LayerStats(head, in, head.outputShape(in), head.params(in), head.macs(in), true));
        }
        return stats;
    }

    /** The output shape of every endpoint (every top-level layer and auxiliary head), in order. */
    public Map<String, Shape3> endpointShapes() {
        Map<String, Shape3> shapes = new LinkedHashMap<>();
        layerStats().forEach(s -> shapes.put(s.name(), s.output()));
        return shapes;
    }

    /** The main classifier's output width, i.e. the number of classes. */
    public int numClasses() {
        return layerStats().get(layers.size() - 1).output().channels();
    }

    /** All trainable parameters, auxiliary heads included. */
    public long params() {
        return layerStats().stream().mapToLong(LayerStats::params).sum();
    }

    public long paramsWithoutAux() {
        return layerStats().stream().filter(s -> !s.auxiliary()).mapToLong(LayerStats::params).sum();
    }

    /** Multiply-adds of the main path for one image (what inference costs). */
    public long macs() {
        return layerStats().stream().filter(s -> !s.auxiliary()).mapToLong(LayerStats::macs).sum();
    }

    /** Every parameter and buffer with its full name: the main path in order, then the auxiliary heads. */
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> all = new ArrayList<>();
        layerStats().forEach(s -> all.addAll(s.layer().parameters("", s.input())));
        return all;
    }

    /**
     * The parameters of the classifiers: the last linear layer of the main path and of each auxiliary head (what
     * fine-tuning with another number of classes replaces, and what a frozen backbone still trains).
     */
    public List<String> classifierParameterNames() {
        List<String> prefixes = new ArrayList<>();
        lastLinear(layers).ifPresent(l -> prefixes.add(l.name() + "."));
        for (AuxHead head : auxHeads) {
            lastLinear(head.layers()).ifPresent(l -> prefixes.add(head.name() + "." + l.name() + "."));
        }
        return parameters().stream().map(ParameterSpec::name)
                .filter(n -> prefixes.stream().anyMatch(p -> n.startsWith(p) && n.indexOf('.', p.length()) < 0))
                .toList();
    }

    /**
     * The main path's last layer before the classifier (its trailing dropout and linear layers): the pooled
     * "pre-logits" features, e.g. GoogLeNet's {@code avgpool} (1024 × 1 × 1).
     */
    public String preLogitsEndpoint() {
        int i = layers.size() - 1;
        while (i > 0 && (layers.get(i) instanceof Linear || layers.get(i) instanceof Dropout)) {
            i--;
        }
        return layers.get(i).name();
    }

    private static java.util.Optional<Linear> lastLinear(List<LayerSpec> layers) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i) instanceof Linear linear) {
                return java.util.Optional.of(linear);
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether parameter shapes are the same at every admissible input size (false for Caffe-style fixed heads). */
    public boolean sizeAgnostic() {
        List<String> here = parameters().stream().map(ParameterSpec::toString).toList();
        List<String> larger = withInputSize(input.height() * 2).parameters().stream()
                .map(ParameterSpec::toString).toList();
        return here.equals(larger);
    }

    /** The smallest square input this network admits. */
    public int minimumInputSize() {
        return minimumInputSize(input.channels(), layers, auxHeads);
    }

    private static int minimumInputSize(int channels, List<LayerSpec> layers, List<AuxHead> auxHeads) {
        for (int size = 1; size <= 4096; size++) {
            if (firstProblem(Shape3.square(channels, size), layers, auxHeads) == null) {
                return size;
            }
        }
        throw new IllegalStateException("no input size up to 4096 is admissible");
    }

    private static void requireAdmissible(String name, Shape3 input, List<LayerSpec> layers, List<AuxHead> heads) {
        String problem = firstProblem(input, layers, heads);
        if (problem != null) {
            int min = minimumInputSize(input.channels(), layers, heads);
            int minWithoutHeads = minimumInputSize(input.channels(), layers, List.of());
            String hint = "";
            if (input.height() < min) {
                hint = "; the smallest input " + name + " admits is " + min + "×" + min
                        + (minWithoutHeads < min ? " (" + minWithoutHeads + "×" + minWithoutHeads
                                + " without auxiliary heads)" : "");
            }
            throw new ShapeException("input " + input + " is not admissible for " + name + ": " + problem + hint);
        }
    }

    private static String firstProblem(Shape3 input, List<LayerSpec> layers, List<AuxHead> heads) {
        try {
            Map<String, Shape3> outputs = new LinkedHashMap<>();
            Shape3 shape = input;
            for (LayerSpec layer : layers) {
                shape = layer.outputShape(shape);
                outputs.put(layer.name(), shape);
            }
            for (AuxHead head : heads) {
                head.outputShape(outputs.get(head.attachedTo()));
            }
            return null;
        } catch (ShapeException e) {
            return e.getMessage();
        }
    }
}
