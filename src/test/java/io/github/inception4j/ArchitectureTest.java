package io.github.inception4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dependencies only point down (docs/architecture.md): each room may use the rooms below it, never one beside
 * or above it. Bottom to top:
 * spec, json ← models, data, report ← nn ← weights, onnx, describe ← onednn ← train ← eval, bench ← detect ← serve
 * ← cli ← spark (a launcher built on the CLI's commands).
 */
class ArchitectureTest {

    /** Rooms by level, lowest first; rooms on one level are independent of each other. */
    static final List<List<String>> LEVELS = List.of(
            List.of("spec", "json"),
            List.of("models", "data", "report"),
            List.of("nn"),
            List.of("weights", "onnx", "describe"),
            List.of("onednn"),
            List.of("train"),
            List.of("eval", "bench"),
            List.of("detect"),
            List.of("serve"),
            List.of("cli"),
            List.of("spark"));

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.inception4j");

    @Test
    void dependenciesOnlyPointDown() {
        Architectures.LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (List<String> level : LEVELS) {
            for (String room : level) {
                layers = layers.layer(room).definedBy("io.github.inception4j." + room + "..");
            }
        }
        for (int i = 0; i < LEVELS.size(); i++) {
            List<String> above = new ArrayList<>();
            LEVELS.subList(i + 1, LEVELS.size()).forEach(above::addAll);
            for (String room : LEVELS.get(i)) {
                layers = above.isEmpty() ? layers.whereLayer(room).mayNotBeAccessedByAnyLayer()
                        : layers.whereLayer(room).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
            }
        }
        layers.check(MAIN);
    }

    @Test
    void everyRoomIsALevel() {
        List<String> rooms = LEVELS.stream().flatMap(List::stream).toList();
        MAIN.stream().map(c -> c.getPackageName().substring("io.github.inception4j.".length()).split("\\.")[0])
                .distinct().forEach(room -> org.junit.jupiter.api.Assertions.assertTrue(rooms.contains(room),
                        "package io.github.inception4j." + room + " has no level in LEVELS"));
    }

    /** Spark is provided by a cluster, not shipped: the core jar must run without it (docs/spark.md). */
    @Test
    void onlyTheSparkRoomUsesSpark() {
        noClasses().that().resideOutsideOfPackage("io.github.inception4j.spark..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.spark..", "scala..").check(MAIN);
    }

    @Test
    void aClassifierDoesNotCallBackIntoTheEnsembleThatUsesIt() {
        noClasses().that().haveSimpleName("ImageClassifier").should().dependOnClassesThat()
                .haveSimpleName("EnsembleEvaluator").check(MAIN);
    }
}
