package io.github.inception4j.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Detection datasets named as the command line names them: {@code coco:INSTANCES.json} (pictures beside the file
 * unless given), {@code voc:ROOT} (the split asked for), {@code generated} or {@code generated:DIR} (the generated
 * set, written into DIR — default {@value #GENERATED_DIR} — unless it is there already).
 */
public final class DetectionData {

    public static final String GENERATED_DIR = "generated-detection";
    /**
     * The generated set's size and seed: 3,000 training canvases (~10,500 items drawn from the subset's 6,000
     * training items, each at its own size, interpolation and background: the region classifiers' accuracy rose
     * with them, docs/detection.md) and 500 test canvases, seed 2026.
     * The canvases are drawn in order, so the first 1,000 are the 1,000-canvas set of earlier versions.
     */
    public static final int GENERATED_TRAIN = 3000;
    public static final int GENERATED_TEST = 500;
    public static final long GENERATED_SEED = 2026;

    private DetectionData() {
    }

    /**
     * @param split train or test (VOC: its ImageSets/Main name; COCO: ignored, the file is the split)
     * @param pictures COCO's picture folder, or null for the instances file's folder
     */
    public static DetectionDataset open(String source, String split, Path pictures) throws IOException {
        int colon = source.indexOf(':');
        String kind = colon < 0 ? source : source.substring(0, colon);
        String where = colon < 0 ? null : source.substring(colon + 1);
        switch (kind) {
            case "coco" -> {
                Path instances = Path.of(required(where, source));
                Path folder = pictures != null ? pictures
                        : instances.toAbsolutePath().getParent();
                return CocoDataset.open(instances, folder);
            }
            case "voc" -> {
                return VocDataset.open(Path.of(required(where, source)), split);
            }
            case "generated" -> {
                Path dir = Path.of(where == null || where.isEmpty() ? GENERATED_DIR : where);
                int index = switch (split) {
                    case "train" -> 0;
                    case "test" -> 1;
                    default -> throw new IllegalArgumentException("the generated set has a train and a test split, "
                            + "not '" + split + "'");
                };
                if (!Files.isRegularFile(dir.resolve("train.json")) || !Files.isRegularFile(dir.resolve("test.json"))) {
                    return GeneratedDetectionSet.write(dir, GENERATED_TRAIN, GENERATED_TEST, GENERATED_SEED).get(index)
                            .open();
                }
                return new GeneratedDetectionSet.Split(dir.resolve(split + ".json"), dir.resolve(split)).open();
            }
            default -> throw new IllegalArgumentException("unknown detection data '" + source
                    + "': use coco:INSTANCES.json, voc:ROOT or generated[:DIR]");
        }
    }

    private static String required(String where, String source) {
        if (where == null || where.isEmpty()) {
            throw new IllegalArgumentException("'" + source + "' names no file or folder");
        }
        return where;
    }
}
