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
 * What {@code inception describe --json} prints: a contract other tools read. Field names are stable.
 *
 * @param params all trainable parameters, auxiliary heads included when built
 * @param macs multiply-adds of the main path for one image
 * @param layers every top-level layer, then every auxiliary head
 * @param paperChecks for layouts held against a paper table: the printed figures next to the recomputed ones
 */
public record Description(String model, int inputSize, int numClasses, long params, long paramsWithoutAux, long macs,
                          int minInputSize, List<Layer> layers, List<Deviation> deviations,
                          List<PaperCheck> paperChecks) {

    /** One layer: output shape as [C, H, W]. */
    public record Layer(String name, String type, int[] outputShape, long params, long macs) {
    }

    /**
     * One row of a paper table next to our arithmetic: weights only, K = 1024, ops in millions (the paper's units).
     */
    public record PaperCheck(String layer, String row, Double paperParamsK, double computedParamsK, Double paperOpsM,
                             double computedOpsM, boolean disagrees, String note) {
    }

    public static Description of(Architecture architecture, ModelOptions options) {
        NetworkSpec spec = architecture.spec(options);
        List<LayerStats> stats = spec.layerStats();
        List<Layer> layers = stats.stream()
                .map(s -> new Layer(s.name(), s.layer().type(), s.output().toChw(), s.params(), s.macs()))
                .toList();
        List<PaperCheck> checks = architecture.printedFigures().stream()
                .map(row -> check(row, stats.stream().filter(s -> s.name().equals(row.layer())).findFirst()
                        .orElseThrow()))
                .toList();
        return new Description(spec.name(), options.inputSize(), spec.numClasses(), spec.params(),
                spec.paramsWithoutAux(), spec.macs(), spec.minimumInputSize(), layers, architecture.deviations(),
                checks);
    }

    private static PaperCheck check(PaperFigures.Row row, LayerStats stats) {
        double weightsK = stats.layer().parameters("", stats.input()).stream()
                .filter(p -> p.kind() == ParameterSpec.Kind.WEIGHT).mapToLong(ParameterSpec::size).sum() / 1024.0;
        double opsM = stats.macs() / 1e6;
        boolean disagrees = (row.paramsK() != null && PaperFigures.disagrees(row.paramsK(), weightsK))
                || (row.opsM() != null && PaperFigures.disagrees(row.opsM(), opsM));
        String note = disagrees && row.note() == null
                ? "The printed figure does not follow from the row's own filter counts; the recomputed value is shown."
                : row.note();
        return new PaperCheck(row.layer(), row.label(), row.paramsK(), round1(weightsK), row.opsM(), round1(opsM),
                disagrees, disagrees ? note : null);
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
