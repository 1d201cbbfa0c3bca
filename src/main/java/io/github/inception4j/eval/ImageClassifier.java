package io.github.inception4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.nn.LogitsSession;
import io.github.inception4j.onednn.OneDnnNetwork;
import io.github.inception4j.onednn.Precision;
import io.github.inception4j.onnx.OnnxRuntimeSession;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.Shape3;
import io.github.inception4j.data.Preprocessing;
import io.github.inception4j.weights.LoadedModel;
import io.github.inception4j.weights.ModelLoader;
import io.github.inception4j.weights.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A trained network with everything needed to classify images: its weights, the preprocessing that belongs to
 * them and its class names. Images go in decoded ({@link FloatImage}) or as files; probabilities, top-k
 * predictions or named endpoints come out. Safe for concurrent use: each call works in its own native scope and
 * switches gradient recording off on its own thread.
 *
 * <p>Probabilities come from the chosen {@link InferenceBackend}: DJL's engine, ONNX Runtime on the network's ONNX
 * export, or oneDNN primitives compiled from the spec (both faster on CPU, within 1e-4 of DJL's logits in float32;
 * {@code OnnxRuntimeSessionTest}, {@code OneDnnNetworkTest}). Endpoints and features always come from DJL's engine,
 * which holds the weights either way.
 *
 * <pre>{@code
 * try (ImageClassifier classifier = ImageClassifier.load(Path.of("run/model"))) {
 *     List<ImageClassifier.Prediction> top5 = classifier.classify(Path.of("shirt.png"), 5);
 * }
 * }</pre>
 */
public final class ImageClassifier implements AutoCloseable {

    /** A class and its probability. */
    public record Prediction(int index, String label, double probability) {
    }

    /** Floats per forward pass when many views are classified (about 16 MB): bounds native memory. */
    private static final int FLOATS_PER_FORWARD = 1 << 22;

    private final NDManager manager;
    private final LoadedModel model;
    private final InceptionNetwork network;
    private final Preprocessing preprocessing;
    /** The compiled session (ONNX Runtime, oneDNN) probabilities come from, or null to run them on DJL's engine. */
    private final LogitsSession compiled;

    private final InferenceBackend backend;

    private ImageClassifier(NDManager manager, LoadedModel model, InferenceBackend backend,
                            LogitsSession compiled) {
        this.manager = manager;
        this.backend = backend;
        this.model = model;
        this.network = model.network();
        this.preprocessing = model.requirePreprocessing();
        this.compiled = compiled;
    }

    /**
     * Loads a checkpoint directory to run on {@link InferenceBackend#DEFAULT} (the fastest exact path); see
     * {@link #load(Path, InferenceBackend)}. Features still come from the DJL network.
     */
    public static ImageClassifier load(Path checkpoint) {
        return load(checkpoint, InferenceBackend.DEFAULT);
    }

    /** Loads a checkpoint directory: architecture, options, class names and preprocessing come from it. */
    public static ImageClassifier load(Path checkpoint, InferenceBackend backend) {
        return open(ModelLoader.checkpoint(checkpoint), backend);
    }

