package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.data.FashionMnist;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.weights.ModelLoader;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The training step as a cluster driver uses it: its whole state by name, replaced by another replica's state,
 * continues exactly as that replica would; wrong names and sizes are refused before anything changes.
 */
class TrainingStepTest {

    private static final Architecture ARCH = Architecture.GOOGLENET_TORCHVISION;
    private static final ModelOptions OPTIONS = ARCH.defaultOptions().withNumClasses(10).withWidthMultiplier(0.25)
            .withInputSize(32);
    /** SGD with weight decay, clipping, label smoothing and an average: every piece of state is exercised. */
    private static final Recipe RECIPE = Recipes.byName("small-grayscale").with(Map.of("inputSize", "32",
            "weightDecay", "1e-3", "clipNorm", "2", "emaDecay", "0.9"));

    private static DataLoader.Batch batch(int first) {
        ImageDataset data = FashionMnist.embeddedSubset(FashionMnist.Split.TEST);
        ImagePipeline pipeline = new ImagePipeline(RECIPE.augmentation(), Trainer.preprocessing(OPTIONS, RECIPE));
        int n = 8;
        float[] samples = new float[n * pipeline.sampleLength()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float[] x = pipeline.train(data.image(first + i), new SplittableRandom(first + i));
            System.arraycopy(x, 0, samples, i * x.length, x.length);
            labels[i] = data.label(first + i);
        }
        return new DataLoader.Batch(0, 0, n, samples, labels);
    }

    private static TrainingStep step(long initSeed, NDManager manager) {
        JniUtils.setGradMode(false);
        Engine.getInstance().setRandomSeed((int) initSeed);
        InceptionNetwork net = ModelLoader.fresh(ARCH, OPTIONS).load(manager).network();
        Set<String> trainable = new HashSet<>();
        net.spec().parameters().stream().filter(ParameterSpec::trainable).forEach(p -> trainable.add(p.name()));
        return new TrainingStep(net, RECIPE, trainable, 7, manager);
    }

    private static void assertSameState(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, v) -> assertArrayEquals(v, actual.get(name), 0f, name));
    }

    @Test
    void aReplicaThatTakesAnotherReplicasStateContinuesExactlyAsItWould() {
        try (NDManager m = NDManager.newBaseManager();
             TrainingStep a = step(1, m);
             TrainingStep b = step(2, m)) {
            a.run(batch(0), 0.02f);
            a.run(batch(8), 0.02f);
            TrainingStep.State full = a.state();
            Map<String, float[]> state = full.arrays();
            // Every parameter and buffer (BN running statistics too), the momentum slots and the average.
            assertTrue(state.containsKey(TrainingStep.WEIGHTS + "conv1.bn.running_var"), state.keySet().toString());
            assertTrue(state.keySet().stream().anyMatch(k -> k.startsWith(TrainingStep.OPTIMIZER)));
            assertTrue(state.containsKey(TrainingStep.EMA + "fc.weight"));
            assertFalse(java.util.Arrays.equals(state.get(TrainingStep.WEIGHTS + "fc.weight"),
                    b.state().arrays().get(TrainingStep.WEIGHTS + "fc.weight")), "different seeds, different weights");
            assertEquals(2, full.steps());
            assertEquals(2, full.emaUpdates());

            b.loadState(full);
            assertSameState(state, b.state().arrays());
            TrainingStep.Result ra = a.run(batch(16), 0.01f);
            TrainingStep.Result rb = b.run(batch(16), 0.01f);
            assertEquals(ra.loss(), rb.loss(), 0);
            assertEquals(ra.gradNorm(), rb.gradNorm(), 0);
            assertSameState(a.state().arrays(), b.state().arrays());
        }
    }

    @Test
    void wrongNamesAndSizesAreRefusedBeforeAnythingChanges() {
        try (NDManager m = NDManager.newBaseManager(); TrainingStep s = step(1, m)) {
            Map<String, float[]> before = s.state().arrays();
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> s.loadState(new TrainingStep.State(Map.of("weights/fc.weight",
                            before.get("weights/fc.weight"), "momentum/fc.weight", new float[1]), 0, 0)));
            assertTrue(unknown.getMessage().contains("unknown state 'momentum/fc.weight'"), unknown.getMessage());
            IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                    () -> s.loadState(new TrainingStep.State(Map.of("weights/fc.weight", new float[3]), 0, 0)));
            assertTrue(size.getMessage().contains("matches no parameter of that size"), size.getMessage());
            assertSameState(before, s.state().arrays());
        }
    }
}
