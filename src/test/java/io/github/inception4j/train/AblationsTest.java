package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AblationsTest {

    @TempDir
    Path dir;

    private static String run(String variant, int seed, double accuracy) {
        return String.format(java.util.Locale.ROOT, "{\"variant\":\"%s\",\"seed\":%d,\"change\":\"--set x=%s\","
                + "\"val_accuracy\":%s,\"minutes\":3.0}", variant, seed, variant, accuracy);
    }

    private Path log() throws Exception {
        // Hand-computed: baseline 0.88 ± 0.01; "better" 0.91 ± 0.01 (|Δ| 0.03 > spread 0.02); "same" 0.885 ± 0.01
        // (|Δ| 0.005 < 0.02). Runs interleave as a resumed script writes them.
        return Files.write(dir.resolve("ablations.jsonl"), List.of(run("baseline", 1, 0.88), run("better", 1, 0.90),
                run("baseline", 2, 0.87), run("baseline", 3, 0.89), "", run("better", 2, 0.91),
                run("better", 3, 0.92), run("same", 1, 0.885), run("same", 2, 0.895), run("same", 3, 0.875)));
    }

    @Test
    void meansAndSpreadsAreTheSampleStatistics() throws Exception {
        List<Ablations.Variant> v = Ablations.read(log());
        assertEquals(List.of("baseline", "better", "same"), v.stream().map(Ablations.Variant::name).toList());
        assertEquals(0.88, v.get(0).mean(), 1e-12);
        assertEquals(0.01, v.get(0).sd(), 1e-12);
        assertEquals(0.91, v.get(1).mean(), 1e-12);
        assertTrue(v.get(1).differsFrom(v.get(0)));
        assertFalse(v.get(2).differsFrom(v.get(0)));
        assertEquals(0, new Ablations.Variant("one", "", new double[] {0.5}, new double[] {1}).sd());
    }

    @Test
    void tableStatesWhichDifferencesExceedTheSpread() throws Exception {
        String table = Ablations.table(Ablations.read(log()), "baseline");
        assertTrue(table.contains("| baseline | `--set x=baseline` | 3 | 88.00 ± 1.00 | 88.00, 87.00, 89.00 | 3.0 | – |"),
                table);
        assertTrue(table.contains("+3.00 (spread 2.00): **a difference**"), table);
        assertTrue(table.contains("+0.50 (spread 2.00): no difference"), table);
    }

    @Test
    void plotDrawsEverySeedAndMarksOnlyTheDifference() throws Exception {
        String svg = Ablations.plot(Ablations.read(log()), "baseline", "t");
        assertEquals(9, svg.split("fill-opacity=\"0.7\"", -1).length - 1);
        assertEquals(1, svg.split("stroke=\"#d62728\"", -1).length - 1);
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"));
    }

    @Test
    void damagedLogsAndMissingBaselinesAreNamed() throws Exception {
        Path bad = Files.write(dir.resolve("bad.jsonl"), List.of(run("baseline", 1, 0.9), "{\"variant\":\"x\"}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ablations.read(bad));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Path garbage = Files.write(dir.resolve("garbage.jsonl"), List.of("{not json"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ablations.read(garbage)).getMessage()
                .contains("line 1"));
        for (String line : List.of("{\"variant\":{},\"val_accuracy\":0.5,\"minutes\":1}",
                "{\"variant\":\"a\",\"val_accuracy\":\"high\",\"minutes\":1}",
                "{\"variant\":\"a\",\"val_accuracy\":1.5,\"minutes\":1}", "[1, 2]")) {
            e = assertThrows(IllegalArgumentException.class, () -> Ablations.parse(List.of(line), "log"));
            assertTrue(e.getMessage().startsWith("log line 1: "), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> Ablations.table(Ablations.read(log()), "nope"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
}
