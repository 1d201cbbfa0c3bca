package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDecoder;
import java.nio.file.Path;
import java.util.List;

/**
 * Images with annotated objects, addressed by index: a Pascal VOC directory ({@link VocDataset}), a COCO instances
 * file ({@link CocoDataset}). Images are decoded on demand.
 */
public interface DetectionDataset {

    int size();

    List<String> classNames();

    /** The objects of image {@code index}, known without decoding it. */
    List<Annotation> annotations(int index);

    /** The image file of example {@code index}. */
    Path file(int index);

    /**
     * Decodes image {@code index}.
     *
     * @throws io.github.inception4j.data.ImageDecodeException if the stored image cannot be decoded
     */
    default FloatImage image(int index) {
        return ImageDecoder.decode(file(index));
    }

    /** The first {@code n} images of {@code data}. */
    static DetectionDataset first(DetectionDataset data, int n) {
        if (n < 1 || n > data.size()) {
            throw new IllegalArgumentException("cannot take " + n + " of " + data.size() + " images");
        }
        return new DetectionDataset() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public List<String> classNames() {
                return data.classNames();
            }

            @Override
            public List<Annotation> annotations(int index) {
                return data.annotations(index);
            }

            @Override
            public Path file(int index) {
                return data.file(index);
            }

            @Override
            public FloatImage image(int index) {
                return data.image(index);
            }
        };
    }
}
