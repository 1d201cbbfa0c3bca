package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.inception4j.models.Architecture;
import io.github.inception4j.spec.NetworkSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecipeTest {

    @Test
    void inceptionV3RecipeIsP2Section8() {
        Recipe r = Recipes.byName("inception-v3-2015");
        assertEquals("rmsprop", r.optimization().optimizer());
        assertEquals(0.045, r.optimization().lr());
        assertEquals(0.9, r.optimization().rmsDecay());
        assertEquals(1.0, r.optimization().rmsEpsilon());
        assertEquals(0.9, r.optimization().momentum());
        assertEquals(Schedule.exponential(0.94, 2), r.schedule());
        assertEquals(2.0, r.optimization().clipNorm());
        assertEquals(0.1, r.regularization().labelSmoothing());
        assertEquals(0.4, r.regularization().auxWeight());
        assertEquals(0.9999, r.regularization().emaDecay());
        assertEquals(32, r.run().batchSize());
        assertEquals(100, r.run().epochs());
        assertEquals(0.875, r.run().evalCropFraction());
        assertTrue(r.optimization().newOptimizer() instanceof TfRmsProp);
    }

    @Test
    void googlenetRecipeIsP1Section6() {
        Recipe r = Recipes.byName("googlenet-2014");
        assertEquals("sgd", r.optimization().optimizer());
        assertEquals(0.9, r.optimization().momentum());
        assertEquals(Schedule.exponential(0.96, 8), r.schedule());
        assertEquals(0.3, r.regularization().auxWeight());
        assertEquals(0.08, r.augmentation().crop().minArea());
        assertFalse(r.augmentation().crop().logUniformAspect());
        assertEquals(List.of("bilinear", "area", "nearest", "bicubic"), r.augmentation().interpolations());
        assertTrue(r.regularization().emaDecay() > 0);
        assertTrue(Recipes.preset("googlenet-2014").sources().get("optimization.lr").contains("Caffe"));
    }

    @Test
    void fashionMnistRecipeIsTheRecordedBenchmarksCommandByName() {
        // bench/results/fashion-mnist.json's runs 2-6 spelled these overrides out on small-grayscale.
        Recipe named = Recipes.byName("fashion-mnist");
        Recipe spelled = Recipes.byName("small-grayscale").with(Map.of("epochs", "30", "inputSize", "40",
                "augmentation.minArea", "0.8", "augmentation.minAspect", "0.9", "augmentation.maxAspect", "1.11",
                "augmentation.brightness", "0", "augmentation.contrast", "0"));
        assertEquals(spelled.settings(), named.settings());
        assertEquals("fashion-mnist", named.name());
        assertTrue(Recipes.preset("fashion-mnist").sources().get("run.epochs").contains("validation"));
    }

    @Test
    void fashionMnist56IsFashionMnistAt56() {
        // bench/fashion-mnist-ensemble.sh trains its 56-pixel members as --recipe fashion-mnist --input-size 56.
        Recipe named = Recipes.byName("fashion-mnist-56");
        assertEquals(Recipes.byName("fashion-mnist").with(Map.of("inputSize", "56")).settings(), named.settings());
        assertEquals("fashion-mnist-56", named.name());
        assertTrue(Recipes.preset("fashion-mnist-56").sources().get("run.inputSize").contains("whole data"));
    }

    @Test
    void everySettingIsOverridableByItsKey() {
        Recipe r = Recipes.byName("small-grayscale");
        Recipe o = r.with(Map.of("lr", "0.05", "schedule.kind", "exponential", "augmentation.interpolations",
                "area,nearest", "emaWarmup", "false", "epochs", "3"));
        assertEquals(0.05, o.optimization().lr());
        assertEquals("exponential", o.schedule().kind());
        assertEquals(List.of("area", "nearest"), o.augmentation().interpolations());
        assertFalse(o.regularization().emaWarmup());
        assertEquals(3, o.run().epochs());
        assertEquals(r.settings().keySet(), o.settings().keySet());
        assertEquals(o, Recipe.fromJson(o.toJson()));
        for (String key : r.settings().keySet()) {
            assertEquals(r, r.with(Map.of(key, r.settings().get(key))), key);
        }
    }

    @Test
    void badOverridesNameTheProblem() {
        Recipe r = Recipes.byName("small-grayscale");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.with(Map.of("lrr", "1")));
        assertTrue(e.getMessage().contains("unknown recipe setting 'lrr'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.with(Map.of("lr", "fast")));
        assertTrue(e.getMessage().contains("is a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.with(Map.of("optimizer", "adam")));
        assertTrue(e.getMessage().contains("sgd or rmsprop"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.with(Map.of("augmentation.minArea", "0")));
        assertThrows(IllegalArgumentException.class, () -> Recipes.byName("resnet"));
    }

    @Test
    void keysMayLeaveOutGroupNamesWhileTheyNameOneSetting() {
        Recipe r = Recipes.byName("small-grayscale");
        assertEquals("optimization.lr", r.fullKey("lr"));
        assertEquals("augmentation.crop.minArea", r.fullKey("augmentation.minArea"));
        assertEquals("augmentation.crop.minArea", r.fullKey("minArea"));
        assertEquals("schedule.kind", r.fullKey("kind"));
        assertEquals(r.with(Map.of("optimization.lr", "0.3")), r.with(Map.of("lr", "0.3")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.fullKey("crop.lr"));
        assertTrue(e.getMessage().contains("unknown recipe setting 'crop.lr'"), e.getMessage());
    }

    @Test
    void weightDecaySkipsBatchNormAndBiasesWhenAsked() {
        NetworkSpec spec = Architecture.byName("googlenet-torchvision").spec(Architecture.byName(
                "googlenet-torchvision").defaultOptions());
        Recipe r = Recipes.byName("inception-v3-2015");
        var decayed = TrainingStep.decayed(spec, r);
        assertTrue(decayed.contains("conv1.conv.weight"));
        assertTrue(decayed.contains("fc.weight"));
        assertFalse(decayed.contains("fc.bias"));
        assertFalse(decayed.contains("conv1.bn.weight"));
        assertFalse(decayed.contains("conv1.bn.bias"));
        assertFalse(decayed.contains("conv1.bn.running_mean"));
        var all = TrainingStep.decayed(spec, r.with(Map.of("decayBatchNormAndBias", "true")));
        assertTrue(all.contains("conv1.bn.weight") && all.contains("fc.bias"));
        assertFalse(all.contains("conv1.bn.running_var"));
    }
}
