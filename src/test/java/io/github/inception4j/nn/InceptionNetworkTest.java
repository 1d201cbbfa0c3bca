package io.github.inception4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.spec.Shape3;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every architecture runs forward and backward on the PyTorch engine, and agrees with its spec. */
class InceptionNetworkTest {

    /** Each architecture at its default size and at one other admissible size. */
    static Stream<Arguments> architecturesAndSizes() {
        return Stream.of(Architecture.values()).flatMap(a -> {
            int size = a.defaultOptions().inputSize();
            return Stream.of(Arguments.of(a, size), Arguments.of(a, size == 224 ? 160 : size + 32));
        });
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("architecturesAndSizes")
    void forwardAndBackwardInTrainingMode(Architecture architecture, int size) {
        NetworkSpec spec = architecture.spec(architecture.defaultOptions().withInputSize(size).withNumClasses(10));
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionNetwork net = io.github.inception4j.nn.Engine.initialised(manager, spec, 2);
            NDArray x = io.github.inception4j.nn.Engine.randomInput(manager, spec, 2);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = net.forward(new ParameterStore(manager, false), new NDList(x), true);
                InceptionOutputs outputs = InceptionOutputs.of(out);
                assertArrayEquals(new long[] {2, 10}, outputs.logits().getShape().getShape());
                List<String> aux = spec.auxHeads().stream().map(h -> h.name()).toList();
                assertEquals(aux, outputs.auxNames(), "aux logits by name, in training mode");
                NDArray loss = outputs.logits().square().mean();
                for (String name : aux) {
                    assertArrayEquals(new long[] {2, 10}, outputs.aux(name).getShape().getShape());
                    loss = loss.add(outputs.aux(name).square().mean().mul(0.3f));
                }
                collector.backward(loss);
            }
            // Every trainable parameter, first layer included, received a gradient.
            for (ParameterSpec p : spec.parameters()) {
                Parameter parameter = net.parameter(p.name());
                if (p.trainable()) {
                    float norm = parameter.getArray().getGradient().abs().sum().getFloat();
                    assertTrue(norm > 0 && Float.isFinite(norm), "gradient of " + p.name() + ": " + norm);
                } else {
                    assertFalse(parameter.requiresGradient(), p.name() + " must not train");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("architecturesAndSizes")
    void specShapesMatchTheEngineAtEveryEndpoint(Architecture architecture, int size) {
        NetworkSpec spec = architecture.spec(architecture.defaultOptions().withInputSize(size));
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionNetwork net = io.github.inception4j.nn.Engine.initialised(manager, spec, 2);
            Map<String, NDArray> endpoints = net.forwardEndpoints(new ParameterStore(manager, false),
                    io.github.inception4j.nn.Engine.randomInput(manager, spec, 2), false);
            Map<String, Shape3> expected = spec.endpointShapes();
            assertEquals(expected.keySet(), endpoints.keySet());
            expected.forEach((name, shape) -> {
                long[] actual = endpoints.get(name).getShape().getShape();
                long[] want = shape.height() == 1 && shape.width() == 1 && actual.length == 2
                        ? new long[] {2, shape.channels()}
                        : new long[] {2, shape.channels(), shape.height(), shape.width()};
                assertArrayEquals(want, actual, "endpoint " + name);
            });
        }
    }

    @Test
    void widthMultipliedInceptionV3RunsForwardAndBackward() {
        NetworkSpec spec = Architecture.INCEPTION_V3.spec(Architecture.INCEPTION_V3.defaultOptions()
                .withWidthMultiplier(0.25).withNumClasses(10));
        assertEquals(16, spec.endpointShapes().get("Conv2d_1a_3x3").channels(), "max(32 × 0.25, 16)");
        assertEquals(512, spec.endpointShapes().get("Mixed_7c").channels(), "2048 × 0.25");
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionNetwork net = io.github.inception4j.nn.Engine.initialised(manager, spec, 2);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                InceptionOutputs out = InceptionOutputs.of(net.forward(new ParameterStore(manager, false),
                        new NDList(io.github.inception4j.nn.Engine.randomInput(manager, spec, 2)), true));
                collector.backward(out.logits().square().mean().add(out.aux("AuxLogits").square().mean().mul(0.4f)));
            }
            float norm = net.parameter("Conv2d_1a_3x3.conv.weight").getArray().getGradient().abs().sum().getFloat();
            assertTrue(norm > 0 && Float.isFinite(norm), "gradient of Conv2d_1a_3x3: " + norm);
        }
    }

