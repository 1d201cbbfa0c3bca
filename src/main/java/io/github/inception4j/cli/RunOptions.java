package io.github.inception4j.cli;

import io.github.inception4j.models.Architecture;
import io.github.inception4j.nn.InferenceOptimizer;
import picocli.CommandLine.Option;

/**
 * What {@code bench} and {@code profile} both run: a model, a batch, a thread count, optionally rewritten for
 * inference (BN folded, parallel 1×1 convolutions fused).
 */
final class RunOptions {

    @Option(names = "--model", required = true, paramLabel = "M")
    String model;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "8")
    int batch;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "Intra-op threads (applied when the engine starts).")
    int threads;

    @Option(names = "--fold-bn", description = "Fold BatchNorm into the convolutions first (inference only).")
    boolean foldBatchNorm;

    @Option(names = "--fuse-1x1", description = "Fuse each module's parallel 1×1 convolutions into one (inference only).")
    boolean fusePointwise;

    InferenceOptimizer.Rewrites rewrites() {
        return new InferenceOptimizer.Rewrites(foldBatchNorm, fusePointwise);
    }

    /** The architecture, with the thread count set before the engine's first use (it reads it once). */
    Architecture prepare() {
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        return Architecture.byName(model);
    }
}
