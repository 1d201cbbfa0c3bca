package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImagePipeline;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.nn.InferenceBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained MultiBox network ({@link MultiBoxTraining}) as a proposer: the image resized whole to the network's
 * input, one forward pass, the K boxes decoded and ranked by confidence; the first {@code count} are proposed.
 */
public final class MultiBoxProposer implements Proposer, AutoCloseable {

    private final ImageClassifier network;
    private final MultiBox multiBox;
    private final int count;

    private MultiBoxProposer(ImageClassifier network, MultiBox multiBox, int count) {
        if (!network.classNames().equals(multiBox.outputNames())) {
            throw new IllegalArgumentException(network.source() + " is not a MultiBox network of its "
                    + multiBox.size() + " priors (its outputs are not the priors' confidences and boxes)");
        }
        this.network = network;
        this.multiBox = multiBox;
        this.count = count;
    }

    /**
     * The MultiBox checkpoint {@code dir} (weights and {@value MultiBoxTraining#PRIORS}, verified together),
     * proposing its {@code count} most confident boxes (P1 §8: 200).
     */
    public static MultiBoxProposer load(Path dir, int count, InferenceBackend backend) {
        if (count < 1) {
            throw new IllegalArgumentException("MultiBox proposes at least one box");
        }
        Path priors = dir.resolve(MultiBoxTraining.PRIORS);
        if (!Files.isRegularFile(priors)) {
            throw new IllegalArgumentException(dir + " is not a MultiBox checkpoint: it has no "
                    + MultiBoxTraining.PRIORS);
        }
        ImageClassifier network = ImageClassifier.load(dir, backend);
        try {
            return new MultiBoxProposer(network, MultiBox.fromJson(Files.readString(priors)), count);
        } catch (IOException e) {
            network.close();
            throw new UncheckedIOException("cannot read " + priors, e);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    public MultiBox multiBox() {
        return multiBox;
    }

    @Override
    public List<Box> propose(FloatImage image, long seed) {
        return scored(List.of(image)).get(0).stream().map(MultiBox.Scored::box).toList();
    }

    /** The {@code count} most confident boxes of each image, with their confidences, in one batched pass. */
    public List<List<MultiBox.Scored>> scored(List<FloatImage> images) {
        int sample = network.sampleLength();
        float[] x = new float[images.size() * sample];
        for (int i = 0; i < images.size(); i++) {
            ImagePipeline.normalize(MultiBoxTraining.view(images.get(i), network.preprocessing()),
                    network.preprocessing(), x, i * sample);
        }
        float[][] outputs = network.logitsOf(x, images.size());
        List<List<MultiBox.Scored>> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            List<MultiBox.Scored> all = multiBox.decode(outputs[i], images.get(i).width(), images.get(i).height());
            out.add(all.subList(0, Math.min(count, all.size())));
        }
        return out;
    }

    @Override
    public void close() {
        network.close();
    }
}
