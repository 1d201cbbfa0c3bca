package io.github.inception4j.describe;

import io.github.inception4j.spec.AdaptiveAvgPool;
import io.github.inception4j.spec.Concat;
import io.github.inception4j.spec.Conv;
import io.github.inception4j.spec.Dropout;
import io.github.inception4j.spec.FusedConcat;
import io.github.inception4j.spec.InputTransform;
import io.github.inception4j.spec.LayerSpec;
import io.github.inception4j.spec.Linear;
import io.github.inception4j.spec.LocalResponseNorm;
import io.github.inception4j.spec.Pool;
import io.github.inception4j.spec.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A module's structure in one line: branches separated by " | ", layers in a branch by " → ", parallel splits
 * inside a branch in brackets: {@code 1×1 320 | 1×1 384 → [1×3 384 ‖ 3×1 384] | ... }.
 */
final class StructureText implements LayerSpec.Visitor<String> {

    private final boolean top;

    private StructureText(boolean top) {
        this.top = top;
    }

    static String of(LayerSpec layer) {
        return layer.accept(new StructureText(true));
    }

    @Override
    public String conv(Conv c) {
        Conv.Window w = c.window();
        String stride = w.strideH() == 1 && w.strideW() == 1 ? "" : "/" + w.strideH();
        return w.kernelH() + "×" + w.kernelW() + stride + " " + c.filters();
    }

    @Override
    public String pool(Pool p) {
        return (p.kind() == Pool.Kind.MAX ? "max pool " : "avg pool ") + p.patch();
    }

    @Override
    public String adaptiveAvgPool(AdaptiveAvgPool p) {
        return "avg pool " + p.patch();
    }

    @Override
    public String localResponseNorm(LocalResponseNorm n) {
        return "LRN " + n.size();
    }

    @Override
    public String dropout(Dropout d) {
        return "dropout " + Math.round(d.rate() * 100) + "%";
    }

    @Override
    public String linear(Linear l) {
        return "fc " + l.units() + (l.relu() ? " + ReLU" : "");
    }

    @Override
    public String inputTransform(InputTransform t) {
        return "input transform";
    }

    @Override
    public String sequential(Sequential s) {
        StructureText inner = new StructureText(false);
        return s.layers().stream().map(l -> l.accept(inner)).collect(Collectors.joining(" → "));
    }

    @Override
    public String concat(Concat c) {
        StructureText inner = new StructureText(false);
        return branches(c.branches().stream().map(b -> b.accept(inner)).toList());
    }

    /** The fused stem first, then each branch from its slice of the stem ("…" standing for that slice). */
    @Override
    public String fusedConcat(FusedConcat c) {
        StructureText inner = new StructureText(false);
        List<String> branches = new ArrayList<>();
        for (FusedConcat.Branch b : c.branches()) {
            List<String> layers = new ArrayList<>();
            if (b.stemChannels() > 0) {
                layers.add("… " + b.stemChannels());
            }
            b.tail().forEach(l -> layers.add(l.accept(inner)));
            branches.add(String.join(" → ", layers));
        }
        return "fused " + c.stem().accept(inner) + " → " + branches(branches);
    }

    private String branches(List<String> branches) {
        String joined = String.join(top ? " | " : " ‖ ", branches);
        return top ? joined : "[" + joined + "]";
    }
}
