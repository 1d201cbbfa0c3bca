package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.data.Preprocessing;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InferenceBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Class-agnostic box refinement before classification (not in P1, which has no box regression; Fast R-CNN's
 * regression target and loss, Girshick 2015, applied to the proposals as a cascade stage rather than after the
 * classifier): an Inception network looks at a proposal with half its size of context on every side and predicts
 * the offsets of the object it overlaps — R-CNN's (centre shift over size, log size ratio,
 * {@link BoxRegression#targets}) divided by {@link #SCALE} — so that a proposal holding part of an item becomes a box
 * around all of it, which the region classifier then scores. Trained on every proposal overlapping an object by at
 * least {@link #MIN_IOU} and on the objects' own boxes (smooth L1, {@link BoxRefinerLoss}), mirrored with
 * probability ½.
 *
 * <p>Why: on the generated set the proposals' boxes limit mAP (docs/detection.md: the region classifier reaches
 * 0.77 with the exact boxes among Selective Search's, 0.57 with Selective Search's alone), and R-CNN's linear
 * regression on pooled features tightens good boxes but does not bring loose ones over IoU 0.5.
 */
public final class BoxRefiner implements AutoCloseable {

    /** The refiner's checkpoint in a detector directory. */
    public static final String DIRECTORY = "refiner";
    /** Proposals overlapping an object at least this much are training examples (looser ones show too little). */
    public static final double MIN_IOU = 0.3;
    /**
     * Proposals per image kept as training examples, drawn with the seed (besides every object's own box): the
     * union proposes ~270 boxes an image, ~60 of them near an object, mostly near-copies.
     */
    static final int PROPOSALS_PER_IMAGE = 12;
    /** Fast R-CNN's target scaling: the offsets divided by these spread about as much as each other. */
    static final double[] SCALE = {0.1, 0.1, 0.2, 0.2};
    /** A refined side is at most this many times the proposal's (or as small as its inverse). */
    private static final double MAX_LOG_RATIO = Math.log(4);
    static final List<String> OUTPUTS = List.of("dx", "dy", "dw", "dh");

    /**
     * @param architecture registry name of the network
     * @param side its input: the proposal takes the middle half, context the rest
     * @param init a classifier checkpoint it starts from (its last layer, of another size, starts fresh), or null
     */
    public record Settings(String architecture, double widthMultiplier, int side, int epochs, int batchSize, double lr,
                           String init, long seed) {

        public Settings {
            if (side < 8 || epochs < 1 || batchSize < 2 || !(lr > 0)) {
                throw new IllegalArgumentException("a refiner needs a side ≥ 8, ≥ 1 epoch, a batch ≥ 2 and a "
                        + "learning rate > 0");
            }
        }

        /** googlenet-torchvision ×0.5 at 48 × 48 (a proposal's own side 24), 6 epochs. */
        public static Settings defaults() {
            return new Settings("googlenet-torchvision", 0.5, 48, 6, 32, 0.02, null, 0);
        }

        public Settings withEpochs(int value) {
            return new Settings(architecture, widthMultiplier, side, value, batchSize, lr, init, seed);
        }

        public Settings withInit(String value) {
            return new Settings(architecture, widthMultiplier, side, epochs, batchSize, lr, value, seed);
        }

        public Settings withSeed(long value) {
            return new Settings(architecture, widthMultiplier, side, epochs, batchSize, lr, init, value);
        }
    }

    private final ImageClassifier network;
    private final RegionWarp warp;

    private BoxRefiner(ImageClassifier network) {
        if (!network.classNames().equals(OUTPUTS)) {
            throw new IllegalArgumentException(network.source() + " is not a box refiner: its outputs are "
                    + network.classNames() + ", not " + OUTPUTS);
        }
        this.network = network;
        this.warp = warp(network.preprocessing().inputSize());
    }

    /** The refiner's view: the box in the middle half of a side × side warp. */
    static RegionWarp warp(int side) {
        return new RegionWarp(side, side / 4);
    }

    static Preprocessing preprocessing(int side) {
        return Preprocessing.centralCrop("refiner-[-1,1]", side, 1.0, Preprocessing.Normalization.MINUS_ONE_TO_ONE);
    }

    /** The refiner checkpoint {@code dir}, verified. */
    public static BoxRefiner load(Path dir, InferenceBackend backend) {
        ImageClassifier network = ImageClassifier.load(dir, backend);
        try {
            return new BoxRefiner(network);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The refiner's targets for {@code proposal} covering {@code object}: R-CNN's offsets over {@link #SCALE}. */
    static float[] targets(Box proposal, Box object) {
        double[] t = BoxRegression.targets(proposal, object);
        float[] out = new float[4];
        for (int k = 0; k < 4; k++) {
            out[k] = (float) (t[k] / SCALE[k]);
        }
        return out;
    }

    /** {@code proposal} moved by the network's outputs {@code out} (scaled back, the size change bounded). */
    static Box apply(Box proposal, float[] out, int offset) {
        double[] t = new double[4];
        for (int k = 0; k < 4; k++) {
            t[k] = out[offset + k] * SCALE[k];
        }
        t[2] = Math.max(-MAX_LOG_RATIO, Math.min(MAX_LOG_RATIO, t[2]));
        t[3] = Math.max(-MAX_LOG_RATIO, Math.min(MAX_LOG_RATIO, t[3]));
        return BoxRegression.apply(proposal, t);
    }

    /**
     * Each of {@code boxes} refined, in order, cut to the image; a box that would leave the image (or shrink below
     * a pixel) stays as it was.
     */
    public List<Box> refine(FloatImage image, List<Box> boxes) {
        if (boxes.isEmpty()) {
            return List.of();
        }
        int sample = network.sampleLength();
        float[] x = new float[boxes.size() * sample];
        for (int i = 0; i < boxes.size(); i++) {
            ImagePipeline.normalize(warp.apply(image, boxes.get(i)), network.preprocessing(), x, i * sample);
        }
        float[][] out = network.logitsOf(x, boxes.size());
        List<Box> refined = new ArrayList<>(boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            Box b = apply(boxes.get(i), out[i], 0);
            double x0 = Math.max(b.x0(), 0);
            double y0 = Math.max(b.y0(), 0);
            double x1 = Math.min(b.x1(), image.width());
            double y1 = Math.min(b.y1(), image.height());
            refined.add(x1 - x0 >= 1 && y1 - y0 >= 1 ? new Box(x0, y0, x1, y1) : boxes.get(i));
        }
        return refined;
    }

    /** A proposer whose boxes are {@code proposer}'s refined. */
    public Proposer refining(Proposer proposer) {
        return (image, seed) -> refine(image, proposer.propose(image, seed));
    }

    /**
     * Trains a refiner on {@code data} and the {@code proposals} of its images (dataset order) and writes the
     * checkpoint {@code model}.
     */
    public static void train(DetectionDataset data, List<List<Box>> proposals, Settings settings, Path model,
                             Consumer<RegressionTraining.Epoch> progress) throws IOException {
        RegionWarp view = warp(settings.side());
        List<FloatImage> views = new ArrayList<>();
        List<float[]> targets = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            List<Annotation> objects = data.annotations(i).stream().filter(a -> !a.ignored()).toList();
            if (objects.isEmpty()) {
                continue;
            }
            FloatImage image = data.image(i);
            List<Box> near = new ArrayList<>();
            for (Box p : proposals.get(i)) {
                RegionCrops.Overlap overlap = RegionCrops.Overlap.best(p, objects);
                if (overlap.annotation() != null && overlap.iou() >= MIN_IOU) {
                    near.add(p);
                }
            }
            Collections.shuffle(near, new Random(settings.seed() * 7_919 + i));
            List<Box> boxes = new ArrayList<>(objects.stream().map(Annotation::box).toList());
            boxes.addAll(near.subList(0, Math.min(PROPOSALS_PER_IMAGE, near.size())));
            for (Box p : boxes) {
                views.add(view.apply(image, p));
                targets.add(targets(p, RegionCrops.Overlap.best(p, objects).annotation().box()));
            }
        }
        ModelOptions options = Architecture.byName(settings.architecture()).defaultOptions()
                .withNumClasses(OUTPUTS.size()).withWidthMultiplier(settings.widthMultiplier())
                .withInputSize(settings.side()).withAuxHeads(false);
        RegressionTraining.Run run = new RegressionTraining.Run(settings.architecture(), options, OUTPUTS,
                preprocessing(settings.side()), settings.epochs(), settings.batchSize(), settings.lr(),
                settings.init(), settings.seed());
        RegressionTraining.train(run, new RegressionTraining.Examples() {
            @Override
            public int size() {
                return views.size();
            }

            @Override
            public FloatImage view(int i) {
                return views.get(i);
            }

            @Override
            public float[] targets(int i, boolean mirrored) {
                float[] t = targets.get(i);
                // Mirrored, the centre moves the other way; sizes do not change.
                return mirrored ? new float[] {-t[0], t[1], t[2], t[3]} : t;
            }
        }, new BoxRefinerLoss(), model, Map.of(), "box refiner on " + views.size() + " proposals", progress);
    }

    @Override
    public void close() {
        network.close();
    }
}
