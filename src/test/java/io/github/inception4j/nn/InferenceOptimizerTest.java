package io.github.inception4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Folding BatchNorm changes no output beyond 1e-4 relative and removes every BN array. */
class InferenceOptimizerTest {

    @ParameterizedTest
    @CsvSource({"googlenet-torchvision, 160", "inception-v3, 299", "inception-v3-keras, 150", "googlenet, 224"})
    void foldedNetworkGivesTheSameOutputs(String model, int size) {
        Architecture a = Architecture.byName(model);
        NetworkSpec spec = a.spec(a.defaultOptions().withInputSize(size).withAuxHeads(false)
                .withWidthMultiplier(0.5).withNumClasses(10));
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork net = new InceptionNetwork(spec);
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, size, size));
            for (ParameterSpec p : spec.parameters()) { // BN statistics away from 0 and 1 so folding matters
                NDArray v = net.parameter(p.name()).getArray();
                switch (p.kind()) {
                    case BN_RUNNING_MEAN, BN_BETA -> v.set(new NDIndex("..."), m.randomUniform(-0.3f, 0.3f, v.getShape()));
                    case BN_RUNNING_VAR -> v.set(new NDIndex("..."), m.randomUniform(0.3f, 2f, v.getShape()));
                    case BN_GAMMA -> v.set(new NDIndex("..."), p.trainable()
                            ? m.randomUniform(0.5f, 1.5f, v.getShape()) : m.ones(v.getShape()));
                    default -> { }
                }
            }
            InceptionNetwork folded = InferenceOptimizer.foldBatchNorm(net, m);
            assertTrue(folded.spec().parameters().stream().noneMatch(p -> p.name().contains(".bn.")));
            NDArray x = m.randomNormal(new Shape(2, 3, size, size));
            ParameterStore store = new ParameterStore(m, false);
            NDArray expected = net.forward(store, new NDList(x), false).head();
            NDArray actual = folded.forward(store, new NDList(x), false).head();
            double maxRef = expected.abs().max().getFloat();
            double maxDiff = expected.sub(actual).abs().max().getFloat();
            assertTrue(maxDiff <= 1e-4 * maxRef, model + ": " + maxDiff + " vs " + maxRef);
            assertEquals(expected.getShape(), actual.getShape());
        }
    }
}
