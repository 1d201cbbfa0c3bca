package io.github.inception4j.onednn;

import static io.github.inception4j.onnx.OnnxExportTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InferenceOptimizer;
import io.github.inception4j.onnx.Calibration;
import io.github.inception4j.onnx.Calibrator;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The oneDNN backend, compiled from the spec, gives the DJL network's logits within 1e-4 relative in fp32 for every
 * architecture of the registry at two input sizes, in both layouts and at widths whose concatenations can and
 * cannot be written in place; and no layer falls back to oneDNN's reference (unoptimised) implementations.
 */
class OneDnnNetworkTest {

    @ParameterizedTest(name = "{0} at {1}, width {2}, {3}")
    @CsvSource({"googlenet, 224, 1.0, BLOCKED", "googlenet, 96, 0.75, AUTO",
            "googlenet-torchvision, 224, 0.5, AUTO", "googlenet-torchvision, 112, 0.75, NHWC",
            "inception-v2, 224, 0.5, BLOCKED", "inception-v2, 139, 0.25, NHWC",
            "inception-v3, 299, 0.5, BLOCKED", "inception-v3, 139, 0.75, AUTO",
            "inception-v3-keras, 299, 0.5, AUTO", "inception-v3-keras, 150, 0.25, NHWC",
            "inception-v3-151, 151, 0.25, AUTO", "inception-v3-151, 200, 0.25, NHWC",
            "inception-v3-79, 79, 0.5, BLOCKED", "inception-v3-79, 120, 0.25, NHWC"})
    void fp32LogitsMatchTheDjlNetwork(String model, int size, double width, String layout) {
        Architecture a = Architecture.byName(model);
        int batch = 2;
        InceptionNetwork net = new InceptionNetwork(a.spec(a.defaultOptions().withInputSize(size).withAuxHeads(false)
                .withWidthMultiplier(width).withNumClasses(10)));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(batch, 3, size, size));
            for (var e : net.getParameters()) {
                // BN statistics away from 0 and 1, so folding is exercised.
                if (e.getKey().endsWith("running_var") || e.getKey().endsWith("running_mean")) {
                    NDArray array = e.getValue().getArray();
                    array.set(new NDIndex("..."), m.randomUniform(0.5f, 1.5f, array.getShape()));
                }
            }
            NDArray x = m.randomNormal(new Shape(batch, 3, size, size));
            float[] expected = net.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            try (OneDnnNetwork compiled = layout.equals("AUTO") ? OneDnnNetwork.compile(net, Precision.FP32, 2)
                    : OneDnnNetwork.compile(net, Precision.FP32, Layout.valueOf(layout), 2)) {
                FloatBuffer input = compiled.allocateInput(batch);
                input.put(x.toFloatArray()).flip();
                assertClose(expected, compiled.logits(input), 1e-4, model);
                assertClose(expected, compiled.logits(input), 1e-4, model + " (second run)");
                List<String> reference = compiled.implementations(batch).stream().filter(OneDnnNetwork::isReference)
                        .toList();
                assertEquals(List.of(), reference, "layers on oneDNN's reference implementations");
            }
        }
    }

    @Test
    void bf16FollowsFp32WhereTheCpuHasIt() {
        InceptionNetwork net = network(Architecture.GOOGLENET_TORCHVISION, 96, 0.5);
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(4, 3, 96, 96));
            if (!Dnnl.hasBf16()) {
                var e = assertThrows(UnsupportedOperationException.class,
                        () -> OneDnnNetwork.compile(net, Precision.BF16, 1));
                assertTrue(e.getMessage().contains("AVX512-BF16 or AMX"), e.getMessage());
                return;
            }
            float[] x = m.randomNormal(new Shape(4, 3, 96, 96)).toFloatArray();
            try (OneDnnNetwork fp32 = OneDnnNetwork.compile(net, Precision.FP32, 2);
                 OneDnnNetwork bf16 = OneDnnNetwork.compile(net, Precision.BF16, 2)) {
                float[] expected = fp32.logits(FloatBuffer.wrap(x));
                float[] actual = bf16.logits(FloatBuffer.wrap(x));
                // bfloat16 keeps 8 bits of mantissa: about 2-3 significant digits survive a network.
                assertClose(expected, actual, 3e-2, "bf16");
                assertTrue(bf16.implementations(4).stream().anyMatch(s -> s.contains("bf16")),
                        bf16.implementations(4).toString());
            }
        }
    }

    /**
     * int8 at a min/max calibration on the input it then runs: logits near float32's (a random network's logits are
     * small differences of large sums, the hardest case for int8), and integer kernels throughout.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"googlenet-torchvision, 96", "inception-v3, 139", "googlenet, 96"})
    void int8FollowsFp32AtItsCalibration(String model, int size) {
        InceptionNetwork net = network(Architecture.byName(model), size, 0.5);
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(4, 3, size, size));
            InceptionNetwork folded = InferenceOptimizer.foldBatchNorm(net, m);
            float[] x = m.randomNormal(new Shape(4, 3, size, size)).toFloatArray();
            Calibration calibration = Calibrator.calibrate(folded, batch -> batch.accept(FloatBuffer.wrap(x)),
                    Calibration.Method.MINMAX, "test input", 2);
            try (OneDnnNetwork fp32 = OneDnnNetwork.compile(net, Precision.FP32, 2);
                 OneDnnNetwork int8 = OneDnnNetwork.compileInt8(folded, calibration, 2)) {
                assertClose(fp32.logits(FloatBuffer.wrap(x)), int8.logits(FloatBuffer.wrap(x)), 0.1, model + " int8");
                List<String> steps = int8.implementations(4);
                assertEquals(List.of(), steps.stream().filter(OneDnnNetwork::isReference).toList());
                // Integer kernels name the instructions they use: VNNI (AVX-512 or AVX2) or AMX.
                assertTrue(steps.stream().anyMatch(s -> s.contains("vnni") || s.contains("amx")), steps.toString());
            }
        }
    }

    @Test
    void tenThousandCallsAtTwoBatchSizesDoNotGrowNativeMemory() {
        InceptionNetwork net = network(Architecture.GOOGLENET_TORCHVISION, 64, 0.25);
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            try (OneDnnNetwork compiled = OneDnnNetwork.compile(net, Precision.FP32, 1)) {
                FloatBuffer one = compiled.allocateInput(1);
                FloatBuffer two = compiled.allocateInput(2);
                for (int i = 0; i < 500; i++) {
                    compiled.logits(i % 2 == 0 ? one : two);
                }
                long arena = compiled.arenaBytes();
                long before = mallocKiB();
                for (int i = 0; i < 10_000; i++) {
                    compiled.logits(i % 2 == 0 ? one : two);
                }
                long grown = mallocKiB() - before;
                assertEquals(arena, compiled.arenaBytes(), "the arena is sized once per batch size");
                assertTrue(grown < 16 * 1024, "malloc's memory in use grew by " + grown + " KiB over 10,000 calls");
            }
        }
    }

    @Test
    void refusesPartialImagesAndFusedNetworks() {
        InceptionNetwork net = network(Architecture.GOOGLENET_TORCHVISION, 64, 0.25);
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            try (OneDnnNetwork compiled = OneDnnNetwork.compile(net, Precision.FP32, 1)) {
                var e = assertThrows(IllegalArgumentException.class,
                        () -> compiled.logits(FloatBuffer.allocate(3 * 64 * 64 + 5)));
                assertTrue(e.getMessage().contains("not a whole number of 3×64×64 images"), e.getMessage());
            }
            InceptionNetwork fused = InferenceOptimizer.fusePointwise(net, m);
            var e = assertThrows(UnsupportedOperationException.class,
                    () -> OneDnnNetwork.compile(fused, Precision.FP32, 1));
            assertTrue(e.getMessage().contains("fused 1×1"), e.getMessage());
        }
    }

    private static InceptionNetwork network(Architecture a, int size, double width) {
        return new InceptionNetwork(a.spec(a.defaultOptions().withInputSize(size).withAuxHeads(false)
                .withWidthMultiplier(width).withNumClasses(10)));
    }

    /** glibc's mallinfo2: what malloc holds, the JVM's heap not included (it maps its own). */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost"})
    public static final class MallInfo extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }

    interface C extends Library {
        MallInfo mallinfo2();
    }

    /** KiB allocated through malloc and in use (small blocks and mapped large ones): where oneDNN's memory lives. */
    private static long mallocKiB() {
        MallInfo info = Native.load("c", C.class).mallinfo2();
        return (info.uordblks + info.hblkhd) / 1024;
    }
}
