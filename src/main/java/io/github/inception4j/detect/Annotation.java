package io.github.inception4j.detect;

/**
 * One annotated object: its box and class (0-based, in the dataset's class list).
 *
 * @param ignored left out of the metrics: VOC's {@code difficult} objects, COCO's crowd regions (a detection on one
 *                is neither right nor wrong)
 */
public record Annotation(Box box, int label, boolean ignored) {
    public Annotation {
        if (box == null || label < 0) {
            throw new IllegalArgumentException("an annotation needs a box and a class ≥ 0");
        }
    }
}
