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
        int channels = 0;
        Shape3 first = null;
        for (LayerSpec branch : branches) {
            Shape3 out = branch.outputShape(in);
            if (first != null && (out.height() != first.height() || out.width() != first.width())) {
                throw new ShapeException("the branches of '" + name + "' disagree on the grid: " + first + " vs "
                        + out + " for input " + in);
            }
            first = first == null ? out : first;
            channels += out.channels();
        }
        return first.withChannels(channels);
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
