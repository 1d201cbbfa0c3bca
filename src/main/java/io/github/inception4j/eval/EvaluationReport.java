package io.github.inception4j.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.inception4j.report.Charts;
import io.github.inception4j.report.Evaluation;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An evaluation's results as JSON (evaluation.json) and as an HTML page with pictures (report.html). */
public final class EvaluationReport {

    private EvaluationReport() {
    }

    public static String json(EnsembleEvaluator.Result result, String data, CropProtocol requested) {
        JsonObject root = new JsonObject();
        root.addProperty("data", data);
        root.addProperty("images", result.headline(requested).count());
        root.addProperty("skippedImages", result.skipped());
        root.addProperty("crops", requested.id());
        int models = result.ensemble() != null ? result.members().size() : 1;
        root.addProperty("models", models);
        root.addProperty("cost", models * requested.views());
        root.add("result", scores(result.headline(requested), requested, models));
        JsonArray members = new JsonArray();
        for (EnsembleEvaluator.MemberResult m : result.members()) {
            JsonObject o = new JsonObject();
            o.addProperty("checkpoint", m.source());
            o.addProperty("architecture", m.architecture());
            o.addProperty("backend", m.backend().id());
            JsonObject byProtocol = new JsonObject();
            m.byProtocol().forEach((p, e) -> byProtocol.add(p.id(), scores(e, p, 1)));
            o.add("crops", byProtocol);
            members.add(o);
        }
        root.add("members", members);
        if (result.ensemble() == null && result.members().size() == 2) {
            root.add("comparison", comparison(result, requested));
        }
        if (result.ensemble() != null) {
            JsonObject ensemble = new JsonObject();
            result.ensemble().forEach((p, e) -> ensemble.add(p.id(), scores(e, p, result.members().size())));
            root.add("ensemble", ensemble);
        }
        if (result.protocols().size() > 1 || result.members().size() > 1) {
            JsonArray table = new JsonArray();
            for (EnsembleEvaluator.TableRow r : result.table()) {
                JsonObject o = new JsonObject();
                o.addProperty("models", r.models());
                o.addProperty("crops", r.protocol().views());
                o.addProperty("cost", r.cost());
                o.addProperty("top1Error", r.top1Error());
                o.addProperty("top5Error", r.top5Error());
                o.addProperty("top5ComparedToBase", r.top5ComparedToBase());
                table.add(o);
            }
            root.add("table", table);
        }
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(root);
    }

    /** The first member against the second (int8 against float): agreement of top-1 and the differences. */
    private static JsonObject comparison(EnsembleEvaluator.Result result, CropProtocol protocol) {
        EnsembleEvaluator.MemberResult candidate = result.members().get(0);
        EnsembleEvaluator.MemberResult reference = result.members().get(1);
        Evaluation c = candidate.byProtocol().get(protocol);
        Evaluation r = reference.byProtocol().get(protocol);
        double[] agreement = candidate.agreement(reference, protocol, result.labels(), c.classNames().size());
        JsonObject o = new JsonObject();
        o.addProperty("candidate", candidate.backend().id());
        o.addProperty("reference", reference.backend().id());
        o.addProperty("top1Agreement", agreement[0]);
        o.addProperty("top1Difference", c.accuracy() - r.accuracy());
        o.addProperty("top5Difference", c.top5() - r.top5());
        JsonObject perClass = new JsonObject();
        for (int k = 0; k < c.classNames().size(); k++) {
            perClass.addProperty(c.classNames().get(k), agreement[k + 1]);
        }
        o.add("perClassAgreement", perClass);
        return o;
    }

    private static JsonObject scores(Evaluation e, CropProtocol protocol, int models) {
        JsonObject o = new JsonObject();
        o.addProperty("top1", e.accuracy());
        o.addProperty("top5", e.top5());
        o.addProperty("top1Error", 1 - e.accuracy());
        o.addProperty("top5Error", 1 - e.top5());
        o.addProperty("loss", e.loss());
        o.addProperty("cost", models * protocol.views());
        JsonObject perClass = new JsonObject();
        double[] accuracy = e.perClassAccuracy();
        for (int c = 0; c < accuracy.length; c++) {
            perClass.addProperty(e.classNames().get(c), accuracy[c]);
        }
        o.add("perClassAccuracy", perClass);
        return o;
    }

