package io.github.inception4j.models;

import io.github.inception4j.spec.AdaptiveAvgPool;
import io.github.inception4j.spec.AsymmetricInceptionModule;
import io.github.inception4j.spec.AuxHead;
import io.github.inception4j.spec.Conv;
import io.github.inception4j.spec.ConvStyle;
import io.github.inception4j.spec.Dropout;
import io.github.inception4j.spec.ExpandedFilterBankModule;
import io.github.inception4j.spec.FactorizedInceptionModule;
import io.github.inception4j.spec.GridReduction17To8;
import io.github.inception4j.spec.GridReduction35To17;
import io.github.inception4j.spec.Init;
import io.github.inception4j.spec.InputTransform;
import io.github.inception4j.spec.LayerSpec;
import io.github.inception4j.spec.Linear;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.Pool;
import io.github.inception4j.spec.Shape3;
import java.util.ArrayList;
import java.util.List;

/**
 * Inception-v2 (P2 Table 1) and Inception-v3 (the released network) from one set of filter counts. Layer names
 * are TF-slim's ({@code Conv2d_1a_3x3}, {@code Mixed_5b}, {@code AuxLogits}), which torchvision also uses, so
 * our parameter names are torchvision's state_dict keys.
 */
public final class InceptionV3 {

    /**
     * P2 §9, Table 2: three networks of almost the same cost for receptive fields 299, 151 and 79, differing
     * only in the first layer's stride and in the max pool that follows the early convolutions.
     */
    public enum ReceptiveField {
        RF_299(299, 2, true),
        RF_151(151, 1, true),
        RF_79(79, 1, false);

        private final int inputSize;
        private final int firstStride;
        private final boolean firstPool;

        ReceptiveField(int inputSize, int firstStride, boolean firstPool) {
            this.inputSize = inputSize;
            this.firstStride = firstStride;
            this.firstPool = firstPool;
        }

        public int inputSize() {
            return inputSize;
        }
    }

    // Widths of the released network (paper-facts.md §2.6); the layout decides how many modules use them.
    private static final int STEM_1A = 32;
    private static final int STEM_2A = 32;
    private static final int STEM_2B = 64;
    private static final int STEM_3B = 80;
    private static final int STEM_4A = 192;
    private static final int TABLE_1_STEM_4B = 288;
    /** 35×35 (Fig. 5, Mixed_5b–5d): 1×1 | 1×1 → k×k | 1×1 → 3×3 → 3×3 | pool proj (the layout's). */
    private static final FactorizedInceptionModule.Widths MODULE_35 =
            new FactorizedInceptionModule.Widths(64, 48, 64, 64, 96);

    /** 35 → 17 (Fig. 10 as released, Mixed_6a): 3×3/2 | 1×1 → 3×3 → 3×3/2 | max pool. */
    private record Reduction35(int n3x3, int doubleReduce, int double3x3) {
    }

    private static final Reduction35 REDUCTION_35 = new Reduction35(384, 64, 96);
    /** 17×17: 1×1 192, outputs 192, pool proj 192; n = 7. */
    private static final int MODULE_17_WIDTH = 192;
    private static final int MODULE_17_N = 7;
    /** 17 → 8 (Mixed_7a): 1×1 → 3×3/2 | 1×1 → 1×7 → 7×1 → 3×3/2 (all of the 7×7 width) | max pool. */
    private record Reduction17(int reduce, int n3x3, int n7x7) {
    }

    private static final Reduction17 REDUCTION_17 = new Reduction17(192, 320, 192);

    /**
     * 8×8 (Fig. 7, Mixed_7b–7c): 1×1 | 1×1 → [1×3 ‖ 3×1] | 1×1 → 3×3 → [1×3 ‖ 3×1] | pool proj; each split half
     * has the width of its branch.
     */
    private static final ExpandedFilterBankModule.Widths MODULE_8 =
            new ExpandedFilterBankModule.Widths(320, 384, 384, 448, 384, 192);
    private static final List<String> MODULES_8 = List.of("Mixed_7b", "Mixed_7c");
    /** Auxiliary head (Fig. 8): 1×1 128, 5×5 768. */
    private static final int AUX_CONV0 = 128;
    private static final int AUX_CONV1 = 768;

    private InceptionV3() {
    }

