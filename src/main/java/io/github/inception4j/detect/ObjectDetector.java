package io.github.inception4j.detect;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.json.JsonRecords;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.weights.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * P1 §8's detector as one loadable thing, beside {@link ImageClassifier}: a directory with {@value #FILE} (how
 * proposals are made and scored), the MultiBox checkpoint {@value #MULTIBOX} (when MultiBox proposes) and the
 * region classifiers' checkpoints {@code classifiers/1}, {@code classifiers/2}, … (an ensemble when more than one).
 *
 * <pre>{@code
 * try (ObjectDetector d = ObjectDetector.load(Path.of("detector"), InferenceBackend.DEFAULT)) {
 *     List<Detection> found = d.detect(ImageDecoder.decode(Path.of("street.png")));
 * }
 * }</pre>
 */
public final class ObjectDetector implements AutoCloseable {

    public static final String FILE = "detector.json";
    public static final String MULTIBOX = "multibox";
    public static final String CLASSIFIERS = "classifiers";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * How a detector proposes and scores.
     *
     * @param selectiveSearch Selective Search proposals kept per image (0: none), from one hierarchy at
     *                        k = 100 ({@link SelectiveSearch#defaults}), the superpixel size doubled when
     *                        {@code p1Doubled} (P1 §8)
     * @param diversified Selective Search's fast mode instead of one hierarchy ({@link SelectiveSearch#fast}: two
     *                    scales, two similarities; recall@0.7 62% → 75% on the generated set, docs/detection.md;
     *                    false in detectors written before it)
     * @param multiBox MultiBox proposals kept per image (0: none; P1 §8: 200)
     * @param warpSide the region classifiers' input (R-CNN's warp with 16/227 context)
     * @param minScore a class's probability below which a region is not reported for it
     * @param nmsIou non-maximum suppression per class (R-CNN's 0.3)
     * @param refine whether a {@link BoxRefiner} ({@value BoxRefiner#DIRECTORY}/) moves the proposals before they are
     *               classified (not P1's; false in detectors written before it)
     * @param boxRegression whether each detection's box is regressed ({@link BoxRegression}, R-CNN's; P1 has none;
     *                      false in detectors written before it)
     */
    public record Settings(int selectiveSearch, boolean p1Doubled, boolean diversified, int multiBox, boolean refine,
                           int warpSide, double minScore, double nmsIou, boolean boxRegression) {

        public Settings {
            if (selectiveSearch < 0 || multiBox < 0 || selectiveSearch + multiBox == 0) {
                throw new IllegalArgumentException("a detector needs Selective Search or MultiBox proposals");
            }
            if (warpSide < 8 || !(minScore >= 0 && minScore < 1) || !(nmsIou > 0 && nmsIou <= 1)) {
                throw new IllegalArgumentException("a detector needs a warp of ≥ 8 pixels, a score in [0, 1) and an "
                        + "NMS overlap in (0, 1]");
            }
        }

        /** P1 §8 on the generated set: Selective Search with doubled superpixels plus 200 MultiBox boxes. */
        public static Settings p1() {
            return new Settings(100, true, false, 200, false, 40, 0.05, 0.3, false);
        }

        public Settings withProposals(int selectiveSearchCount, int multiBoxCount) {
            return new Settings(selectiveSearchCount, p1Doubled, diversified, multiBoxCount, refine, warpSide, minScore,
                    nmsIou, boxRegression);
        }

        public Settings withBoxRegression(boolean value) {
            return new Settings(selectiveSearch, p1Doubled, diversified, multiBox, refine, warpSide, minScore, nmsIou,
                    value);
        }

        /** Selective Search in one hierarchy or diversified ({@link SelectiveSearch#fast}), superpixels doubled or not. */
        public Settings withSelectiveSearch(boolean doubled, boolean diversify) {
            return new Settings(selectiveSearch, doubled, diversify, multiBox, refine, warpSide, minScore, nmsIou,
                    boxRegression);
        }

        public Settings withRefinement(boolean value) {
            return new Settings(selectiveSearch, p1Doubled, diversified, multiBox, value, warpSide, minScore, nmsIou,
                    boxRegression);
        }

        public String toJson() {
            return GSON.toJson(this);
        }

        public static Settings fromJson(String json) {
            return JsonRecords.read(GSON, JsonRecords.parse(json, FILE), Settings.class, FILE);
        }
    }

    private final Settings settings;
    private final MultiBoxProposer multiBox;
    /** Null when the detector was trained without it. */
    private final BoxRefiner refiner;
    private final List<ImageClassifier> classifiers;
    /** Null when the detector was trained without it. */
    private final BoxRegression regression;
    private final RegionDetector detector;
    /** Whether closing this detector closes the networks (not for a view made by {@link #withFirstClassifiers}). */
    private final boolean owner;

    private ObjectDetector(Settings settings, MultiBoxProposer multiBox, BoxRefiner refiner,
                           List<ImageClassifier> classifiers, BoxRegression regression, boolean owner) {
        this.settings = settings;
        this.owner = owner;
        this.multiBox = multiBox;
        this.refiner = refiner;
        this.classifiers = classifiers;
        this.regression = regression;
        Proposer proposer = proposer(settings, multiBox);
        this.detector = new RegionDetector(classifiers, settings.refine() ? refiner.refining(proposer) : proposer,
                RegionWarp.rcnn(settings.warpSide()), settings.minScore(), settings.nmsIou(),
                settings.boxRegression() ? regression : null);
    }

    /**
     * The proposals {@code settings} asks for before any refinement: Selective Search's first, then MultiBox's
     * ({@code multiBox} null when not used).
     */
    static Proposer proposer(Settings settings, Proposer multiBox) {
        List<Proposer> parts = new ArrayList<>();
        if (settings.selectiveSearch() > 0) {
            SelectiveSearch search = settings.diversified() ? SelectiveSearch.fast() : SelectiveSearch.defaults();
            if (settings.p1Doubled()) {
                search = search.p1();
            }
            parts.add(search.first(settings.selectiveSearch()));
        }
        if (settings.multiBox() > 0) {
            parts.add(multiBox.first(settings.multiBox()));
        }
        return parts.size() == 1 ? parts.get(0) : new UnionProposer(parts);
    }

    /**
     * The detector in {@code dir}; every checkpoint in it is verified. Region classifiers run on {@code backend};
     * MultiBox on DJL's engine (its head reads a spatial map, which the compiled backends do not take).
     */
    public static ObjectDetector load(Path dir, InferenceBackend backend) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " is not a detector: it has no " + FILE);
        }
        Settings settings;
        try {
            settings = Settings.fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<ImageClassifier> classifiers = new ArrayList<>();
        MultiBoxProposer multiBox = null;
        BoxRefiner refiner = null;
        try {
            for (Path member : members(dir)) {
                classifiers.add(ImageClassifier.load(member, backend));
            }
            if (classifiers.isEmpty()) {
                throw new IllegalArgumentException(dir + " has no region classifier in " + CLASSIFIERS + "/");
            }
            if (settings.multiBox() > 0) {
                multiBox = MultiBoxProposer.load(dir.resolve(MULTIBOX), settings.multiBox(), InferenceBackend.DJL);
            }
            if (settings.refine()) {
                refiner = BoxRefiner.load(dir.resolve(BoxRefiner.DIRECTORY), backend);
            }
            BoxRegression regression = null;
            if (settings.boxRegression()) {
                ImageClassifier first = classifiers.get(0);
                regression = BoxRegression.read(dir.resolve(BoxRegression.FILE), first.classNames().size() - 1,
                        RegionDetector.featureLength(first));
            }
            return new ObjectDetector(settings, multiBox, refiner, classifiers, regression, true);
        } catch (RuntimeException e) {
            classifiers.forEach(ImageClassifier::close);
            if (multiBox != null) {
                multiBox.close();
            }
            if (refiner != null) {
                refiner.close();
            }
            throw e;
        }
    }

    /** The region classifiers' checkpoints: classifiers/1, classifiers/2, … in order. */
    static List<Path> members(Path dir) {
        List<Path> out = new ArrayList<>();
        for (int i = 1; Files.isDirectory(dir.resolve(CLASSIFIERS).resolve(String.valueOf(i))); i++) {
            out.add(dir.resolve(CLASSIFIERS).resolve(String.valueOf(i)));
        }
        return out;
    }

    /** Writes {@value #FILE} into {@code dir} (atomically). */
    static void writeSettings(Path dir, Settings settings) throws IOException {
        Checkpoint.writeAtomically(dir.resolve(FILE), settings.toJson().getBytes(StandardCharsets.UTF_8));
    }

    public Settings settings() {
        return settings;
    }

    /** The object classes, without the region classifiers' background. */
    public List<String> classNames() {
        List<String> names = classifiers.get(0).classNames();
        return names.subList(0, names.size() - 1);
    }

    /** How many region classifiers average their probabilities. */
    public int ensembleSize() {
        return classifiers.size();
    }

    /** The objects found in {@code image}, NMS applied per class; the same image gives the same detections. */
    public List<Detection> detect(FloatImage image) {
        return detector.detect(image, 0);
    }

    /** This detector's proposals for {@code image} (what {@link #detect} classifies). */
    public List<Box> proposals(FloatImage image) {
        return detector.proposer().propose(image, 0);
    }

    /** The objects found among {@code proposals}, this detector's {@link #proposals} of {@code image}. */
    public List<Detection> detect(FloatImage image, List<Box> proposals) {
        return detector.detect(image, proposals);
    }

    /**
     * A view of this detector with other settings and its first {@code n} classifiers (Table 5 against Table 4);
     * it shares this detector's networks and closing it closes nothing.
     */
    public ObjectDetector withFirstClassifiers(int n, Settings other) {
        if (n < 1 || n > classifiers.size()) {
            throw new IllegalArgumentException("the detector has " + classifiers.size() + " classifiers, asked for "
                    + n);
        }
        if (other.multiBox() > 0 && multiBox == null) {
            throw new IllegalArgumentException("this detector has no MultiBox network");
        }
        if (other.boxRegression() && regression == null) {
            throw new IllegalArgumentException("this detector was trained without box regression");
        }
        if (other.refine() && refiner == null) {
            throw new IllegalArgumentException("this detector has no box refiner");
        }
        return new ObjectDetector(other, multiBox, refiner, classifiers.subList(0, n), regression, false);
    }

    @Override
    public void close() {
        if (!owner) {
            return;
        }
        classifiers.forEach(ImageClassifier::close);
        if (multiBox != null) {
            multiBox.close();
        }
        if (refiner != null) {
            refiner.close();
        }
    }
}
