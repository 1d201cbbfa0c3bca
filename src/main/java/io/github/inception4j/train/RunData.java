package io.github.inception4j.train;

import io.github.inception4j.data.DataSources;
import io.github.inception4j.data.ImageDataset;
import io.github.inception4j.data.Splits;

/**
 * A run's three splits as its settings define them: the training source, less the validation images carved out
 * of it (a stratified split drawn from the run's seed) unless a separate validation source is named; the test
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
                    settings.recipe().run().validationFraction(), settings.seed());
            train = split.train();
            validation = split.validation();
        }
        ImageDataset test = settings.data().test() == null ? null : DataSources.open(settings.data().test(), true);
        return new RunData(train, validation, test);
    }
}
