package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import java.util.List;

/** Class-agnostic region proposals of an image, best first: Selective Search, MultiBox, or a union of them. */
public interface Proposer {

    /** The proposals of {@code image} in its pixel coordinates, best first; {@code seed} fixes any ranking noise. */
    List<Box> propose(FloatImage image, long seed);

    /** This proposer's first {@code n} proposals (P1 §8: 200 of MultiBox's). */
    default Proposer first(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a proposer keeps at least one proposal");
        }
        return (image, seed) -> {
            List<Box> all = propose(image, seed);
            return all.subList(0, Math.min(n, all.size()));
        };
    }
}