    public static NetworkSpec build(String name, InceptionV3Layout layout, ReceptiveField field,
                                    ModelOptions o) {
        // torchvision: trunc_normal_(std 0.1) everywhere, 0.01 on the aux 5×5 conv, 0.001 on the aux fc.
        ConvStyle base = ConvStyle.torchvision(0.1);
        ConvStyle style = new ConvStyle(false, true, base.bnEpsilon(), base.bnMomentum(), layout.bnScale(),
                base.weightInit(), base.biasInit());
        boolean border = layout.poolCountsPadding();
        List<LayerSpec> layers = new ArrayList<>();
        if (o.transformInput()) {
            layers.add(InputTransform.torchvisionToTf("transform_input"));
        }
        layers.add(Conv.square("Conv2d_1a_3x3", o.depth(STEM_1A), 3, field.firstStride, 0, style));
        layers.add(Conv.square("Conv2d_2a_3x3", o.depth(STEM_2A), 3, 1, 0, style));
        layers.add(Conv.square("Conv2d_2b_3x3", o.depth(STEM_2B), 3, 1, 1, style));
        if (field.firstPool) {
            layers.add(Pool.max("maxpool1", 3, 2, 0, false));
        }
        if (layout.stem() == InceptionV3Layout.Stem.CODE) {
            layers.add(Conv.square("Conv2d_3b_1x1", o.depth(STEM_3B), 1, 1, 0, style));
            layers.add(Conv.square("Conv2d_4a_3x3", o.depth(STEM_4A), 3, 1, 0, style));
            layers.add(Pool.max("maxpool2", 3, 2, 0, false));
        } else {
            layers.add(Conv.square("Conv2d_3b_3x3", o.depth(STEM_3B), 3, 1, 0, style));
            layers.add(Conv.square("Conv2d_4a_3x3", o.depth(STEM_4A), 3, 2, 0, style));
            layers.add(Conv.square("Conv2d_4b_3x3", o.depth(TABLE_1_STEM_4B), 3, 1, 1, style));
        }
        List<Integer> pool35 = layout.poolProj35();
        for (int i = 0; i < pool35.size(); i++) {
            layers.add(new FactorizedInceptionModule("Mixed_5" + (char) ('b' + i), MODULE_35.scaled(o::depth),
                    o.depth(pool35.get(i)), layout.middleKernel35(), border, style));
        }
        layers.add(new GridReduction35To17("Mixed_6a", o.depth(REDUCTION_35.n3x3()),
                o.depth(REDUCTION_35.doubleReduce()), o.depth(REDUCTION_35.double3x3()), style));
        List<Integer> inner17 = layout.inner17();
        String last17 = null;
        for (int i = 0; i < inner17.size(); i++) {
            last17 = "Mixed_6" + (char) ('b' + i);
            int w = o.depth(MODULE_17_WIDTH);
            layers.add(new AsymmetricInceptionModule(last17, MODULE_17_N,
                    new AsymmetricInceptionModule.Widths(w, o.depth(inner17.get(i)), w, w), border, style));
        }
        layers.add(new GridReduction17To8("Mixed_7a", o.depth(REDUCTION_17.reduce()),
                o.depth(REDUCTION_17.n3x3()), o.depth(REDUCTION_17.n7x7()), style));
        for (String module : MODULES_8) {
            layers.add(new ExpandedFilterBankModule(module, MODULE_8.scaled(o::depth), border, style));
        }
        layers.add(new AdaptiveAvgPool("avgpool", o.headGrid(), o.headGrid()));
        layers.add(new Dropout("dropout", o.dropout()));
        layers.add(new Linear("fc", o.numClasses(), false, Init.normal(0.1), Init.constant(0)));

        List<AuxHead> heads = new ArrayList<>();
        if (o.auxHeads()) {
            heads.add(new AuxHead("AuxLogits", last17, List.of(
                    Pool.avg("pool", 5, 3, 0, false, true),
                    Conv.square("conv0", o.depth(AUX_CONV0), 1, 1, 0, style),
                    Conv.square("conv1", o.depth(AUX_CONV1), 5, 1, 0, style.withWeightInit(Init.normal(0.01))),
                    AdaptiveAvgPool.global("avgpool"),
                    new Linear("fc", o.numClasses(), false, Init.normal(0.001), Init.constant(0)))));
        }
        return new NetworkSpec(name, Shape3.square(3, o.inputSize()), layers, heads);
    }
}
