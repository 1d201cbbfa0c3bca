package io.github.inception4j.models;

import java.util.List;

/**
 * The choices that distinguish P2's printed "Inception-v2" (Table 1) from the Inception-v3 that TF-slim,
 * torchvision and Keras ship (all three share one topology, paper-facts.md §3.3). {@link #PAPER} is P2 Table 1
 * as printed, with the filter counts P2 does not give taken from the released code; {@link #CODE} is the
 * released network. Each field is documented in {@link #FIELDS}.
 *
 * @param stem the layers before the first 35×35 module
 * @param middleKernel35 kernel of the second branch of the 35×35 modules
 * @param poolProj35 pool-projection width of each 35×35 module (their count is the list's size)
 * @param inner17 inner width ({@code channels_7x7}) of each 17×17 module (their count is the list's size)
 * @param bnScale whether BN has a trainable γ (TF, whose models P2 reports, and Keras: no; torchvision: yes)
 * @param dropout dropout before the classifier
 * @param poolCountsPadding whether the 3×3/1 average pools of the pool branches divide by 9 at the border
 *     (torchvision's {@code count_include_pad=True}) or by the real pixels only (TF and Keras "SAME")
 */
public record InceptionV3Layout(Stem stem, int middleKernel35, List<Integer> poolProj35, List<Integer> inner17,
                                boolean bnScale, boolean poolCountsPadding, double dropout) implements Layout {

    public InceptionV3Layout {
        poolProj35 = List.copyOf(poolProj35);
        inner17 = List.copyOf(inner17);
    }

    /** The stem: P2 Table 1's seven 3×3 layers, or the released code's 1×1-and-pool version. */
    public enum Stem {
        TABLE_1("conv 3×3/2 32 → 3×3 32 → 3×3 padded 64 → pool 3×3/2 → 3×3 80 → 3×3/2 192 → 3×3 288 "
                + "(35×35×288)"),
        CODE("conv 3×3/2 32 → 3×3 32 → 3×3 padded 64 → pool 3×3/2 → 1×1 80 → 3×3 192 → pool 3×3/2 (35×35×192)");

        private final String text;

        Stem(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public static final InceptionV3Layout PAPER = new InceptionV3Layout(Stem.TABLE_1, 3, List.of(64, 64, 64),
            List.of(128, 160, 160, 160, 192), false, false, 0.5);

    /** The released network as torchvision ships it (its weights load into this layout). */
    public static final InceptionV3Layout CODE = new InceptionV3Layout(Stem.CODE, 5, List.of(32, 64, 64),
            List.of(128, 160, 160, 192), true, true, 0.5);

    /** The released network as Keras ships it: TF's BN without γ and TF's border averaging. */
    public static final InceptionV3Layout KERAS = new InceptionV3Layout(Stem.CODE, 5, List.of(32, 64, 64),
            List.of(128, 160, 160, 192), false, false, 0);

    public static final List<LayoutField<InceptionV3Layout>> FIELDS = List.of(
            new LayoutField<>("stem", "stem", "Stem before the 35×35 modules", InceptionV3Layout::stem,
                    "The released network replaces Table 1's 3×3/2 reduction and last 3×3 by a 1×1 80, a 3×3 192 "
                            + "and a max pool, so the first module gets 192 channels, not 288.",
                    "paper-facts.md §3.3 (v3 stem); smichalowski/google_inception_v3_for_caffe#8"),
            new LayoutField<>("35x35-middle-kernel", "middleKernel35",
                    "The 35×35 module keeps a 5×5 branch", l -> l.middleKernel35() + "×" + l.middleKernel35(),
                    "Fig. 5 replaces every 5×5 by two 3×3; the released InceptionA keeps a 1×1 48 → 5×5 64 branch "
                            + "beside its double-3×3 branch.",
                    "pytorch/vision#798; paper-facts.md §2.6"),
            new LayoutField<>("35x35-pool-proj", "poolProj35", "Pool projections of the 35×35 modules",
                    l -> l.poolProj35().toString(),
                    "With a 192-channel stem, Mixed_5b projects its pool branch to 32 (output 256), the other two "
                            + "to 64 (output 288).",
                    "paper-facts.md §2.6 (pool_features 32/64/64)"),
            new LayoutField<>("17x17-modules", "inner17", "Number and inner width of the 17×17 modules",
                    l -> l.inner17().size() + " modules, channels_7x7 " + l.inner17(),
                    "P2 Table 1 prints 5×Inception at 17×17; the released code has 4 (Mixed_6b–6e).",
                    "paper-facts.md §3.3 (# modules at 17×17)"),
            new LayoutField<>("bn-scale", "bnScale", "BatchNorm has a trainable γ",
                    l -> l.bnScale() ? "γ and β" : "β only (γ fixed at 1)",
                    "P2's networks were trained in TensorFlow with scale=False (TF-slim, Keras); torchvision's "
                            + "BasicConv2d uses BatchNorm2d's default γ, which its ported weights carry.",
                    "paper-facts.md §3.3 (BN conventions)"),
            new LayoutField<>("pool-border", "poolCountsPadding", "Border averaging of the pool branches",
                    l -> l.poolCountsPadding() ? "padded zeros counted (a corner divides by 9)"
                            : "real pixels only (a corner divides by 4)",
                    "torchvision calls F.avg_pool2d(x, 3, 1, 1) with PyTorch's default count_include_pad=True; "
                            + "TF and Keras \"SAME\" average over real pixels.",
                    "paper-facts.md §2.6, §5; pytorch/pytorch#8644"),
            new LayoutField<>("dropout", "dropout", "Dropout before the classifier",
                    l -> Math.round(l.dropout() * 100) + "%",
                    "P2 does not state it; torchvision's Inception3 drops 50% before the classifier, Keras' "
                            + "InceptionV3 has no dropout layer.",
                    "paper-facts.md §3.3"));

    /** The released code has no dropout in its auxiliary head. */
    @Override
    public double auxDropout() {
        return 0;
    }

    /** For {@link #PAPER}, its {@link #PAPER_CHOICES} where P2 is silent; for the others, their differing fields. */
    @Override
    public List<Deviation> deviationsFromPaper() {
        return equals(PAPER) ? PAPER_CHOICES : LayoutField.deviations(PAPER, this, FIELDS);
    }

    /**
     * Where P2 itself is silent or contradicts itself, what the {@link #PAPER} layout chose (paper-facts.md §2.5).
     */
    public static final List<Deviation> PAPER_CHOICES = List.of(
            new Deviation("stem-last-conv-padded", "Last stem convolution is zero-padded",
                    "Table 1: conv 3×3/1 from 35×35×192 to 35×35×288, with padding only on the \"conv padded\" row",
                    "3×3/1 with padding 1",
                    "An unpadded 3×3 cannot keep 35×35; the table's sizes win over the caption's padding rule.",
                    "paper-facts.md §2.5"),
            new Deviation("filter-counts", "Filter counts inside the modules",
                    "not given (a supplementary model.txt, not in the paper)",
                    "the released Inception-v3's: 35×35 64 | 48→3×3 64 | 64→96→96 | pool 64 (288 each); "
                            + "reductions as Mixed_6a and Mixed_7a; 17×17 192 | c7→c7→192 | c7×4→192 | pool 192 "
                            + "with c7 128, 160, 160, 160, 192; 8×8 as Mixed_7b/7c (2048)",
                    "They reproduce every depth Table 1 prints (288, 768, 1280, 2048). The result costs 6.35 G "
                            + "multiply-adds at 299, more than Table 3's 3.8 Bn for Inception-v2: Table 3's v2 must "
                            + "have differed from Table 1 (its later \"factorized 7×7\" row implies a 7×7 stem), and "
                            + "P2's 4.8 Bn for v3 also undercounts the released network's 5.71 G.",
                    "paper-facts.md §2.5, §2.6"),
            new Deviation("figure-numbers", "Which figure each module follows",
                    "§6 text: 17×17 modules as figure 5, 8×8 as figure 6; Table 1: figures 6 and 7",
                    "Table 1 and the captions: Fig. 5 at 35×35, Fig. 6 (n = 7) at 17×17, Fig. 7 at 8×8",
                    "The captions agree with Table 1.", "paper-facts.md §2.5"),
            new Deviation("auxiliary-head", "Auxiliary classifier", "not in Table 1; §4 and Fig. 8: one head on "
                    + "the last 17×17 layer, batch-normalised (BN-auxiliary)",
                    "avg pool 5×5/3 → 1×1 128 → 5×5 768 (BN) → linear, on the last 17×17 module",
                    "The released network's head, which is Fig. 8's.", "paper-facts.md §2.3, §2.6"),
            new Deviation("dropout", "Dropout before the classifier", "not stated",
                    Math.round(PAPER.dropout() * 100) + "%", "torchvision's Inception-v3 value.",
                    "paper-facts.md §3.3"));
}
