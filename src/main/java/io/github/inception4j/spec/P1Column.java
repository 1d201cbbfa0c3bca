package io.github.inception4j.spec;

/** The filter-count columns of P1 Table 1, in the paper's order. */
public enum P1Column {
    N1X1("#1×1"),
    N3X3_REDUCE("#3×3 reduce"),
    N3X3("#3×3"),
    N5X5_REDUCE("#5×5 reduce"),
    N5X5("#5×5"),
    POOL_PROJ("pool proj");

    private final String header;

    P1Column(String header) {
        this.header = header;
    }

    public String header() {
        return header;
    }
}
