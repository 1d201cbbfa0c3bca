package io.github.inception4j.describe;

import com.google.gson.GsonBuilder;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.Deviation;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.spec.LayerStats;
import io.github.inception4j.spec.ModuleSpec;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.P1Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Renders a network as the papers print it, or as the JSON contract of {@link Description}. */
public final class Describer {

    private Describer() {
    }

    public static String json(Description description) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(description);
    }

    /** The per-layer table in the form of the paper's Table 1, totals, module detail, paper checks, deviations. */
    public static String table(Architecture architecture, ModelOptions options) {
        NetworkSpec spec = architecture.spec(options);
        Description description = Description.of(architecture, options);
        Map<String, Description.PaperCheck> checks = description.paperChecks().stream()
                .collect(Collectors.toMap(Description.PaperCheck::layer, Function.identity()));
        List<Description.PaperCheck> flagged = new ArrayList<>();
        String rendered = architecture.paper() == Architecture.Paper.P1
                ? p1Table(spec, checks, flagged) : p2Table(spec);

        StringBuilder out = new StringBuilder();
        out.append(architecture.cliName()).append(": ").append(architecture.description()).append('\n');
        out.append(architecture.paper().citation()).append('\n');
        out.append("input ").append(spec.input()).append(", ").append(spec.numClasses()).append(" classes");
        if (options.widthMultiplier() != 1.0) {
            out.append(", width ×").append(options.widthMultiplier());
        }
        out.append(", auxiliary heads: ").append(spec.auxHeads().isEmpty() ? "none" : spec.auxHeads().stream()
                .map(h -> h.name() + " on " + h.attachedTo()).collect(Collectors.joining(", ")));
        out.append("\n\n").append(rendered).append('\n');
        out.append("params ").append(Units.grouped(spec.params())).append(" (")
                .append(Units.grouped(spec.paramsWithoutAux())).append(" without auxiliary heads); ")
                .append("multiply-adds ").append(Units.grouped(spec.macs())).append(" per image (main path); ")
                .append("smallest input ").append(spec.minimumInputSize()).append("×")
                .append(spec.minimumInputSize());
        int withoutHeads = spec.withoutAuxHeads().minimumInputSize();
        if (withoutHeads < spec.minimumInputSize()) {
            out.append(" (").append(withoutHeads).append("×").append(withoutHeads).append(" without auxiliary heads)");
        }
        out.append('\n');
        out.append("params: trainable weights, biases and BN γ/β; ops: multiply-adds (convolutions and linear layers)")
                .append('\n');
        out.append("\nModules, branch by branch (| separates branches, → follows a branch, ‖ splits one):\n");
        for (LayerStats s : spec.layerStats()) {
            if (s.layer() instanceof ModuleSpec module) {
                out.append(" ").append(s.name()).append(": ").append(StructureText.of(module.structure()))
                        .append('\n');
            }
        }
        if (!checks.isEmpty()) {
            out.append("\nP1 figures count weights only, K = 1024, ops in millions. Rows marked ≠ disagree with "
                    + "their own filter counts:\n");
            for (int i = 0; i < flagged.size(); i++) {
                Description.PaperCheck c = flagged.get(i);
                out.append(" [").append(i + 1).append("] ").append(c.row()).append(": printed ")
                        .append(Units.decimal(c.paperParamsK())).append("K / ").append(Units.decimal(c.paperOpsM()))
                        .append("M, recomputed ").append(Units.decimal(c.computedParamsK())).append("K / ")
                        .append(Units.decimal(c.computedOpsM())).append("M. ").append(c.note()).append('\n');
            }
        }
        if (!architecture.deviations().isEmpty()) {
            out.append("\nDeviations from ").append(architecture.paper().name())
                    .append(", and choices where it is silent (docs/paper-deviations.md):\n");
            for (Deviation d : architecture.deviations()) {
                out.append(" - ").append(d.title()).append(": paper ").append(d.paper()).append("; here ")
                        .append(d.layout()).append('\n');
            }
        }
        return out.toString();
    }

    /** P1 Table 1's form: type, patch size/stride, output size, depth, the filter columns, params, ops. */
    private static String p1Table(NetworkSpec spec, Map<String, Description.PaperCheck> checks,
                                  List<Description.PaperCheck> flagged) {
        boolean withPaper = !checks.isEmpty();
        List<String> headers = new ArrayList<>(List.of("name", "type", "patch size/stride", "output size", "depth"));
        for (P1Column column : P1Column.values()) {
            headers.add(column.header());
        }
        headers.addAll(List.of("params", "ops"));
        if (withPaper) {
            headers.addAll(List.of("P1 params", "P1 ops", "note"));
        }
        boolean[] right = new boolean[headers.size()];
        for (int i = 4; i < right.length; i++) {
            right[i] = true;
        }
        if (withPaper) {
            right[right.length - 1] = false;
        }
        TextTable table = new TextTable(headers, right);
        boolean auxStarted = false;
        for (LayerStats s : spec.layerStats()) {
            if (s.auxiliary() && !auxStarted) {
                table.rule();
                auxStarted = true;
            }
            List<String> cells = new ArrayList<>(List.of(s.name(), s.layer().type(), s.layer().patch(),
                    s.output().toString(), s.layer().depth() == 0 ? "0" : String.valueOf(s.layer().depth())));
            for (P1Column column : P1Column.values()) {
                Integer value = s.layer().p1Columns().get(column);
                cells.add(value == null ? "" : String.valueOf(value));
            }
            cells.add(s.params() == 0 ? "" : Units.decimal(s.params() / 1e3) + "K");
            cells.add(s.macs() == 0 ? "" : Units.decimal(s.macs() / 1e6) + "M");
            if (withPaper) {
                Description.PaperCheck check = checks.get(s.name());
                cells.add(check == null || check.paperParamsK() == null ? "" : Units.decimal(check.paperParamsK()) + "K");
                cells.add(check == null || check.paperOpsM() == null ? "" : Units.decimal(check.paperOpsM()) + "M");
                if (check != null && check.disagrees()) {
                    flagged.add(check);
                    cells.add("≠ [" + flagged.size() + "]");
                } else {
                    cells.add("");
                }
            }
            table.row(cells.toArray(String[]::new));
        }

        return table.render();
    }

    /** P2 Table 1's form: type, patch size/stride or remarks, input size; plus output size, params, ops. */
    private static String p2Table(NetworkSpec spec) {
        TextTable table = new TextTable(List.of("name", "type", "patch size/stride or remarks", "input size",
                "output size", "params", "ops"), new boolean[] {false, false, false, false, false, true, true});
        boolean auxStarted = false;
        for (LayerStats s : spec.layerStats()) {
            if (s.auxiliary() && !auxStarted) {
                table.rule();
                auxStarted = true;
            }
            table.row(s.name(), s.layer().type(), s.layer().patch(), s.input().toString(), s.output().toString(),
                    s.params() == 0 ? "" : Units.decimal(s.params() / 1e3) + "K",
                    s.macs() == 0 ? "" : Units.decimal(s.macs() / 1e6) + "M");
        }
        return table.render();
    }

    /** docs/paper-deviations.md: every layout's deviations, generated from the layout records. */
    public static String deviationsMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Deviations from the papers\n\n");
        out.append("Generated from the layout records by `./inception deviations > docs/paper-deviations.md`; "
                + "a test fails when this file and the code disagree. A deviation is a field of a layout record "
                + "whose value differs from the paper's layout; nothing else differs.\n");
        for (Architecture architecture : Architecture.values()) {
            out.append("\n## ").append(architecture.cliName()).append("\n\n")
                    .append(architecture.description()).append(".\n\n");
            if (architecture.deviations().isEmpty()) {
                out.append("No deviation: this layout is the paper's (").append(architecture.paper().name())
                        .append(").\n");
                continue;
            }
            out.append("| id | what differs | paper | this layout | why | source |\n");
            out.append("|---|---|---|---|---|---|\n");
            for (Deviation d : architecture.deviations()) {
                out.append("| `").append(d.id()).append("` | ").append(d.title()).append(" | ").append(d.paper())
                        .append(" | ").append(d.layout()).append(" | ").append(d.why()).append(" | ")
                        .append(d.source()).append(" |\n");
            }
        }
        return out.toString();
    }
}
