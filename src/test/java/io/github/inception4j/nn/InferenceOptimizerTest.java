package io.github.inception4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.onnx.OnnxExporter;
import io.github.inception4j.spec.FusedConcat;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each inference rewrite, alone and composed, changes no output beyond 1e-4 relative. */
class InferenceOptimizerTest {

    private static final BiFunction<InceptionNetwork, NDManager, InceptionNetwork> FOLD =
            InferenceOptimizer::foldBatchNorm;
    private static final BiFunction<InceptionNetwork, NDManager, InceptionNetwork> FUSE =
            InferenceOptimizer::fusePointwise;

    @ParameterizedTest
    @CsvSource({"googlenet-torchvision, 160", "inception-v3, 299", "inception-v3-keras, 150", "googlenet, 224"})
    void foldedNetworkGivesTheSameOutputs(String model, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork net = randomNetwork(m, model, size);
            InceptionNetwork folded = InferenceOptimizer.foldBatchNorm(net, m);
            assertTrue(folded.spec().parameters().stream().noneMatch(p -> p.name().contains(".bn.")));
            assertSameOutputs(m, net, folded, size);
        }
    }

    @ParameterizedTest
    @CsvSource({"googlenet-torchvision, 160", "inception-v3, 299", "inception-v3-keras, 150", "googlenet, 224"})
    void fusedNetworkGivesTheSameOutputsAloneAndWithFolding(String model, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork net = randomNetwork(m, model, size);
            InceptionNetwork fused = FUSE.apply(net, m);
            NetworkSpec before = net.spec().withoutAuxHeads();
            NetworkSpec after = fused.spec();
            assertEquals(before.macs(), after.macs(), "multiply-adds are unchanged");
            assertEquals(before.params(), after.params(), "parameters are unchanged, only regrouped");
            assertSameOutputs(m, net, fused, size);
            assertSameOutputs(m, net, FOLD.apply(fused, m), size);
            assertSameOutputs(m, net, FUSE.apply(FOLD.apply(net, m), m), size);
        }
    }

    @Test
    void googLeNetModulesFuseTheirThreeReductionsAndKeepTheBranchOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork fused = FUSE.apply(randomNetwork(m, "googlenet-torchvision", 96), m);
            List<FusedConcat> modules = fused.spec().layers().stream()
                    .filter(l -> l instanceof FusedConcat).map(l -> (FusedConcat) l).toList();
            assertEquals(9, modules.size(), "3a … 5b");
            FusedConcat first = modules.get(0);
            assertEquals("1x1+3x3_reduce+5x5_reduce", first.stem().name());
            // inception3a at width 0.5: P1 Table 1's 64, 96, 16 halved, never below 16; the pool branch reads x
            assertEquals(List.of(32, 48, 16, 0), first.branches().stream().map(FusedConcat.Branch::stemChannels)
                    .toList());
            assertTrue(fused.spec().parameters().stream().map(ParameterSpec::name)
                    .anyMatch("inception3a.1x1+3x3_reduce+5x5_reduce.conv.weight"::equals));
        }
    }

    @Test
    void onnxExportOfAFusedNetworkIsRefusedWithAReason() {
        try (NDManager m = NDManager.newBaseManager()) {
            InceptionNetwork fused = FUSE.apply(randomNetwork(m, "googlenet-torchvision", 96), m);
            Exception e = assertThrows(UnsupportedOperationException.class,
                    () -> OnnxExporter.export(fused, 1));
            assertTrue(e.getMessage().contains("before InferenceOptimizer.fusePointwise"), e.getMessage());
        }
    }

    /** A width-0.5, 10-class network without aux heads, BN statistics away from 0 and 1 so folding matters. */
    private static InceptionNetwork randomNetwork(NDManager m, String model, int size) {
        Architecture a = Architecture.byName(model);
        NetworkSpec spec = a.spec(a.defaultOptions().withInputSize(size).withAuxHeads(false)
                .withWidthMultiplier(0.5).withNumClasses(10));
        InceptionNetwork net = new InceptionNetwork(spec);
        net.initialize(m, DataType.FLOAT32, new Shape(2, 3, size, size));
        for (ParameterSpec p : spec.parameters()) {
            NDArray v = net.parameter(p.name()).getArray();
            switch (p.kind()) {
                case BN_RUNNING_MEAN, BN_BETA -> v.set(new NDIndex("..."), m.randomUniform(-0.3f, 0.3f, v.getShape()));
                case BN_RUNNING_VAR -> v.set(new NDIndex("..."), m.randomUniform(0.3f, 2f, v.getShape()));
                case BN_GAMMA -> v.set(new NDIndex("..."), p.trainable()
                        ? m.randomUniform(0.5f, 1.5f, v.getShape()) : m.ones(v.getShape()));
                default -> { }
            }
        }
        return net;
    }

    private static void assertSameOutputs(NDManager m, InceptionNetwork reference, InceptionNetwork optimized,
                                          int size) {
        NDArray x = m.randomNormal(new Shape(2, 3, size, size));
        ParameterStore store = new ParameterStore(m, false);
        NDArray expected = reference.forward(store, new NDList(x), false).head();
        NDArray actual = optimized.forward(store, new NDList(x), false).head();
        assertEquals(expected.getShape(), actual.getShape());
        double maxRef = expected.abs().max().getFloat();
        double maxDiff = expected.sub(actual).abs().max().getFloat();
        assertTrue(maxDiff <= 1e-4 * maxRef, optimized.spec().name() + ": " + maxDiff + " vs " + maxRef);
    }
}
