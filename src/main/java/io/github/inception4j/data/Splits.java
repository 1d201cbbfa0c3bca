package io.github.inception4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Carving a validation set out of a training set. */
public final class Splits {

    /** Training and validation views of one dataset; together they hold every example once. */
    public record TrainValidation(ImageDataset train, ImageDataset validation) {
    }

    private Splits() {
    }

    /**
     * Holds out {@code fraction} of each class (rounded, at least one example where the class has two), chosen by
     * {@code seed}; the same seed always gives the same split.
     */
    public static TrainValidation stratified(ImageDataset data, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        int classes = data.classNames().size();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < data.size(); i++) {
            byClass.get(data.label(i)).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (List<Integer> members : byClass) {
            int[] shuffled = members.stream().mapToInt(Integer::intValue).toArray();
            shuffle(shuffled, random);
            int held = members.size() < 2 ? 0 : Math.max(1, (int) Math.round(members.size() * fraction));
            for (int i = 0; i < shuffled.length; i++) {
                (i < held ? validation : train).add(shuffled[i]);
            }
        }
        train.sort(null);
        validation.sort(null);
        return new TrainValidation(data.subset(train.stream().mapToInt(Integer::intValue).toArray()),
                data.subset(validation.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** Fisher–Yates. */
    public static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
