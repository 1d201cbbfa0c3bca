package io.github.inception4j.data;

import java.util.List;

/**
 * Labelled images addressed by index. Implementations decode on demand (an ImageNet-sized folder is never held in
 * memory) and must allow concurrent {@link #image} calls from loader threads.
 */
public interface ImageDataset {

    int size();

    /** The class index of example {@code index}, known without decoding it. */
    int label(int index);

    List<String> classNames();

    /**
     * Decodes example {@code index}.
     *
     * @throws ImageDecodeException if the stored image cannot be decoded (corrupt, unsupported or too large)
     */
    FloatImage image(int index);

    /**
     * Decodes example {@code index} with {@code decoder} (bounded by the view side the pipeline needs); datasets
     * that hold decoded pixels ignore it.
     */
    default FloatImage image(int index, ImageDecoder decoder) {
        return image(index);
    }

    /** Where example {@code index} comes from, for messages: a path, or the set and position. */
    String source(int index);

    /** A view of the examples at {@code indices}, in that order. */
    default ImageDataset subset(int[] indices) {
        return new Subset(this, indices);
    }

    /** A view on a list of indices of another dataset. */
    record Subset(ImageDataset parent, int[] indices) implements ImageDataset {

        public Subset {
            for (int i : indices) {
                if (i < 0 || i >= parent.size()) {
                    throw new IllegalArgumentException("index " + i + " is outside the dataset (" + parent.size()
                            + " examples)");
                }
            }
        }

        @Override
        public int size() {
            return indices.length;
        }

        @Override
        public int label(int index) {
            return parent.label(indices[index]);
        }

        @Override
        public List<String> classNames() {
            return parent.classNames();
        }

        @Override
        public FloatImage image(int index) {
            return parent.image(indices[index]);
        }

        @Override
        public FloatImage image(int index, ImageDecoder decoder) {
            return parent.image(indices[index], decoder);
        }

        @Override
        public String source(int index) {
            return parent.source(indices[index]);
        }
    }
}
