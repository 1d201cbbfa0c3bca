package io.github.inception4j.eval;

import ai.djl.ndarray.NDManager;
import io.github.inception4j.data.Augmentation;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.data.ImageDecodeException;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InferenceOptimizer;
import io.github.inception4j.onnx.Calibration;
import io.github.inception4j.onnx.Calibrator;
import io.github.inception4j.onnx.QuantizedExporter;
import io.github.inception4j.weights.Checkpoint;
import io.github.inception4j.weights.LoadedModel;
import io.github.inception4j.weights.ModelLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Post-training static quantization of a checkpoint: BatchNorm folded, ranges calibrated on images of the user's
 * own data through the float graph ({@link Calibrator}), the int8 ONNX model exported from the spec
 * ({@link QuantizedExporter}). The result is a checkpoint like its source (same float weights, so every float
 * path still works) that also carries {@value #MODEL} and its calibration ({@value Calibration#FILE}: method,
 * image count, data, date, every range), all covered by its checksums.
 */
public final class Int8Checkpoint {

    public static final String MODEL = "model.int8.onnx";
    /** Calibration batches: small, since every quantized activation of the batch comes back from the runtime. */
    private static final int BATCH = 8;

    /**
     * What {@link #quantize} did.
     *
     * @param skipped calibration images that could not be decoded (skipped, not fatal)
     * @param modelBytes size of the int8 model
     */
    public record Result(Path out, Calibration calibration, int skipped, long modelBytes, double seconds) {
    }

    private Int8Checkpoint() {
    }

    /**
     * Quantizes the checkpoint {@code source} into the new checkpoint {@code out}.
     *
     * @param data calibration images (the training data, not the test set); {@code images} of them are drawn at
     *             random (seeded), evaluated as the checkpoint's preprocessing prescribes
     * @param dataName where they came from, for the record
     */
    public static Result quantize(Path source, Path out, ImageDataset data, String dataName, int images,
                                  Calibration.Method method) throws IOException {
        if (images < 1) {
            throw new IllegalArgumentException("calibrate on at least one image");
        }
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager()) {
            LoadedModel model = ModelLoader.checkpoint(source).load(manager);
            InceptionNetwork folded = InferenceOptimizer.foldBatchNorm(model.network(), manager);
            ImagePipeline pipeline = new ImagePipeline(Augmentation.none(), model.requirePreprocessing());
            int[] chosen = sample(data.size(), images);
            int[] skipped = {0};
            int sample = pipeline.sampleLength();
            Calibrator.Batches batches = consumer -> {
                skipped[0] = 0;
                FloatBuffer batch = ByteBuffer.allocateDirect(BATCH * sample * Float.BYTES)
                        .order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (int index : chosen) {
                    try {
                        batch.put(pipeline.eval(data.image(index)));
                    } catch (ImageDecodeException e) {
                        skipped[0]++;
                        continue;
                    }
                    if (!batch.hasRemaining()) {
                        consumer.accept(batch.flip());
                        batch.clear();
                    }
                }
                if (batch.position() > 0) {
                    consumer.accept(batch.flip());
                }
            };
            Calibration calibration = Calibrator.calibrate(folded, batches, method, dataName,
                    Runtime.getRuntime().availableProcessors());
            byte[] int8 = QuantizedExporter.export(folded, calibration, 0);
            Checkpoint.save(out, model.network(), model.origin().metadata(), Map.of(MODEL, int8,
                    Calibration.FILE, calibration.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return new Result(out, calibration, skipped[0], int8.length, (System.nanoTime() - start) / 1e9);
        }
    }

    /** {@code count} distinct indices below {@code size}, drawn with a fixed seed, in ascending order. */
    static int[] sample(int size, int count) {
        int[] all = IntStream.range(0, size).toArray();
        SplittableRandom random = new SplittableRandom(0);
        int n = Math.min(count, size);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] chosen = Arrays.copyOf(all, n);
        Arrays.sort(chosen);
        return chosen;
    }

    /** The int8 model of a loaded quantized checkpoint (its checksums were verified when it was loaded). */
    static byte[] model(LoadedModel model) {
        Path file = Path.of(model.source()).resolve(MODEL);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(model.source() + " has no int8 model (" + MODEL + "); make one with "
                    + "`inception quantize`");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calibration of a loaded quantized checkpoint (its checksums were verified when it was loaded). */
    static Calibration calibration(LoadedModel model) {
        try {
            return calibration(Path.of(model.source()));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(model.source() + " has no calibration (" + Calibration.FILE + "); make "
                    + "one with `inception quantize`");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calibration a quantized checkpoint records. */
    public static Calibration calibration(Path checkpoint) throws IOException {
        return Calibration.fromJson(Files.readString(checkpoint.resolve(Calibration.FILE)));
    }
}
