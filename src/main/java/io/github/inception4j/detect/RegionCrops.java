package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDataset;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The region classifier's training data, as R-CNN fine-tunes (Girshick et al. 2014, §2.3): every annotated object,
 * and every proposal, warped ({@link RegionWarp}); a proposal whose best overlap with an object is IoU ≥ 0.5 takes
 * that object's class, one below 0.5 is background (an extra last class) — or, with another {@link Labelling},
 * positives from a higher overlap and the band between left out. Background outnumbers objects many times
 * over, so at most {@code backgroundPerImage} background proposals are kept per image, drawn with a seed (R-CNN
 * samples 96 background to 32 objects per batch for the same reason). Proposals on ignored objects are left out.
 */
public final class RegionCrops implements ImageDataset {

    public static final String BACKGROUND = "background";

    /**
     * Which proposals become what: IoU ≥ {@code positive} with an object takes its class, below
     * {@code background} is background, in between is left out.
     */
    public record Labelling(double positive, double background) {

        /** R-CNN's fine-tuning: ≥ 0.5 the object, the rest background. */
        public static final Labelling RCNN = new Labelling(0.5, 0.5);
        /**
         * The detectors' default: ≥ 0.7 the object, below 0.5 background, the band between left out — a proposal
         * that shows half an item is neither taught as the item nor as background (docs/detection.md: +3 points
         * mAP50 over {@link #RCNN} on the generated set).
         */
        public static final Labelling TIGHT = new Labelling(0.7, 0.5);

        public Labelling {
            if (!(background > 0 && background <= positive && positive <= 1)) {
                throw new IllegalArgumentException("labelling needs 0 < background ≤ positive ≤ 1, got " + background
                        + " and " + positive);
            }
        }
    }

    private record Crop(int image, Box box, int label) {
    }

    /** The annotation a box overlaps most (null, IoU 0 when it overlaps none), as R-CNN labels a proposal. */
    record Overlap(Annotation annotation, double iou) {
        static Overlap best(Box box, List<Annotation> annotations) {
            Annotation best = null;
            double most = 0;
            for (Annotation a : annotations) {
                double iou = box.iou(a.box());
                if (iou > most) {
                    most = iou;
                    best = a;
                }
            }
            return new Overlap(best, most);
        }
    }

    private final DetectionDataset data;
    private final RegionWarp warp;
    private final List<Crop> crops;
    private final List<String> classNames;
    /**
     * Decoded images by index, each shared by its ~25 crops (decoding per crop made the region classifiers' epochs
     * decode-bound); softly held, so a large dataset gives memory back rather than running out.
     */
    private final Map<Integer, SoftReference<FloatImage>> decoded = new ConcurrentHashMap<>();

    private RegionCrops(DetectionDataset data, RegionWarp warp, List<Crop> crops) {
        this.data = data;
        this.warp = warp;
        this.crops = crops;
        List<String> names = new ArrayList<>(data.classNames());
        names.add(BACKGROUND);
        this.classNames = List.copyOf(names);
    }

    /** R-CNN's labelling ({@link Labelling#RCNN}), every positive kept. */
    public static RegionCrops of(DetectionDataset data, List<List<Box>> proposals, RegionWarp warp,
                                 int backgroundPerImage, long seed) {
        return of(data, proposals, warp, Labelling.RCNN, Integer.MAX_VALUE, backgroundPerImage, seed);
    }

    /**
     * @param proposals each image's proposals, in dataset order
     * @param positivesPerObject at most this many proposals labelled as one object are kept, drawn with the seed
     *                           (refined proposals gather on the objects: tens of near-copies of each)
     */
    public static RegionCrops of(DetectionDataset data, List<List<Box>> proposals, RegionWarp warp,
                                 Labelling labelling, int positivesPerObject, int backgroundPerImage, long seed) {
        if (proposals.size() != data.size()) {
            throw new IllegalArgumentException(data.size() + " images but proposals for " + proposals.size());
        }
        int background = data.classNames().size();
        SplittableRandom random = new SplittableRandom(seed);
        List<Crop> crops = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            List<Annotation> objects = data.annotations(i);
            for (Annotation a : objects) {
                if (!a.ignored()) {
                    crops.add(new Crop(i, a.box(), a.label()));
                }
            }
            List<Crop> negatives = new ArrayList<>();
            Map<Annotation, List<Crop>> positives = new LinkedHashMap<>();
            for (Box p : proposals.get(i)) {
                Overlap overlap = Overlap.best(p, objects);
                Annotation best = overlap.annotation();
                double most = overlap.iou();
                if (best != null && most >= labelling.positive()) {
                    if (!best.ignored()) {
                        positives.computeIfAbsent(best, a -> new ArrayList<>()).add(new Crop(i, p, best.label()));
                    }
                } else if (best == null || most < labelling.background() && !best.ignored()) {
                    negatives.add(new Crop(i, p, background));
                }
            }
            for (List<Crop> ofObject : positives.values()) {
                crops.addAll(draw(ofObject, positivesPerObject, random));
            }
            crops.addAll(draw(negatives, backgroundPerImage, random));
        }
        return new RegionCrops(data, warp, List.copyOf(crops));
    }

    /** {@code n} of {@code crops} drawn without replacement (all, in order, when there are no more). */
    private static List<Crop> draw(List<Crop> crops, int n, SplittableRandom random) {
        if (crops.size() <= n) {
            return crops;
        }
        List<Crop> pool = new ArrayList<>(crops);
        for (int k = 0; k < n; k++) {
            int j = k + random.nextInt(pool.size() - k);
            Crop t = pool.get(k);
            pool.set(k, pool.get(j));
            pool.set(j, t);
        }
        return pool.subList(0, n);
    }

    /** The box of crop {@code index} in its image. */
    public Box box(int index) {
        return crops.get(index).box();
    }

    @Override
    public int size() {
        return crops.size();
    }

    @Override
    public int label(int index) {
        return crops.get(index).label();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public FloatImage image(int index) {
        Crop c = crops.get(index);
        SoftReference<FloatImage> held = decoded.get(c.image());
        FloatImage image = held == null ? null : held.get();
        if (image == null) {
            image = data.image(c.image());
            decoded.put(c.image(), new SoftReference<>(image));
        }
        return warp.apply(image, c.box());
    }

    @Override
    public String source(int index) {
        Crop c = crops.get(index);
        return data.file(c.image()) + " " + c.box();
    }
}
