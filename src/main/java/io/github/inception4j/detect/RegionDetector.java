package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.eval.CropProtocol;
import io.github.inception4j.eval.ImageClassifier;
import java.util.ArrayList;
import java.util.List;

/**
 * P1 §8's detector: proposals, each warped and classified by one Inception network or the mean of several (an
 * ensemble, P1's six), a detection per proposal and class (background excluded) scoring at least
 * {@code minScore}, its box regressed for its class when there is a {@link BoxRegression} (R-CNN's; P1 has none)
 * and cut to the image, then non-maximum suppression per class.
 *
 * @param members region classifiers trained on {@link RegionCrops} (their last class is background)
 * @param proposer every proposal it makes is classified (cap it with {@link Proposer#first})
 * @param nmsIou R-CNN's 0.3
 * @param regression reads the first member's pooled features, or null: the proposals' own boxes
 */
public record RegionDetector(List<ImageClassifier> members, Proposer proposer, RegionWarp warp, double minScore,
                             double nmsIou, BoxRegression regression) {

    public RegionDetector {
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a detector needs at least one classifier");
        }
        int classes = members.get(0).classNames().size();
        if (members.stream().anyMatch(m -> m.classNames().size() != classes)
                || !members.get(0).classNames().get(classes - 1).equals(RegionCrops.BACKGROUND)) {
            throw new IllegalArgumentException("region classifiers must share their classes, background last");
        }
    }

    /** The detections of one image ({@code seed}: the proposer's ranking noise). */
    public List<Detection> detect(FloatImage image, long seed) {
        return detect(image, proposer.propose(image, seed));
    }

    /** The detections of one image among {@code proposals} (this detector's, made already). */
    public List<Detection> detect(FloatImage image, List<Box> proposals) {
        if (proposals.isEmpty()) {
            return List.of();
        }
        List<FloatImage> crops = proposals.stream().map(b -> warp.apply(image, b)).toList();
        int classes = members.get(0).classNames().size();
        float[][] mean = new float[crops.size()][classes];
        for (ImageClassifier m : members) {
            float[][] p = m.probabilities(crops, CropProtocol.CENTER);
            for (int i = 0; i < p.length; i++) {
                for (int c = 0; c < classes; c++) {
                    mean[i][c] += p[i][c] / members.size();
                }
            }
        }
        float[][] features = regression == null ? null : scoredFeatures(crops, mean, classes);
        List<Detection> found = new ArrayList<>();
        for (int i = 0; i < mean.length; i++) {
            for (int c = 0; c < classes - 1; c++) {
                if (mean[i][c] >= minScore) {
                    Box box = regression == null ? proposals.get(i)
                            : within(regression.refine(proposals.get(i), c, features[i]), image);
                    found.add(new Detection(box, c, mean[i][c]));
                }
            }
        }
        return Nms.perClass(found, nmsIou);
    }

    /**
     * The first member's features of the crops that score some class ≥ {@code minScore} (null for the rest): most
     * proposals are background, and the features run on DJL's engine.
     */
    private float[][] scoredFeatures(List<FloatImage> crops, float[][] mean, int classes) {
        List<Integer> scored = new ArrayList<>();
        for (int i = 0; i < mean.length; i++) {
            for (int c = 0; c < classes - 1; c++) {
                if (mean[i][c] >= minScore) {
                    scored.add(i);
                    break;
                }
            }
        }
        float[][] rows = new float[crops.size()][];
        if (scored.isEmpty()) {
            return rows;
        }
        float[][] computed = features(members.get(0), scored.stream().map(crops::get).toList());
        for (int k = 0; k < scored.size(); k++) {
            rows[scored.get(k)] = computed[k];
        }
        return rows;
    }

    /** The length of the pooled features box regression reads from {@code classifier}. */
    static int featureLength(ImageClassifier classifier) {
        return classifier.spec().endpointShapes().get(classifier.spec().preLogitsEndpoint()).channels();
    }

    /** Each crop's pooled features (the input of the classifier's last layer): one row of {@link #featureLength}. */
    static float[][] features(ImageClassifier classifier, List<FloatImage> crops) {
        int d = featureLength(classifier);
        float[] all = classifier.features(crops, classifier.spec().preLogitsEndpoint()).toFloats();
        float[][] rows = new float[crops.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = java.util.Arrays.copyOfRange(all, i * d, (i + 1) * d);
        }
        return rows;
    }

    /** {@code box} cut to the image (R-CNN clips regressed boxes). */
    private static Box within(Box box, FloatImage image) {
        double w = image.width();
        double h = image.height();
        return new Box(Math.min(Math.max(box.x0(), 0), w), Math.min(Math.max(box.y0(), 0), h),
                Math.min(Math.max(box.x1(), 0), w), Math.min(Math.max(box.y1(), 0), h));
    }
}
