package io.github.inception4j.eval;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.data.Interpolation;
import io.github.inception4j.data.Resize;
import io.github.inception4j.data.Preprocessing;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The test-time protocols of the papers: every view of an image is classified and the softmax probabilities are
 * averaged (P1 §7, P2 §10). The number of views is the protocol's cost per image, as P1 Table 3 counts it.
 */
public enum CropProtocol {
    /** The single view that belongs to the weights' preprocessing (central crop; P2 Table 3's single crop). */
    CENTER("center", 1),
    /**
     * The central view and its mirror: P1 §7's mirroring without its zoom. P1's crops are cut from the image
     * enlarged beyond the input (256/224 and more), which a network trained on milder crops has never seen
     * (Fashion-MNIST at 40 × 40: 10 and 144 crops score worse than the centre, docs/benchmarks.md).
     */
    MIRROR("mirror", 2),
    /** Four corners and the centre of the image resized to 256 (for 224), and their mirrors (AlexNet, P1 §7). */
    TEN("10", 10),
    /** P1 §7: 4 scales × 3 squares × (5 crops + the whole square) × 2 mirrors. */
    MULTI_144("144", 144);

    private final String id;
    private final int views;

    CropProtocol(String id, int views) {
        this.id = id;
        this.views = views;
    }

    /** As the command line writes it: center, mirror, 10 or 144. */
    public String id() {
        return id;
    }

    /** Views per image. */
    public int views() {
        return views;
    }

    public static CropProtocol byId(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown crop protocol '" + id + "'; use one of "
                        + String.join(", ", new Ids())));
    }

    /** Every protocol's {@link #id()}, for an error and the command line's help ({@code ${COMPLETION-CANDIDATES}}). */
    public static final class Ids implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(CropProtocol::id).iterator();
        }
    }

    /** The protocols up to and including this one (what P1 Table 3 compares). */
    public List<CropProtocol> upTo() {
        return Arrays.asList(values()).subList(0, ordinal() + 1);
    }

    /** The largest shorter side this protocol resizes an image to: what decoding must keep. */
    public int viewSide(Preprocessing preprocessing) {
        int size = preprocessing.inputSize();
        return switch (this) {
            case CENTER, MIRROR -> ImagePipeline.evalViewSide(preprocessing);
            case TEN -> Resize.scaledFrom224(256, size);
            case MULTI_144 -> Resize.scaledFrom224(Crops.P1_SCALES[Crops.P1_SCALES.length - 1], size);
        };
    }

    /** The views of {@code image}, before normalisation, each {@code inputSize} square. */
    public List<FloatImage> views(FloatImage image, Preprocessing preprocessing) {
        Interpolation method = preprocessing.interpolation();
        return switch (this) {
            case CENTER -> List.of(ImagePipeline.evalView(image, preprocessing));
            case MIRROR -> Crops.withMirrors(List.of(ImagePipeline.evalView(image, preprocessing)));
            case TEN -> Crops.tenCrop(image, preprocessing.inputSize(), method);
            case MULTI_144 -> Crops.multiCrop144(image, preprocessing.inputSize(), method);
        };
    }
}
