package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.eval.CropProtocol;
import io.github.inception4j.eval.ImageClassifier;
import java.util.ArrayList;
import java.util.List;

/**
 * P1 §8's detector without box regression: proposals, each warped and classified by one Inception network or the
 * mean of several (an ensemble, P1's six), a detection per proposal and class (background excluded) scoring at
 * least {@code minScore}, then non-maximum suppression per class.
 *
 * @param members region classifiers trained on {@link RegionCrops} (their last class is background)
 * @param proposer every proposal it makes is classified (cap it with {@link Proposer#first})
 * @param nmsIou R-CNN's 0.3
 */
public record RegionDetector(List<ImageClassifier> members, Proposer proposer, RegionWarp warp, double minScore,
                             double nmsIou) {

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
        List<Detection> found = new ArrayList<>();
        for (int i = 0; i < mean.length; i++) {
            for (int c = 0; c < classes - 1; c++) {
                if (mean[i][c] >= minScore) {
                    found.add(new Detection(proposals.get(i), c, mean[i][c]));
                }
            }
        }
        return Nms.perClass(found, nmsIou);
    }
}
