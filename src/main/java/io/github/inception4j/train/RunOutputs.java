package io.github.inception4j.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.inception4j.report.Evaluation;
import io.github.inception4j.weights.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What a run shows people: metrics.jsonl, metrics.csv, report.html (curves), and test.json at the end. */
final class RunOutputs {

    private static final Gson LINE = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private final Path runDir;
    private final RunSettings settings;

    RunOutputs(Path runDir, RunSettings settings) {
        this.runDir = runDir;
        this.settings = settings;
    }

    /** Rewrites the metrics and the report; {@code status}, when not null, is shown on the report (why it stopped). */
    void write(List<EpochMetrics> history, Evaluation test, String status) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        StringBuilder csv = new StringBuilder(EpochMetrics.CSV_HEADER).append('\n');
        for (EpochMetrics m : history) {
            jsonl.append(LINE.toJson(m.columns())).append('\n');
            csv.append(m.csv()).append('\n');
        }
        Checkpoint.writeAtomically(runDir.resolve("metrics.jsonl"), jsonl.toString().getBytes(StandardCharsets.UTF_8));
        Checkpoint.writeAtomically(runDir.resolve("metrics.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        Checkpoint.writeAtomically(runDir.resolve("report.html"), Report.html(settings, history, test, status)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** test.json: the final evaluation, read once, with its confusion matrix. */
    void writeTest(Evaluation test) throws IOException {
        Checkpoint.writeAtomically(runDir.resolve("test.json"), PRETTY.toJson(Map.of("accuracy", test.accuracy(),
                "loss", test.loss(), "count", test.count(), "confusion", test.confusion(), "classNames",
                test.classNames())).getBytes(StandardCharsets.UTF_8));
    }
}
