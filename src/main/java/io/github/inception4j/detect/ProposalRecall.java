package io.github.inception4j.detect;

import java.util.List;

/** How many annotated objects a proposal method covers: recall at an IoU against the number of proposals kept. */
public final class ProposalRecall {

    private ProposalRecall() {
    }

    /**
     * For each {@code counts[i]}: the share of annotations (ignored ones left out) that one of the first
     * {@code counts[i]} proposals of their image overlaps with IoU ≥ {@code iou}.
     */
    public static double[] recall(List<List<Annotation>> truth, List<List<Box>> proposals, int[] counts, double iou) {
        if (truth.size() != proposals.size()) {
            throw new IllegalArgumentException(truth.size() + " annotated images, proposals for " + proposals.size());
        }
        long[] covered = new long[counts.length];
        long total = 0;
        for (int i = 0; i < truth.size(); i++) {
            List<Box> p = proposals.get(i);
            for (Annotation a : truth.get(i)) {
                if (a.ignored()) {
                    continue;
                }
                total++;
                int first = Integer.MAX_VALUE;
                for (int k = 0; k < p.size(); k++) {
                    if (p.get(k).iou(a.box()) >= iou) {
                        first = k;
                        break;
                    }
                }
                for (int c = 0; c < counts.length; c++) {
                    covered[c] += first < counts[c] ? 1 : 0;
                }
            }
        }
        double[] out = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            out[c] = total == 0 ? Double.NaN : (double) covered[c] / total;
        }
        return out;
    }

    /** The mean number of proposals per image. */
    public static double meanCount(List<List<Box>> proposals) {
        return proposals.stream().mapToInt(List::size).average().orElse(0);
    }
}
