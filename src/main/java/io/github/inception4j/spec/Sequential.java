package io.github.inception4j.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Layers applied one after the other. An empty name adds no segment to parameter names, which is how an
 * Inception module's branches stay anonymous ({@code inception3a.3x3_reduce}, not {@code inception3a.b2.3x3_reduce}).
 */
public record Sequential(String name, List<LayerSpec> layers) implements LayerSpec {

    public Sequential {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("sequence " + name + " is empty");
        }
    }

    public static Sequential anonymous(LayerSpec... layers) {
        return new Sequential("", List.of(layers));
    }

    /**
     * The pool branch of the P2 modules (Fig. 5–7): 3×3/1 average pool, then a 1×1 projection named
     * {@code branch_pool} (torchvision's name).
     */
    static Sequential poolProjection(int filters, boolean countsPadding, ConvStyle style) {
        return anonymous(Pool.avg("pool", 3, 1, 1, false, countsPadding),
                Conv.square("branch_pool", filters, 1, 1, 0, style));
    }

    /** The same layers under another name. */
    public Sequential named(String newName) {
        return new Sequential(newName, layers);
    }

    @Override
    public String type() {
        return "sequence";
    }

    @Override
    public String patch() {
        return "";
    }

    @Override
    public Shape3 outputShape(Shape3 in) {
        Shape3 shape = in;
        for (LayerSpec layer : layers) {
            shape = layer.outputShape(shape);
        }
        return shape;
    }

    @Override
    public long macs(Shape3 in) {
        long total = 0;
        Shape3 shape = in;
        for (LayerSpec layer : layers) {
            total += layer.macs(shape);
            shape = layer.outputShape(shape);
        }
        return total;
    }

    @Override
    public int depth() {
        return layers.stream().mapToInt(LayerSpec::depth).sum();
    }

    @Override
    public List<ParameterSpec> parameters(String path, Shape3 in) {
        String p = LayerSpec.join(path, name);
        List<ParameterSpec> list = new ArrayList<>();
        Shape3 shape = in;
        for (LayerSpec layer : layers) {
            list.addAll(layer.parameters(p, shape));
            shape = layer.outputShape(shape);
        }
        return list;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.sequential(this);
    }
}