    /**
     * Loads whatever {@code loader} describes (a checkpoint, or a bare weight file with its architecture and, when
     * its format does not imply one, a named preprocessing), strictly. A classifier needs the preprocessing that
     * belongs to its weights: weights without one are refused.
     */
    public static ImageClassifier open(ModelLoader loader, InferenceBackend backend) {
        NDManager manager = NDManager.newBaseManager();
        try {
            LoadedModel model = loader.load(manager);
            Preprocessing chosen = model.requirePreprocessing();
            if (chosen.inputSize() != model.options().inputSize()) {
                throw new IllegalArgumentException("the preprocessing makes " + chosen.inputSize() + "×"
                        + chosen.inputSize() + " inputs but the network was built for " + model.options().inputSize());
            }
            int threads = Runtime.getRuntime().availableProcessors();
            LogitsSession session = switch (backend) {
                case DJL -> null;
                case ONNXRUNTIME -> OnnxRuntimeSession.of(model.network(), threads);
                case ONNXRUNTIME_INT8 -> OnnxRuntimeSession.of(Int8Checkpoint.model(model), model.network().spec(),
                        threads);
                case ONEDNN -> OneDnnNetwork.compile(model.network(), Precision.FP32, threads);
                case ONEDNN_BF16 -> OneDnnNetwork.compile(model.network(), Precision.BF16, threads);
                case ONEDNN_INT8 -> OneDnnNetwork.compileInt8(model.network(), Int8Checkpoint.calibration(model),
                        threads);
            };
            return new ImageClassifier(manager, model, backend, session);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Architecture architecture() {
        return model.architecture();
    }

    public ModelOptions options() {
        return model.options();
    }

    public NetworkSpec spec() {
        return network.spec();
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public List<String> classNames() {
        return model.classNames();
    }

    public InferenceBackend backend() {
        return backend;
    }

    /** The checkpoint or file the weights came from. */
    public String source() {
        return model.source();
    }

    /** The top {@code k} classes of one image file, centre view (decoded no larger than that view needs). */
    public List<Prediction> classify(Path image, int k) {
        return classify(List.of(decoder(List.of(CropProtocol.CENTER)).read(image)), k).get(0);
    }

    /** A decoder that keeps what the protocols' views need of an image, and subsamples what is far larger. */
    public ImageDecoder decoder(List<CropProtocol> protocols) {
        return ImageDecoder.forView(viewSide(protocols));
    }

    private int viewSide(List<CropProtocol> protocols) {
        return protocols.stream().mapToInt(p -> p.viewSide(preprocessing)).max().orElseThrow();
    }

    /** {@link #preprocess(FloatImage, List)} as a loader transform (ensembles, evaluation). */
    public DataLoader.SampleTransform transform(List<CropProtocol> protocols) {
        int side = viewSide(protocols);
        return new DataLoader.SampleTransform() {
            @Override
            public float[] apply(FloatImage image, SplittableRandom random) {
                return preprocess(image, protocols);
            }

            @Override
            public int viewSide() {
                return side;
            }
        };
    }

    /** The top {@code k} classes of each image, from its single {@link CropProtocol#CENTER} view. */
    public List<List<Prediction>> classify(List<FloatImage> images, int k) {
        return Arrays.stream(probabilities(images, CropProtocol.CENTER)).map(p -> topK(p, k)).toList();
    }

    /** The {@code k} most probable classes, most probable first (ties: lower index first). */
    public List<Prediction> topK(float[] probabilities, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
        }
        return IntStream.range(0, probabilities.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -probabilities[i]).thenComparingInt(i -> i))
                .limit(k).map(i -> new Prediction(i, classNames().get(i), probabilities[i])).toList();
    }

    /**
     * Class probabilities of each image (rows), averaged over the protocol's views: softmax first, then the mean
     * (P1 §7).
     */
    public float[][] probabilities(List<FloatImage> images, CropProtocol protocol) {
        int views = protocol.views();
        int length = views * sampleLength();
        float[][] out = new float[images.size()][];
        // Whole images per batch of views, as many as fit the budget (at least one).
        int imagesPerBatch = Math.max(1, FLOATS_PER_FORWARD / length);
        for (int start = 0; start < images.size(); start += imagesPerBatch) {
            int n = Math.min(imagesPerBatch, images.size() - start);
            float[] x = new float[n * length];
            for (int i = 0; i < n; i++) {
                preprocess(images.get(start + i), List.of(protocol), x, i * length);
            }
            float[][] p = probabilitiesOfViews(x, n, views);
            System.arraycopy(p, 0, out, start, n);
        }
        return out;
    }

    /**
     * Class probabilities of {@code images} preprocessed images of {@code views} views each (what
     * {@link #preprocess} returns, laid one after another), averaged over each image's views: one row per image.
     */
    public float[][] probabilitiesOfViews(float[] preprocessed, int images, int views) {
        float[][] p = probabilitiesOf(preprocessed, images * views);
        float[][] out = new float[images][];
        for (int i = 0; i < images; i++) {
            out[i] = mean(p, i * views, views);
        }
        return out;
    }

    /**
     * The views of {@code image} under each protocol in turn, normalised for these weights and laid one after
     * another: (Σ views) × 3 × S × S floats, what {@link #probabilitiesOf} takes.
     */
    public float[] preprocess(FloatImage image, List<CropProtocol> protocols) {
        float[] out = new float[protocols.stream().mapToInt(CropProtocol::views).sum() * sampleLength()];
        preprocess(image, protocols, out, 0);
        return out;
    }

    private void preprocess(FloatImage image, List<CropProtocol> protocols, float[] out, int offset) {
        for (CropProtocol protocol : protocols) {
            for (FloatImage view : protocol.views(image, preprocessing)) {
                ImagePipeline.normalize(view, preprocessing, out, offset);
                offset += sampleLength();
            }
        }
    }

    /**
     * Class probabilities of a preprocessed batch: {@code (n, 3, S, S)} floats, normalised already (what
     * {@code inception forward} takes); one row per sample. Large batches run in several passes.
     */
    public float[][] probabilitiesOf(float[] preprocessed, int n) {
        float[][] logits = logitsOf(preprocessed, n);
        for (float[] row : logits) {
            softmaxRows(row, 1);
        }
        return logits;
    }

    /**
     * The network's outputs before the softmax for a preprocessed batch (as {@link #probabilitiesOf}): one row of
     * K logits per sample — what a network whose outputs are not classes (a MultiBox regressor) is read by.
     */
    public float[][] logitsOf(float[] preprocessed, int n) {
        int sample = sampleLength();
        if (preprocessed.length != n * sample) {
            throw new IllegalArgumentException("expected " + n + " × " + sample + " floats (n × 3 × S × S), got "
                    + preprocessed.length);
        }
        int perPass = Math.max(1, FLOATS_PER_FORWARD / sample);
        float[][] out = new float[n][];
        for (int start = 0; start < n; start += perPass) {
            int count = Math.min(perPass, n - start);
            float[] z = compiled != null
                    ? compiled.logits(FloatBuffer.wrap(preprocessed, start * sample, count * sample))
                    : run(preprocessed, start, count,
                            (net, store, x) -> net.forward(store, new NDList(x), false).head());
            int k = z.length / count;
            for (int i = 0; i < count; i++) {
                out[start + i] = Arrays.copyOfRange(z, i * k, (i + 1) * k);
            }
        }
        return out;
    }

    /** Softmax of each of the {@code rows} rows of {@code logits}, in place (max subtracted first, as torch does). */
    private static float[] softmaxRows(float[] logits, int rows) {
        int k = logits.length / rows;
        for (int r = 0; r < rows; r++) {
            int from = r * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < from + k; i++) {
                max = Math.max(max, logits[i]);
            }
            double sum = 0;
            for (int i = from; i < from + k; i++) {
                logits[i] = (float) Math.exp(logits[i] - max);
                sum += logits[i];
            }
            for (int i = from; i < from + k; i++) {
                logits[i] /= (float) sum;
            }
        }
        return logits;
    }

