package io.github.inception4j.train;

import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.data.Splits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run's three splits as its settings define them: the training source, less the validation images carved out
 * of it (a stratified split drawn from the run's split seed) unless a separate validation source is named; the test
 * source if any. Every process of a run (a resumed one, a cluster's replicas) opens the same images this way.
 *
 * @param validation null when the run has none
 * @param test null when the run has none
 */
public record RunData(ImageDataset train, ImageDataset validation, ImageDataset test) {

    /** Opens the sources of {@code settings}. */
    public static RunData open(RunSettings settings) {
        return open(settings, DataSources.open(settings.data().train(), false));
    }

    /** {@link #open(RunSettings)} with the training source already opened (a folder's tree is walked once). */
    public static RunData open(RunSettings settings, ImageDataset trainSource) {
        ImageDataset train = trainSource;
        ImageDataset validation = null;
        if (settings.data().validation() != null) {
            validation = DataSources.open(settings.data().validation(), false);
        } else if (settings.recipe().run().validationFraction() > 0) {
            Splits.TrainValidation split = Splits.stratified(trainSource,
                    settings.recipe().run().validationFraction(), settings.splitSeed());
            train = split.train();
            validation = split.validation();
        }
        ImageDataset test = settings.data().test() == null ? null : DataSources.open(settings.data().test(), true);
        return new RunData(train, validation, test);
    }

    /**
     * The validation images the run in {@code runDir} carved out of its training data, to judge models on that
     * none of them trained on (an ensemble's members, or its crop protocols, chosen before the test split is read).
     * Each of {@code checkpoints} must belong to a run (its directory, or a directory inside it such as
     * {@code RUN/model}) that carved the very same split (the same training source, fraction and split seed) and
     * started from fresh weights.
     *
     * @throws IllegalArgumentException naming the checkpoint that trained on some of these images, or cannot tell
     */
    public static ImageDataset heldOut(Path runDir, List<Path> checkpoints) {
        RunSettings run = RunSettings.read(runDir);
        if (run.data().validation() != null || run.recipe().run().validationFraction() == 0) {
            throw new IllegalArgumentException(runDir + " carved no validation split out of its training data");
        }
        for (Path checkpoint : checkpoints) {
            Path owner = Files.exists(checkpoint.resolve(RunSettings.FILE)) ? checkpoint
                    : checkpoint.toAbsolutePath().getParent();
            if (owner == null || !Files.exists(owner.resolve(RunSettings.FILE))) {
                throw new IllegalArgumentException("cannot tell which images " + checkpoint + " was trained on: "
                        + "no " + RunSettings.FILE + " in it or beside it");
            }
            RunSettings member = RunSettings.read(owner);
            if (member.init() != null) {
                throw new IllegalArgumentException("cannot tell which images " + checkpoint + " was trained on: it "
                        + "started from the weights of " + member.init());
            }
            if (member.data().validation() != null || !member.data().train().equals(run.data().train())
                    || member.recipe().run().validationFraction() != run.recipe().run().validationFraction()
                    || member.splitSeed() != run.splitSeed()) {
                throw new IllegalArgumentException(checkpoint + " trained on some of the images " + runDir + " held "
                        + "out (its split: " + describeSplit(member) + "; wanted: " + describeSplit(run) + ")");
            }
        }
        return Splits.stratified(DataSources.open(run.data().train(), false), run.recipe().run().validationFraction(),
                run.splitSeed()).validation();
    }

    private static String describeSplit(RunSettings s) {
        return s.data().validation() != null ? "validation set " + s.data().validation()
                : s.recipe().run().validationFraction() + " of " + s.data().train() + ", split seed " + s.splitSeed();
    }
}