    /** P1 Table 3 as text: models, crops, cost, top-1 and top-5 error, and top-5 compared to the base. */
    public static String table(EnsembleEvaluator.Result result) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-8s %-7s %-6s %-13s %-13s %s%n", "models",
                "crops", "cost", "top-1 error", "top-5 error", "top-5 vs base"));
        for (EnsembleEvaluator.TableRow r : result.table()) {
            out.append(String.format(Locale.ROOT, "%-8d %-7d %-6d %-13s %-13s %s%n", r.models(), r.protocol().views(),
                    r.cost(), percent(r.top1Error()), percent(r.top5Error()),
                    r.cost() == 1 ? "base" : String.format(Locale.ROOT, "%+.2f%%", 100 * r.top5ComparedToBase())));
        }
        return out.toString();
    }

    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    public static String html(EnsembleEvaluator.Result result, String data, CropProtocol requested) {
        Evaluation headline = result.headline(requested);
        String title = "Evaluation on " + data;
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                .append(Charts.escape(title)).append("</title><style>body{font-family:sans-serif;margin:2em;"
                        + "color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;"
                        + "text-align:right}th{background:#f4f4f4}.charts{display:flex;flex-wrap:wrap;gap:2em}"
                        + "</style></head><body><h1>").append(Charts.escape(title)).append("</h1>");
        int models = result.ensemble() != null ? result.members().size() : 1;
        h.append(String.format(Locale.ROOT, "<p><b>top-1 %s</b> · top-5 %s · %d images · %s crop%s per image · %d "
                        + "model%s · cost %d%s</p>", percent(headline.accuracy()), percent(headline.top5()),
                headline.count(), requested.id(), requested.views() == 1 ? "" : "s", models,
                models == 1 ? "" : "s", models * requested.views(),
                result.skipped() > 0 ? " · " + result.skipped() + " undecodable images skipped" : ""));
        h.append("<h2>Models</h2><table><tr><th>model</th><th>architecture</th><th>backend</th>");
        result.protocols().forEach(p -> h.append("<th>top-1, ").append(p.id()).append("</th><th>top-5, ")
                .append(p.id()).append("</th>"));
        h.append("</tr>");
        for (EnsembleEvaluator.MemberResult m : result.members()) {
            row(h, List.of(m.source(), m.architecture(), m.backend().id()), m.byProtocol());
        }
        if (result.ensemble() != null) {
            row(h, List.of("ensemble (mean of probabilities)", result.members().size() + " models", ""),
                    result.ensemble());
        }
        h.append("</table>");
        if (result.ensemble() == null && result.members().size() == 2) {
            EnsembleEvaluator.MemberResult candidate = result.members().get(0);
            EnsembleEvaluator.MemberResult reference = result.members().get(1);
            double[] agreement = candidate.agreement(reference, requested, result.labels(),
                    headline.classNames().size());
            h.append(String.format(Locale.ROOT, "<h2>%s against %s</h2><p>top-1 agreement %s · top-1 %+.2f points "
                            + "· top-5 %+.2f points</p>", candidate.backend().id(), reference.backend().id(),
                    percent(agreement[0]), 100 * (headline.accuracy()
                            - reference.byProtocol().get(requested).accuracy()), 100 * (headline.top5()
                            - reference.byProtocol().get(requested).top5())))
                    .append(Charts.bars("top-1 agreement per class", headline.classNames(),
                            java.util.Arrays.copyOfRange(agreement, 1, agreement.length)));
        }
        if (result.protocols().size() > 1 || result.members().size() > 1) {
            h.append("<h2>Models × crops (P1 Table 3)</h2><pre>").append(Charts.escape(table(result)))
                    .append("</pre>");
        }
        h.append("<div class=\"charts\"><div><h2>Confusion matrix</h2>")
                .append(Charts.confusionMatrix(headline.confusion(), headline.classNames()))
                .append("</div><div><h2>Per class</h2>")
                .append(Charts.bars("accuracy (recall) per class", headline.classNames(),
                        headline.perClassAccuracy()))
                .append("</div></div></body></html>\n");
        return h.toString();
    }

    /** A row: the model's name, architecture and backend, then top-1 and top-5 under each protocol. */
    private static void row(StringBuilder h, List<String> model, Map<CropProtocol, Evaluation> by) {
        h.append("<tr><td style=\"text-align:left\">").append(Charts.escape(model.get(0))).append("</td>");
        model.subList(1, model.size()).forEach(cell -> h.append("<td>").append(Charts.escape(cell)).append("</td>"));
        for (Evaluation e : List.copyOf(by.values())) {
            h.append("<td>").append(percent(e.accuracy())).append("</td><td>").append(percent(e.top5()))
                    .append("</td>");
        }
        h.append("</tr>");
    }
}
