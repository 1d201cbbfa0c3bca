package io.github.inception4j.models;

/**
 * What a user may choose about a network without changing its architecture. Start from
 * {@link Architecture#defaultOptions()} and override with the {@code with...} methods; nothing is implied by
 * another option (requesting one thing never silently changes another).
 *
 * @param numClasses width of the classifier (and of the auxiliary classifiers)
 * @param auxHeads whether the auxiliary classifiers are built
 * @param dropout dropout rate before the main classifier
 * @param auxDropout dropout rate inside the auxiliary classifiers (where the layout has one)
 * @param inputSize square input size the network is described and built at
 * @param transformInput torchvision's {@code transform_input}: map ImageNet-normalised input to [−1, 1] first
 * @param widthMultiplier TF-slim's {@code depth_multiplier}: every filter count d becomes max(⌊d·m⌋, 16)
 * @param headGrid the grid the last average pooling leaves for the classifier: 1 is the papers' global pooling;
 *                 g > 1 keeps a g × g map, so the last layer sees where things are (a MultiBox box regressor,
 *                 Erhan et al. 2014, whose last layers read the spatial map); DJL's engine only
 */
public record ModelOptions(int numClasses, boolean auxHeads, double dropout, double auxDropout, int inputSize,
                           boolean transformInput, double widthMultiplier, int headGrid) {

    /** TF-slim's {@code min_depth}: no layer is made narrower than this by the width multiplier. */
    public static final int MIN_DEPTH = 16;

    /** The options before {@code headGrid} existed: global pooling. */
    public ModelOptions(int numClasses, boolean auxHeads, double dropout, double auxDropout, int inputSize,
                        boolean transformInput, double widthMultiplier) {
        this(numClasses, auxHeads, dropout, auxDropout, inputSize, transformInput, widthMultiplier, 1);
    }

    public ModelOptions {
        // Checkpoints written before the option have none: 0 as read is their global pooling.
        if (headGrid == 0) {
            headGrid = 1;
        }
        if (headGrid < 1) {
            throw new IllegalArgumentException("the head's grid must be at least 1, was " + headGrid);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("number of classes must be at least 1, was " + numClasses);
        }
        if (!(dropout >= 0 && dropout < 1) || !(auxDropout >= 0 && auxDropout < 1)) {
            throw new IllegalArgumentException("dropout rates must be in [0, 1), were " + dropout + " and " + auxDropout);
        }
        if (inputSize < 1) {
            throw new IllegalArgumentException("input size must be positive, was " + inputSize);
        }
        if (!(widthMultiplier > 0) || Double.isInfinite(widthMultiplier)) {
            throw new IllegalArgumentException("width multiplier must be positive, was " + widthMultiplier);
        }
    }

    /** A filter count scaled by the width multiplier, never below {@link #MIN_DEPTH}. */
    public int depth(int filters) {
        return Math.max((int) (filters * widthMultiplier), MIN_DEPTH);
    }

    public ModelOptions withNumClasses(int value) {
        return new ModelOptions(value, auxHeads, dropout, auxDropout, inputSize, transformInput, widthMultiplier,
                headGrid);
    }

    public ModelOptions withAuxHeads(boolean value) {
        return new ModelOptions(numClasses, value, dropout, auxDropout, inputSize, transformInput, widthMultiplier,
                headGrid);
    }

    public ModelOptions withDropout(double value) {
        return new ModelOptions(numClasses, auxHeads, value, auxDropout, inputSize, transformInput, widthMultiplier,
                headGrid);
    }

    public ModelOptions withAuxDropout(double value) {
        return new ModelOptions(numClasses, auxHeads, dropout, value, inputSize, transformInput, widthMultiplier,
                headGrid);
    }

    public ModelOptions withInputSize(int value) {
        return new ModelOptions(numClasses, auxHeads, dropout, auxDropout, value, transformInput, widthMultiplier,
                headGrid);
    }

    public ModelOptions withTransformInput(boolean value) {
        return new ModelOptions(numClasses, auxHeads, dropout, auxDropout, inputSize, value, widthMultiplier, headGrid);
    }

    public ModelOptions withWidthMultiplier(double value) {
        return new ModelOptions(numClasses, auxHeads, dropout, auxDropout, inputSize, transformInput, value, headGrid);
    }

    public ModelOptions withHeadGrid(int value) {
        return new ModelOptions(numClasses, auxHeads, dropout, auxDropout, inputSize, transformInput, widthMultiplier,
                value);
    }
}
