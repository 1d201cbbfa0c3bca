package io.github.inception4j.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression, per class: by falling score, a box is dropped if it overlaps a kept one. */
public final class Nms {

    private Nms() {
    }

    /** Keeps, per class, each detection whose IoU with every higher-scored kept one of its class is ≤ {@code iou}. */
    public static List<Detection> perClass(List<Detection> detections, double iou) {
        List<Detection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection d : sorted) {
            boolean suppressed = false;
            for (Detection k : kept) {
                if (k.label() == d.label() && k.box().iou(d.box()) > iou) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(d);
            }
        }
        return kept;
    }
}
