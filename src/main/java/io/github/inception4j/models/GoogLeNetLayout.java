package io.github.inception4j.models;

import io.github.inception4j.spec.ConvStyle;
import io.github.inception4j.spec.Init;
import java.util.List;

/**
 * The choices that distinguish GoogLeNet implementations. {@link #PAPER} is P1 (with Caffe's bvlc_googlenet
 * for what the paper leaves open); {@link #TORCHVISION} is the layout torchvision's ported TF-slim weights need.
 * Each field is documented in {@link #FIELDS}; the deviations of a layout are the fields that differ from PAPER.
 */
public record GoogLeNetLayout(Normalization normalization, int fiveByFiveKernel, int pool4Kernel, double dropout,
                              double auxDropout, AuxPooling auxPooling, InitScheme init) implements Layout {

    /** How activations are normalised, and so whether convolutions carry a bias. */
    public enum Normalization {
        LRN("LRN (size 5, α 1e-4, β 0.75, k 1) after pool1 and after conv2; convolutions with bias"),
        BATCH_NORM("BatchNorm (ε 1e-3, γ and β) after every convolution; no conv bias; no LRN");

        private final String text;

        Normalization(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The first layer of each auxiliary classifier. */
    public enum AuxPooling {
        AVG_5X5_STRIDE_3("avg pool 5×5/3 (4×4 at 224; the FC input grows with the input size)"),
        ADAPTIVE_4X4("adaptive avg pool to 4×4 (the same as 5×5/3 at 224; any input size gives 4×4)");

        private final String text;

        AuxPooling(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Initial weights (irrelevant once weights are loaded; it decides how training from scratch starts). */
    public enum InitScheme {
        CAFFE("xavier (fan-in) weights; biases 0.2, classifier biases 0"),
        TORCHVISION("normal(0, 0.01) weights (trunc_normal_ cut at ±2, i.e. untruncated); biases 0");

        private final String text;

        InitScheme(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public static final GoogLeNetLayout PAPER =
            new GoogLeNetLayout(Normalization.LRN, 5, 3, 0.4, 0.7, AuxPooling.AVG_5X5_STRIDE_3, InitScheme.CAFFE);

    public static final GoogLeNetLayout TORCHVISION = new GoogLeNetLayout(Normalization.BATCH_NORM, 3, 2, 0.2, 0.7,
            AuxPooling.ADAPTIVE_4X4, InitScheme.TORCHVISION);

    public static final List<LayoutField<GoogLeNetLayout>> FIELDS = List.of(
            new LayoutField<>("normalization", "normalization", "Normalisation: LRN vs BatchNorm",
                    GoogLeNetLayout::normalization,
                    "The TF-slim port that torchvision's weights come from replaced LRN by BatchNorm (Inception-v2 "
                            + "era); its convolutions drop the bias that BN's β makes redundant.",
                    "paper-facts.md §3.1, §5; torchvision googlenet.py BasicConv2d"),
            new LayoutField<>("branch-5x5-kernel", "fiveByFiveKernel",
                    "The branch P1 calls \"5×5\" uses a 3×3 kernel",
                    l -> l.fiveByFiveKernel() + "×" + l.fiveByFiveKernel(),
                    "Inherited from TF-slim inception_v1; torchvision calls it a known bug and keeps it so the "
                            + "ported weights load. We keep the paper's branch name (5x5) so the deviation shows.",
                    "pytorch/vision#906, #1171, #1927, PR #1932; paper-facts.md §3.1"),
            new LayoutField<>("pool4-window", "pool4Kernel", "Max pool before inception (5a)",
                    l -> l.pool4Kernel() + "×" + l.pool4Kernel() + "/2, ceil mode",
                    "TF-slim uses MaxPool_5a_2x2; both give 7×7 at 224 but differ in which inputs each window sees.",
                    "paper-facts.md §3.1 (pool before 5a)"),
            new LayoutField<>("dropout", "dropout", "Dropout before the classifier",
                    l -> Math.round(l.dropout() * 100) + "%",
                    "TF-slim trains inception_v1 with keep_prob 0.8; torchvision keeps that rate.",
                    "paper-facts.md §3.1 (final dropout)"),
            new LayoutField<>("aux-dropout", "auxDropout", "Dropout inside the auxiliary classifiers",
                    l -> Math.round(l.auxDropout() * 100) + "%", "", "P1 §5"),
            new LayoutField<>("aux-pooling", "auxPooling", "Pooling at the start of each auxiliary classifier",
                    GoogLeNetLayout::auxPooling,
                    "torchvision pools adaptively so the heads' weights fit every input size.",
                    "torchvision googlenet.py InceptionAux; paper-facts.md §3.1"),
            new LayoutField<>("init", "init", "Initial weights", GoogLeNetLayout::init,
                    "torchvision initialises from a normal with std 0.01 (TF-slim's trunc_normal(0.01)); Caffe's "
                            + "replica uses xavier with constant bias 0.2. P1 does not say.",
                    "paper-facts.md §1.4, §3.1 (init)"));

    /** The style of every convolution unit in this layout. */
    public ConvStyle convStyle() {
        ConvStyle base = normalization == Normalization.LRN ? ConvStyle.caffe() : ConvStyle.torchvision(0.01);
        return base.withWeightInit(hiddenWeightInit());
    }

    public boolean localResponseNorm() {
        return normalization == Normalization.LRN;
    }

    /** Weight initialisation of every convolution and linear layer. */
    public Init hiddenWeightInit() {
        return init == InitScheme.CAFFE ? Init.xavierFanIn() : Init.normal(0.01);
    }

    /** Bias initialisation of hidden layers (convolutions, the aux FC); classifiers always start at 0. */
    public Init hiddenBiasInit() {
        return Init.constant(init == InitScheme.CAFFE ? 0.2 : 0);
    }

    @Override
    public List<Deviation> deviationsFromPaper() {
        return LayoutField.deviations(PAPER, this, FIELDS);
    }
}
