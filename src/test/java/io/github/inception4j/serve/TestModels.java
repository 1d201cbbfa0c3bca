package io.github.inception4j.serve;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.inception4j.data.FashionMnist;
import io.github.inception4j.data.ImageEncoder;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.data.Preprocessing;
import java.io.IOException;
import java.nio.file.Path;

/** A small randomly initialised classifier checkpoint and sample images for the server tests. */
public final class TestModels {

    private TestModels() {
    }

    /** Quarter-width GoogLeNet (torchvision layout) at 32 × 32 with the ten Fashion-MNIST classes. */
    public static Path smallCheckpoint(Path dir) throws IOException {
        Architecture arch = Architecture.byName("googlenet-torchvision");
        ModelOptions options = arch.defaultOptions().withNumClasses(10).withWidthMultiplier(0.25).withInputSize(32)
                .withAuxHeads(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            InceptionNetwork net = new InceptionNetwork(arch.spec(options));
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Checkpoint.save(dir, net, new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, arch.cliName(), options,
                    FashionMnist.CLASSES, Preprocessing.tensorflow(32), new Checkpoint.Provenance("random init",
                    "", "", "test")));
        }
        return dir;
    }

    /** A Fashion-MNIST test image as an encoded file ("png", "jpg", ...). */
    public static byte[] sample(int index, String format) {
        return ImageEncoder.encode(FashionMnist.embeddedSubset(FashionMnist.Split.TEST).image(index), format);
    }
}
