package io.github.inception4j.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InceptionNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Native memory does not grow over 1,000 inference and 1,000 training iterations of a small network: every
 * iteration's arrays live in a sub-manager closed at its end, and optimizer state is created once.
 *
 * <p>Resident memory first rises for about 1,000 iterations and then stays flat (measured: 190 → 416 MiB, then
 * 417 MiB from iteration 1,000 to 3,000, with the count of arrays in the model's manager constant at 306): the
 * allocator's and oneDNN's caches warming up. So 1,000 iterations warm up, and the next 1,000 are measured. This
 * test found a real leak once: padded weight copies kept by the model's manager, about 0.9 MiB per pass.
 */
class MemoryTest {

    private static final int WARM_UP = 1000;
    private static final int ITERATIONS = 1000;

    @Test
    void residentMemoryStaysFlatOverAThousandIterations() throws IOException {
        Architecture a = Architecture.GOOGLENET_TORCHVISION;
        InceptionNetwork net = new InceptionNetwork(a.spec(a.defaultOptions().withWidthMultiplier(0.25)
                .withInputSize(32).withNumClasses(10)));
        try (NDManager manager = NDManager.newBaseManager()) {
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
            NDArray y = manager.randomInteger(0, 10, new Shape(2), DataType.INT64);
            ParameterStore store = new ParameterStore(manager, false);
            Map<Parameter, NDArray> momentum = new HashMap<>();
            for (boolean train : new boolean[] {false, true}) {
                double base = 0;
                for (int i = 0; i < WARM_UP + ITERATIONS; i++) {
                    if (i == WARM_UP) {
                        base = rssMb();
                    }
                    try (NDManager step = manager.newSubManager()) {
                        NDArray input = x.duplicate();
                        input.attach(step);
                        if (train) {
                            Benchmark.trainStep(net, store, input, y, 0.3f, momentum, step);
                        } else {
                            net.forward(store, new NDList(input), false).head().getFloat(0, 0);
                        }
                    }
                }
                double growth = rssMb() - base;
                assertTrue(growth < 16, (train ? "training" : "inference") + " grew resident memory by " + growth
                        + " MiB over " + ITERATIONS + " iterations");
            }
        }
    }

    private static double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
