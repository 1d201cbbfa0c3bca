package io.github.inception4j.train;

/**
 * Learning rate as a pure function of training progress in epochs (so a resumed run gets exactly the same rates):
 * a linear warm-up from {@code warmupStart}·lr over {@code warmupEpochs}, then
 * <ul>
 *   <li>{@code constant}: lr;</li>
 *   <li>{@code exponential}: lr·rate^(e / every), with ⌊e / every⌋ when {@code staircase} (P1 §6: ×0.96 every 8
 *       epochs; P2 §8: ×0.94 every 2 epochs), where e counts epochs after the warm-up;</li>
 *   <li>{@code cosine}: minLr + (lr − minLr)·(1 + cos(π·e/E))/2 over the E epochs after the warm-up.</li>
 * </ul>
 *
 * @param kind constant, exponential or cosine
 */
public record Schedule(String kind, double decayRate, double decayEpochs, boolean staircase, double warmupEpochs,
                       double warmupStart, double minLr) {

    public Schedule {
        if (!kind.equals("constant") && !kind.equals("exponential") && !kind.equals("cosine")) {
            throw new IllegalArgumentException("unknown schedule '" + kind + "' (constant, exponential, cosine)");
        }
        if (kind.equals("exponential") && !(decayRate > 0 && decayRate <= 1 && decayEpochs > 0)) {
            throw new IllegalArgumentException("an exponential schedule needs a rate in (0, 1] and a positive "
                    + "period, got rate " + decayRate + " every " + decayEpochs + " epochs");
        }
        if (warmupEpochs < 0 || warmupStart < 0 || warmupStart > 1 || minLr < 0) {
            throw new IllegalArgumentException("warm-up epochs and minLr must be ≥ 0 and warmupStart in [0, 1]");
        }
    }

    public static Schedule constant() {
        return new Schedule("constant", 1, 1, true, 0, 0, 0);
    }

    public static Schedule exponential(double rate, double everyEpochs) {
        return new Schedule("exponential", rate, everyEpochs, true, 0, 0, 0);
    }

    public static Schedule cosine(double warmupEpochs) {
        return new Schedule("cosine", 1, 1, true, warmupEpochs, 0, 0);
    }

    /** This schedule with its warm-up starting at {@code fraction}·lr instead. */
    public Schedule withWarmupStart(double fraction) {
        return new Schedule(kind, decayRate, decayEpochs, staircase, warmupEpochs, fraction, minLr);
    }

    /**
     * @param baseLr the optimiser's learning rate
     * @param epoch progress in epochs (step / steps per epoch), from 0
     * @param totalEpochs the run's length, for cosine
     */
    public double rate(double baseLr, double epoch, double totalEpochs) {
        if (epoch < warmupEpochs) {
            return baseLr * (warmupStart + (1 - warmupStart) * epoch / warmupEpochs);
        }
        double e = epoch - warmupEpochs;
        return switch (kind) {
            case "exponential" -> baseLr * Math.pow(decayRate, staircase ? Math.floor(e / decayEpochs)
                    : e / decayEpochs);
            case "cosine" -> {
                double span = Math.max(totalEpochs - warmupEpochs, 1e-9);
                double t = Math.min(e / span, 1);
                yield minLr + (baseLr - minLr) * (1 + Math.cos(Math.PI * t)) / 2;
            }
            default -> baseLr;
        };
    }
}
