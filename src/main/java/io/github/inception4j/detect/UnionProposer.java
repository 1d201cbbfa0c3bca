package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * P1 §8's proposals: those of each proposer in turn (Selective Search's, then MultiBox's 200; cap each with
 * {@link Proposer#first}), exact duplicates kept once.
 */
public record UnionProposer(List<Proposer> proposers) implements Proposer {

    public UnionProposer {
        proposers = List.copyOf(proposers);
        if (proposers.isEmpty()) {
            throw new IllegalArgumentException("a union needs at least one proposer");
        }
    }

    @Override
    public List<Box> propose(FloatImage image, long seed) {
        Set<Box> out = new LinkedHashSet<>();
        for (Proposer p : proposers) {
            out.addAll(p.propose(image, seed));
        }
        return List.copyOf(out);
    }
}
