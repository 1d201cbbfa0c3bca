package io.github.inception4j.cli;

import io.github.inception4j.eval.CropProtocol;
import picocli.CommandLine.Option;

/** {@code --top-k}, {@code --crops} and {@code --batch-size}: what a prediction reports and how it batches. */
public final class PredictionOptions {

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "5", description = "Classes per image "
            + "(default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--crops", paramLabel = "P", defaultValue = "center", completionCandidates = CropProtocol.Ids.class,
            description = "${COMPLETION-CANDIDATES}: average the probabilities over this many views (default: "
                    + "${DEFAULT-VALUE}).")
    String crops;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32", description = "Images decoded and "
            + "classified together (default: ${DEFAULT-VALUE}).")
    int batchSize;

    /** @throws IllegalArgumentException if --top-k or --batch-size is below 1 */
    public int topK() {
        check();
        return topK;
    }

    /** @throws IllegalArgumentException if --top-k or --batch-size is below 1 */
    public int batchSize() {
        check();
        return batchSize;
    }

    public CropProtocol protocol() {
        return CropProtocol.byId(crops);
    }

    private void check() {
        if (batchSize < 1 || topK < 1) {
            throw new IllegalArgumentException("--batch-size and --top-k must be at least 1");
        }
    }
}