    @Test
    void evalModeReturnsOnlyTheMainLogits() {
        NetworkSpec spec = Architecture.GOOGLENET_TORCHVISION.spec();
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionNetwork net = io.github.inception4j.nn.Engine.initialised(manager, spec, 1);
            NDList out = io.github.inception4j.nn.Engine.forward(manager, net,
                    io.github.inception4j.nn.Engine.randomInput(manager, spec, 1), false);
            assertEquals(1, out.size());
            assertEquals(InceptionOutputs.LOGITS, out.head().getName());
            assertTrue(InceptionOutputs.of(out).auxNames().isEmpty());
        }
    }

    @Test
    void eachParameterIsNamedBySpecAndShapedBySpec() {
        NetworkSpec spec = Architecture.GOOGLENET.spec();
        InceptionNetwork net = new InceptionNetwork(spec);
        List<String> names = net.getParameters().keys();
        assertEquals(spec.parameters().stream().map(ParameterSpec::name).toList(), names);
        assertTrue(names.contains("inception3a.5x5.conv.weight"));
        assertArrayEquals(new long[] {32, 16, 5, 5}, net.parameter("inception3a.5x5.conv.weight").getShape().getShape());
    }

    @Test
    void inputsThatCannotWorkGiveClearErrors() {
        NetworkSpec spec = Architecture.GOOGLENET_TORCHVISION.spec();
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionNetwork net = io.github.inception4j.nn.Engine.initialised(manager, spec, 1);
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                    () -> io.github.inception4j.nn.Engine.forward(manager, net,
                            manager.zeros(new ai.djl.ndarray.types.Shape(1, 3, 12, 12)), false));
            assertTrue(small.getMessage().contains("smallest input googlenet-torchvision admits is 15×15"),
                    small.getMessage());
            IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                    () -> io.github.inception4j.nn.Engine.forward(manager, net,
                            manager.zeros(new ai.djl.ndarray.types.Shape(1, 1, 224, 224)), false));
            assertTrue(channels.getMessage().contains("expects (N, 3, H, W)"), channels.getMessage());
        }
        // The paper layout's auxiliary FC is as wide as the pooled 4a grid: it fits one input size only.
        NetworkSpec paper = Architecture.GOOGLENET.spec();
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionNetwork net = io.github.inception4j.nn.Engine.initialised(manager, paper, 1);
            IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class,
                    () -> io.github.inception4j.nn.Engine.forward(manager, net,
                            manager.zeros(new ai.djl.ndarray.types.Shape(1, 3, 256, 256)), false));
            assertTrue(fixed.getMessage().contains("build it with inputSize 256"), fixed.getMessage());
        }
    }

    @Test
    void widthMultiplierAndClassCountComeFromOptions() {
        ModelOptions options = Architecture.GOOGLENET_TORCHVISION.defaultOptions().withWidthMultiplier(0.25)
                .withNumClasses(7).withInputSize(96);
        NetworkSpec spec = Architecture.GOOGLENET_TORCHVISION.spec(options);
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionNetwork net = io.github.inception4j.nn.Engine.initialised(manager, spec, 3);
            NDList out = io.github.inception4j.nn.Engine.forward(manager, net,
                    io.github.inception4j.nn.Engine.randomInput(manager, spec, 3), false);
            assertArrayEquals(new long[] {3, 7}, out.head().getShape().getShape());
        }
        assertEquals(16, spec.endpointShapes().get("conv1").channels(), "64 × 0.25 = 16");
    }

    /** headGrid 3 at 96 keeps (5b)'s 3 × 3 map: the classifier reads 256 × 9 inputs (MultiBox's box regressor). */
    @Test
    void aHeadGridKeepsTheLastMapForTheClassifier() {
        ModelOptions options = Architecture.GOOGLENET_TORCHVISION.defaultOptions().withWidthMultiplier(0.25)
                .withNumClasses(10).withInputSize(96).withAuxHeads(false).withHeadGrid(3);
        NetworkSpec spec = Architecture.GOOGLENET_TORCHVISION.spec(options);
        var fc = spec.parameters().stream().filter(p -> p.name().equals("fc.weight")).findFirst().orElseThrow();
        assertArrayEquals(new long[] {10, 256 * 9}, fc.shape());
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionNetwork net = io.github.inception4j.nn.Engine.initialised(manager, spec, 2);
            NDList out = io.github.inception4j.nn.Engine.forward(manager, net,
                    io.github.inception4j.nn.Engine.randomInput(manager, spec, 2), false);
            assertArrayEquals(new long[] {2, 10}, out.head().getShape().getShape());
        }
        assertEquals(1, Architecture.GOOGLENET_TORCHVISION.defaultOptions().headGrid(), "the papers pool globally");
    }
}
