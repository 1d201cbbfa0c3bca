package io.github.inception4j.describe;

import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.Deviation;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.models.PaperFigures;
import io.github.inception4j.spec.LayerStats;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import java.util.List;

/**
 * What {@code inception describe --json} prints: a contract other tools read. Field names are stable (Gson writes
 * the fields in this order). Computed from an architecture by {@link #of}, never assembled by hand.
 */
public final class Description {

    private final String model;
    private final int inputSize;
    private final int numClasses;
    /** All trainable parameters, auxiliary heads included when built. */
    private final long params;
    private final long paramsWithoutAux;
    /** Multiply-adds of the main path for one image. */
    private final long macs;
    private final int minInputSize;
    /** Every top-level layer, then every auxiliary head. */
    private final List<Layer> layers;
    private final List<Deviation> deviations;
    /** For layouts held against a paper table: the printed figures next to the recomputed ones. */
    private final List<PaperCheck> paperChecks;

    /** One layer: output shape as [C, H, W]. */
    public record Layer(String name, String type, int[] outputShape, long params, long macs) {
    }

    /**
     * One row of a paper table next to our arithmetic: weights only, K = 1024, ops in millions (the paper's units).
     */
    public static final class PaperCheck {
        private final String layer;
        private final String row;
        private final Double paperParamsK;
        private final double computedParamsK;
        private final Double paperOpsM;
        private final double computedOpsM;
        private final boolean disagrees;
        /** Why the printed figure differs, when it does (null otherwise). */
        private final String note;

        private PaperCheck(PaperFigures.Row printed, LayerStats stats) {
            double weightsK = stats.layer().parameters("", stats.input()).stream()
                    .filter(p -> p.kind() == ParameterSpec.Kind.WEIGHT).mapToLong(ParameterSpec::size).sum()
                    / 1024.0;
            double opsM = stats.macs() / 1e6;
            layer = printed.layer();
            row = printed.label();
            paperParamsK = printed.paramsK();
            computedParamsK = round1(weightsK);
            paperOpsM = printed.opsM();
            computedOpsM = round1(opsM);
            disagrees = (paperParamsK != null && PaperFigures.disagrees(paperParamsK, weightsK))
                    || (paperOpsM != null && PaperFigures.disagrees(paperOpsM, opsM));
            String why = printed.note() == null ? "The printed figure does not follow from the row's own filter "
                    + "counts; the recomputed value is shown." : printed.note();
            note = disagrees ? why : null;
        }

        public String layer() {
            return layer;
        }

        public String row() {
            return row;
        }

        public Double paperParamsK() {
            return paperParamsK;
        }

        public double computedParamsK() {
            return computedParamsK;
        }

        public Double paperOpsM() {
            return paperOpsM;
        }

        public double computedOpsM() {
            return computedOpsM;
        }

        public boolean disagrees() {
            return disagrees;
        }

        public String note() {
            return note;
        }

        @Override
        public String toString() {
            return layer + " (" + row + "): printed " + paperParamsK + "K / " + paperOpsM + "M, recomputed "
                    + computedParamsK + "K / " + computedOpsM + "M" + (disagrees ? ", disagrees" : "");
        }
    }

    private Description(Architecture architecture, ModelOptions options) {
        NetworkSpec spec = architecture.spec(options);
        List<LayerStats> stats = spec.layerStats();
        model = spec.name();
        inputSize = options.inputSize();
        numClasses = spec.numClasses();
        params = spec.params();
        paramsWithoutAux = spec.paramsWithoutAux();
        macs = spec.macs();
        minInputSize = spec.minimumInputSize();
        layers = stats.stream()
                .map(s -> new Layer(s.name(), s.layer().type(), s.output().toChw(), s.params(), s.macs()))
                .toList();
        deviations = architecture.deviations();
        paperChecks = architecture.printedFigures().stream()
                .map(row -> new PaperCheck(row, stats.stream().filter(s -> s.name().equals(row.layer()))
                        .findFirst().orElseThrow()))
                .toList();
    }

    public static Description of(Architecture architecture, ModelOptions options) {
        return new Description(architecture, options);
    }

    public List<PaperCheck> paperChecks() {
        return paperChecks;
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
