package io.github.inception4j.spec;

import java.util.List;

/** A layer without parameters or multiply-adds (pooling, normalisation by statistics, dropout, fixed maps). */
public sealed interface ParameterFreeLayer extends LayerSpec
        permits Pool, AdaptiveAvgPool, LocalResponseNorm, Dropout, InputTransform {

    @Override
    default long macs(Shape3 in) {
        return 0;
    }

    @Override
    default int depth() {
        return 0;
    }

    @Override
    default List<ParameterSpec> parameters(String path, Shape3 in) {
        return List.of();
    }
}
