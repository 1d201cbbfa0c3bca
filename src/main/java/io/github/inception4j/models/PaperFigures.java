package io.github.inception4j.models;

import java.util.List;

/**
 * The "params" and "ops" columns of P1 Table 1, as printed, next to the layers they describe. The paper counts
 * weights only (no biases) with K = 1024 and ops as multiply-adds in millions (paper-facts.md §1.1).
 *
 * <p>Where the paper's figure does not follow from its own filter counts, {@code note} says what we know.
 */
public final class PaperFigures {

    /** One row of P1 Table 1 with printed figures. */
    public record Row(String layer, String label, Double paramsK, Double opsM, String note) {
    }

    private static final String OWN_COUNTS = "The printed figure does not follow from the row's own filter counts "
            + "(weights only, K = 1024); the recomputed value is shown.";

    /** P1 Table 1, rows with a params or ops figure. */
    public static final List<Row> P1_TABLE_1 = List.of(
            new Row("conv1", "convolution 7×7/2", 2.7, 34.0,
                    "2.7K / 34M is what a depthwise-separable 7×7 with depth multiplier 8 gives (7·7·3·8 + 24·64 = "
                            + "2,712 weights; ×112² = 34.0M): our inference, P1 does not say so. The row's own "
                            + "7×7×3×64 convolution has 9.2K weights and 118.0M multiply-adds."),
            new Row("conv2", "convolution 3×3/1", 112.0, 360.0, null),
            new Row("inception3a", "inception (3a)", 159.0, 128.0, null),
            new Row("inception3b", "inception (3b)", 380.0, 304.0, null),
            new Row("inception4a", "inception (4a)", 364.0, 73.0, OWN_COUNTS),
            new Row("inception4b", "inception (4b)", 437.0, 88.0, null),
            new Row("inception4c", "inception (4c)", 463.0, 100.0, OWN_COUNTS),
            new Row("inception4d", "inception (4d)", 580.0, 119.0, OWN_COUNTS),
            new Row("inception4e", "inception (4e)", 840.0, 170.0, OWN_COUNTS),
            new Row("inception5a", "inception (5a)", 1072.0, 54.0,
                    "Neither 1072K nor 54M follows from the row's own filter counts (the same as 4e's, on a 7×7 "
                            + "grid): they give 1018.0K and 51.1M. The paper's table is inconsistent here."),
            new Row("inception5b", "inception (5b)", 1388.0, 71.0, OWN_COUNTS),
            new Row("fc", "linear", 1000.0, 1.0, null));

    /** The paper's total: "1.5 billion multiply-adds at inference time" (P1 §1); the ops column sums to 1,502M. */
    public static final double P1_TOTAL_OPS_M = 1502.0;

    private PaperFigures() {
    }

    /**
     * Whether a computed value disagrees with the printed one beyond the table's rounding: by more than one unit
     * of the printed precision and by more than 0.5%.
     */
    public static boolean disagrees(double printed, double computed) {
        double diff = Math.abs(printed - computed);
        return diff > 1.0 && diff > 0.005 * printed;
    }
}
