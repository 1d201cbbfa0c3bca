package io.github.inception4j.describe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table with left-aligned text and right-aligned numbers; columns size to their content. */
final class TextTable {

    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(List<String> headers, boolean[] rightAligned) {
        this.headers = headers;
        this.rightAligned = rightAligned.clone();
    }

    void row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table " + headers.size());
        }
        rows.add(cells.clone());
    }

    /** A horizontal rule between groups of rows. */
    void rule() {
        rows.add(null);
    }

    String render() {
        int[] widths = headers.stream().mapToInt(String::length).toArray();
        for (String[] row : rows) {
            for (int i = 0; row != null && i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers.toArray(String[]::new), widths);
        String rule = rule(widths);
        out.append(rule);
        for (String[] row : rows) {
            if (row == null) {
                out.append(rule);
            } else {
                line(out, row, widths);
            }
        }
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(widths[i] - cells[i].length());
            line.append(i == 0 ? "" : "  ").append(rightAligned[i] ? pad + cells[i] : cells[i] + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String rule(int[] widths) {
        int total = Arrays.stream(widths).sum() + 2 * (widths.length - 1);
        return "-".repeat(total) + "\n";
    }
}