    /** Floats per preprocessed sample: 3 × S × S. */
    public int sampleLength() {
        return 3 * preprocessing.inputSize() * preprocessing.inputSize();
    }

    /**
     * The output of endpoint {@code endpoint} (a layer of the main path, e.g. {@code inception4e} or
     * {@link NetworkSpec#preLogitsEndpoint()}) for each image's centre view: shape (N, C) when the endpoint is
     * 1 × 1 spatially (pooled features), else (N, C, H, W).
     */
    public Tensor features(List<FloatImage> images, String endpoint) {
        Shape3 shape = network.spec().endpointShapes().get(endpoint);
        if (shape == null || !network.spec().layers().stream().anyMatch(l -> l.name().equals(endpoint))) {
            throw new IllegalArgumentException(network.spec().name() + " has no endpoint '" + endpoint
                    + "' on its main path; endpoints: " + String.join(", ", network.spec().layers().stream()
                    .map(l -> l.name()).toList()));
        }
        int sample = sampleLength();
        int perPass = Math.max(1, FLOATS_PER_FORWARD / sample);
        int per = shape.channels() * shape.height() * shape.width();
        float[] values = new float[images.size() * per];
        for (int start = 0; start < images.size(); start += perPass) {
            int count = Math.min(perPass, images.size() - start);
            float[] x = new float[count * sample];
            for (int i = 0; i < count; i++) {
                preprocess(images.get(start + i), List.of(CropProtocol.CENTER), x, i * sample);
            }
            float[] chunk = run(x, 0, count, (net, store, in) -> net.forwardEndpoints(store, in, false).get(endpoint));
            System.arraycopy(chunk, 0, values, start * per, chunk.length);
        }
        long n = images.size();
        long[] dims = shape.height() == 1 && shape.width() == 1 ? new long[] {n, shape.channels()}
                : new long[] {n, shape.channels(), shape.height(), shape.width()};
        return Tensor.ofFloats(endpoint, dims, values);
    }

    @FunctionalInterface
    private interface Pass {
        NDArray apply(InceptionNetwork network, ParameterStore store, NDArray input);
    }

    /**
     * Runs {@code pass} on samples [first, first + n) in a native scope of its own; only its result crosses. One
     * sample runs as a batch of two, the second all zeros and its output dropped: at batch 1 libtorch hands the small
     * late convolutions to NNPACK's path, which probes NNPACK on every call and, on a CPU it does not support, logs
     * a warning per convolution (56 lines an image; docs/detection.md).
     */
    private float[] run(float[] preprocessed, int first, int n, Pass pass) {
        int size = preprocessing.inputSize();
        int sample = sampleLength();
        int batch = Math.max(2, n);
        FloatBuffer samples = FloatBuffer.wrap(preprocessed, first * sample, n * sample);
        if (batch > n) {
            samples = FloatBuffer.allocate(batch * sample).put(samples).rewind();
        }
        JniUtils.setGradMode(false);
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(samples, new Shape(batch, 3, size, size));
            float[] out = pass.apply(network, new ParameterStore(scope, false), x).toFloatArray();
            return batch == n ? out : Arrays.copyOf(out, out.length / batch * n);
        }
    }

    /** The element-wise mean of rows [from, from + count): probabilities averaged over views or models (P1 §7). */
    static float[] mean(float[][] rows, int from, int count) {
        float[] out = new float[rows[from].length];
        for (int r = from; r < from + count; r++) {
            for (int c = 0; c < out.length; c++) {
                out[c] += rows[r][c];
            }
        }
        for (int c = 0; c < out.length; c++) {
            out[c] /= count;
        }
        return out;
    }

    @Override
    public void close() {
        try (manager) {
            if (compiled != null) {
                compiled.close();
            }
        }
    }
}
