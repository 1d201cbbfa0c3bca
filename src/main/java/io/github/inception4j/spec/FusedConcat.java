package io.github.inception4j.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * An inference-only form of a {@link Concat}, made by {@code InferenceOptimizer.fusePointwise}, never by a model:
 * the branches' leading 1×1/1 convolutions, which all read the module's input, run as one convolution
 * ({@code stem}) whose output channels are handed to those branches in order. Each branch then goes on with
 * the rest of its layers ({@code tail}, possibly none) on its slice of the stem, or on the module input if it
 * had no leading 1×1 convolution. Outputs, shapes and multiply-adds equal the unfused module's; the only
 * difference is that the fused convolutions' weights are one array, named after all of them
 * ({@code inception3a.1x1+3x3_reduce+5x5_reduce.conv.weight}).
 */
public record FusedConcat(String name, Conv stem, List<Branch> branches) implements LayerSpec {

    /**
     * One branch, in the module's output order: {@code stemChannels} > 0 takes the stem's next that many
     * channels as its input, 0 takes the module input; {@code tail} are its remaining layers.
     */
    public record Branch(int stemChannels, List<LayerSpec> tail) {
        public Branch {
            tail = List.copyOf(tail);
            if (stemChannels < 0 || (stemChannels == 0 && tail.isEmpty())) {
                throw new IllegalArgumentException("a branch reads the stem or has layers of its own");
            }
        }
    }

    public FusedConcat {
        branches = List.copyOf(branches);
        if (!stem.window().pointwise()) {
            throw new IllegalArgumentException("the fused stem of " + name + " must be a 1×1/1 convolution");
        }
        int handedOut = branches.stream().mapToInt(Branch::stemChannels).sum();
        if (handedOut != stem.filters()) {
            throw new IllegalArgumentException("the branches of " + name + " take " + handedOut
                    + " channels of a " + stem.filters() + "-filter stem");
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
        Shape3 stemOut = stem.outputShape(in);
        List<Shape3> outputs = new ArrayList<>();
        for (Branch branch : branches) {
            Shape3 out = branch.stemChannels() > 0 ? stemOut.withChannels(branch.stemChannels()) : in;
            for (LayerSpec layer : branch.tail()) {
                out = layer.outputShape(out);
            }
            outputs.add(out);
        }
        return Concat.stacked(name, in, outputs);
    }

    @Override
    public long macs(Shape3 in) {
        Shape3 stemOut = stem.outputShape(in);
        long total = stem.macs(in);
        for (Branch branch : branches) {
            Shape3 x = branch.stemChannels() > 0 ? stemOut.withChannels(branch.stemChannels()) : in;
            for (LayerSpec layer : branch.tail()) {
                total += layer.macs(x);
                x = layer.outputShape(x);
            }
        }
        return total;
    }

    @Override
    public int depth() {
        return branches.stream()
                .mapToInt(b -> (b.stemChannels() > 0 ? 1 : 0) + b.tail().stream().mapToInt(LayerSpec::depth).sum())
                .max().orElse(0);
    }

    @Override
    public List<ParameterSpec> parameters(String path, Shape3 in) {
        String p = LayerSpec.join(path, name);
        Shape3 stemOut = stem.outputShape(in);
        List<ParameterSpec> list = new ArrayList<>(stem.parameters(p, in));
        for (Branch branch : branches) {
            Shape3 x = branch.stemChannels() > 0 ? stemOut.withChannels(branch.stemChannels()) : in;
            for (LayerSpec layer : branch.tail()) {
                list.addAll(layer.parameters(p, x));
                x = layer.outputShape(x);
            }
        }
        return list;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.fusedConcat(this);
    }
}
