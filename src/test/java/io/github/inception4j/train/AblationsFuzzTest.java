package io.github.inception4j.train;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the log `inception ablations` reads. Only IllegalArgumentException (the documented refusal) may come out,
 * and every variant read must give a finite mean in [0, 1], a finite spread, a table and a plot.
 */
class AblationsFuzzTest {

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void parse(byte[] input) {
        try {
            List<Ablations.Variant> variants = Ablations.parse(new String(input, StandardCharsets.UTF_8).lines()
                    .toList(), "fuzz");
            for (Ablations.Variant v : variants) {
                if (!(v.mean() >= 0 && v.mean() <= 1) || !Double.isFinite(v.sd())) {
                    throw new AssertionError("unusable variant " + v.name());
                }
            }
            if (!variants.isEmpty()) {
                Ablations.table(variants, variants.get(0).name());
                Ablations.plot(variants, variants.get(0).name(), "fuzz");
            }
        } catch (IllegalArgumentException expected) {
            // documented refusal
        }
    }
}
