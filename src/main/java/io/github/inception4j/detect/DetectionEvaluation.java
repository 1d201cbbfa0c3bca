package io.github.inception4j.detect;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDecodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A detector scored on a detection dataset: VOC's per-class AP at IoU 0.5 (all-point and 11-point), COCO's
 * AP@[.5:.95] family, and the recall of the detector's proposals at IoU 0.5 and 0.7. An image that cannot be
 * decoded is counted and left out (with its objects), never the end of the evaluation.
 */
public record DetectionEvaluation(List<String> classNames, int images, int skipped, int objects,
                                  double proposalsPerImage, double recall50, double recall70,
                                  List<DetectionMetrics.Curve> curves, double map, double map11,
                                  DetectionMetrics.Coco coco, double seconds) {

    /** Scores {@code detector} on the first {@code limit} images of {@code data} (all when 0). */
    public static DetectionEvaluation of(ObjectDetector detector, DetectionDataset data, int limit,
                                         IntConsumer progress) {
        if (!detector.classNames().equals(data.classNames())) {
            throw new IllegalArgumentException("the detector knows " + detector.classNames() + ", the data "
                    + data.classNames());
        }
        int n = limit > 0 ? Math.min(limit, data.size()) : data.size();
        long start = System.nanoTime();
        List<List<Annotation>> truth = new ArrayList<>();
        List<List<Detection>> found = new ArrayList<>();
        List<List<Box>> proposals = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < n; i++) {
            FloatImage image;
            try {
                image = data.image(i);
            } catch (ImageDecodeException e) {
                skipped++;
                continue;
            }
            truth.add(data.annotations(i));
            // Proposals once: they are both what recall is measured on and what the classifiers see.
            List<Box> p = detector.proposals(image);
            proposals.add(p);
            found.add(detector.detect(image, p));
            progress.accept(i + 1);
        }
        int classes = data.classNames().size();
        List<DetectionMetrics.Curve> curves = DetectionMetrics.voc(truth, found, classes, 0.5);
        int[] all = {Integer.MAX_VALUE};
        int objects = (int) truth.stream().flatMap(List::stream).filter(a -> !a.ignored()).count();
        return new DetectionEvaluation(data.classNames(), n - skipped, skipped, objects,
                ProposalRecall.meanCount(proposals), ProposalRecall.recall(truth, proposals, all, 0.5)[0],
                ProposalRecall.recall(truth, proposals, all, 0.7)[0], curves, DetectionMetrics.meanAp(curves, false),
                DetectionMetrics.meanAp(curves, true), DetectionMetrics.coco(truth, found, classes),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * The evaluation as one JSON document (what {@code evaluate-detection --json} prints); an AP that is not defined
     * (a class with no objects in the images scored) is null.
     */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("images", images);
        o.addProperty("skipped", skipped);
        o.addProperty("objects", objects);
        JsonObject p = new JsonObject();
        p.addProperty("perImage", proposalsPerImage);
        number(p, "recall50", recall50);
        number(p, "recall70", recall70);
        o.add("proposals", p);
        JsonObject voc = new JsonObject();
        number(voc, "map50", map);
        number(voc, "map50_11point", map11);
        JsonArray perClass = new JsonArray();
        for (DetectionMetrics.Curve c : curves) {
            JsonObject k = new JsonObject();
            k.addProperty("class", classNames.get(c.label()));
            k.addProperty("objects", c.positives());
            number(k, "ap50", c.ap());
            number(k, "ap50_11point", c.ap11());
            perClass.add(k);
        }
        voc.add("perClass", perClass);
        o.add("voc", voc);
        JsonObject cocoJson = new JsonObject();
        number(cocoJson, "ap", coco.ap());
        number(cocoJson, "ap50", coco.ap50());
        number(cocoJson, "ap75", coco.ap75());
        number(cocoJson, "apSmall", coco.apSmall());
        number(cocoJson, "apMedium", coco.apMedium());
        number(cocoJson, "apLarge", coco.apLarge());
        o.add("coco", cocoJson);
        o.addProperty("seconds", seconds);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(o);
    }

    private static void number(JsonObject o, String key, double value) {
        if (Double.isFinite(value)) {
            o.addProperty(key, value);
        } else {
            o.add(key, JsonNull.INSTANCE);
        }
    }
}
