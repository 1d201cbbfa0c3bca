package io.github.inception4j.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Parallel branches on the same input, concatenated along channels in the listed order: the shape of every
 * Inception module. All branches must agree on height and width.
 */
public record Concat(String name, List<LayerSpec> branches) implements LayerSpec {

    public Concat {
        branches = List.copyOf(branches);
        if (branches.size() < 2) {
            throw new IllegalArgumentException("concat " + name + " needs at least two branches");
        }
    }

    @Override
    public String type() {
        return "concat";
    }

    @Override
    public String patch() {
        return "";
    }

    @Override
    public Shape3 outputShape(Shape3 in) {
        return stacked(name, in, branches.stream().map(b -> b.outputShape(in)).toList());
    }

    /** Branch outputs stacked along channels, or a {@link ShapeException} when they disagree on the grid. */
    static Shape3 stacked(String name, Shape3 in, List<Shape3> outputs) {
        Shape3 first = outputs.get(0);
        for (Shape3 out : outputs) {
            if (out.height() != first.height() || out.width() != first.width()) {
                throw new ShapeException("the branches of '" + name + "' disagree on the grid: " + first + " vs "
                        + out + " for input " + in);
            }
        }
        return first.withChannels(outputs.stream().mapToInt(Shape3::channels).sum());
    }

    @Override
    public long macs(Shape3 in) {
        return branches.stream().mapToLong(b -> b.macs(in)).sum();
    }

    @Override
    public int depth() {
        return branches.stream().mapToInt(LayerSpec::depth).max().orElse(0);
    }

    @Override
    public List<ParameterSpec> parameters(String path, Shape3 in) {
        String p = LayerSpec.join(path, name);
        List<ParameterSpec> list = new ArrayList<>();
        for (LayerSpec branch : branches) {
            list.addAll(branch.parameters(p, in));
        }
        return list;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.concat(this);
    }
}
