package io.github.inception4j.models;

import io.github.inception4j.spec.NetworkSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The registry: every network this project builds, by the name the CLI and the Java API use. One entry holds
 * everything about a model: its description, default options, how its spec is built, and its deviations.
 */
public enum Architecture {

    GOOGLENET("googlenet", "GoogLeNet as published: P1 Table 1, LRN, true 5×5 branches, conv biases, "
            + "dropout 40%, two auxiliary heads (Caffe bvlc_googlenet where P1 is silent)",
            Paper.P1, 224, GoogLeNetLayout.PAPER,
            (arch, o) -> GoogLeNet.build(arch.cliName, GoogLeNetLayout.PAPER, o), PaperFigures.P1_TABLE_1),

    GOOGLENET_TORCHVISION("googlenet-torchvision", "GoogLeNet in torchvision's layout (its weights load into it): "
            + "BatchNorm, 3×3 in the \"5×5\" branch, 2×2 pool before 5a, dropout 20%, adaptive aux pooling",
            Paper.P1, 224, GoogLeNetLayout.TORCHVISION,
            (arch, o) -> GoogLeNet.build(arch.cliName, GoogLeNetLayout.TORCHVISION, o), List.of()),

    INCEPTION_V2("inception-v2", "Inception-v2 as P2 Table 1 prints it: 3×3 stem to 35×35×288, 3 × Fig. 5, "
            + "5 × Fig. 6 (n = 7), 2 × Fig. 7, Fig. 10 reductions, BN auxiliary head",
            Paper.P2, 299, InceptionV3Layout.PAPER,
            (arch, o) -> InceptionV3.build(arch.cliName, InceptionV3Layout.PAPER, InceptionV3.ReceptiveField.RF_299, o),
            List.of()),

    INCEPTION_V3("inception-v3", "Inception-v3 as TF-slim, torchvision and Keras ship it (torchvision's weights "
            + "load): 1×1/3×3/pool stem, Mixed_5b…7c, aux head on Mixed_6e; receptive field 299",
            Paper.P2, 299, InceptionV3Layout.CODE,
            (arch, o) -> InceptionV3.build(arch.cliName, InceptionV3Layout.CODE, InceptionV3.ReceptiveField.RF_299, o),
            List.of()),

    INCEPTION_V3_KERAS("inception-v3-keras", "Inception-v3 as Keras ships it (its .h5 weights load): BN without "
            + "γ, pool branches averaging real pixels only, no dropout, no auxiliary head",
            Paper.P2, 299, InceptionV3Layout.KERAS,
            (arch, o) -> InceptionV3.build(arch.cliName, InceptionV3Layout.KERAS, InceptionV3.ReceptiveField.RF_299, o),
            List.of()) {
        @Override
        public ModelOptions defaultOptions() {
            return super.defaultOptions().withAuxHeads(false);
        }
    },

    INCEPTION_V3_151("inception-v3-151", "Inception-v3 for receptive field 151 (P2 §9): first convolution with "
            + "stride 1, max pool after the early convolutions kept",
            Paper.P2, InceptionV3.ReceptiveField.RF_151.inputSize(), InceptionV3Layout.CODE,
            (arch, o) -> InceptionV3.build(arch.cliName, InceptionV3Layout.CODE, InceptionV3.ReceptiveField.RF_151, o),
            List.of()),

    INCEPTION_V3_79("inception-v3-79", "Inception-v3 for receptive field 79 (P2 §9): first convolution with "
            + "stride 1 and no max pool after the early convolutions",
            Paper.P2, InceptionV3.ReceptiveField.RF_79.inputSize(), InceptionV3Layout.CODE,
            (arch, o) -> InceptionV3.build(arch.cliName, InceptionV3Layout.CODE, InceptionV3.ReceptiveField.RF_79, o),
            List.of());

    /** Which paper, and so which table form, an architecture follows. */
    public enum Paper {
        P1("Szegedy et al., Going Deeper with Convolutions, CVPR 2015 (arXiv:1409.4842)"),
        P2("Szegedy et al., Rethinking the Inception Architecture for Computer Vision, CVPR 2016 (arXiv:1512.00567)");

        private final String citation;

        Paper(String citation) {
            this.citation = citation;
        }

        public String citation() {
            return citation;
        }
    }

    private final String cliName;
    private final String description;
    private final Paper paper;
    private final int defaultInputSize;
    private final Layout layout;
    private final BiFunction<Architecture, ModelOptions, NetworkSpec> builder;
    private final List<PaperFigures.Row> printedFigures;

    /** @param layout the layout the builder builds: its dropouts are the defaults, its deviations this entry's */
    Architecture(String cliName, String description, Paper paper, int defaultInputSize, Layout layout,
                 BiFunction<Architecture, ModelOptions, NetworkSpec> builder, List<PaperFigures.Row> printedFigures) {
        this.cliName = cliName;
        this.description = description;
        this.paper = paper;
        this.defaultInputSize = defaultInputSize;
        this.layout = layout;
        this.builder = builder;
        this.printedFigures = printedFigures;
    }

    /** The registry name ({@code googlenet-torchvision}). */
    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    public Paper paper() {
        return paper;
    }

    /** How this layout departs from its paper; empty for a layout that is the paper. */
    public List<Deviation> deviations() {
        return layout.deviationsFromPaper();
    }

    /**
     * The paper's printed per-layer figures that this layout can be held against (P1 Table 1 for the paper's
     * GoogLeNet); empty where the layout differs from the paper so much that the comparison means nothing.
     */
    public List<PaperFigures.Row> printedFigures() {
        return printedFigures;
    }

    /** 1000 ImageNet classes, auxiliary heads on, the layout's dropout, its default input size. */
    public ModelOptions defaultOptions() {
        return new ModelOptions(1000, true, layout.dropout(), layout.auxDropout(), defaultInputSize, false, 1.0);
    }

    public NetworkSpec spec() {
        return spec(defaultOptions());
    }

    public NetworkSpec spec(ModelOptions options) {
        return builder.apply(this, options);
    }

    /** Looks an architecture up by its registry name; the error lists the names that exist. */
    public static Architecture byName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.cliName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown model '" + name + "'; known models: "
                        + Arrays.stream(values()).map(Architecture::cliName).collect(Collectors.joining(", "))));
    }
}
