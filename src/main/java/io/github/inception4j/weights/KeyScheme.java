package io.github.inception4j.weights;

import io.github.inception4j.spec.NetworkSpec;

/** How a file names the network's parameters. */
public enum KeyScheme {
    /** Our spec names ({@code inception3a.3x3_reduce.conv.weight}); our checkpoints use them. */
    SPEC,
    /** torchvision's state_dict keys ({@code inception3a.branch2.0.conv.weight}). */
    TORCHVISION;

    public String keyOf(NetworkSpec spec, String parameterName) {
        return this == SPEC ? parameterName : TorchvisionKeys.key(spec, parameterName);
    }
}
