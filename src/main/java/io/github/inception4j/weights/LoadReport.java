package io.github.inception4j.weights;

import java.util.List;

/**
 * What loading did: the scheme it recognised, how many parameters it set, and, by name, everything it could
 * not match. In strict mode any of the three lists being non-empty is an error instead.
 *
 * @param missing parameters of the network the file does not have
 * @param mismatched parameters the file has with another shape ("name: file [..] vs network [..]")
 * @param unexpected file entries that match no parameter
 */
public record LoadReport(KeyScheme scheme, int loaded, List<String> missing, List<String> mismatched,
                         List<String> unexpected) {

    public LoadReport {
        missing = List.copyOf(missing);
        mismatched = List.copyOf(mismatched);
        unexpected = List.copyOf(unexpected);
    }

    public boolean complete() {
        return missing.isEmpty() && mismatched.isEmpty() && unexpected.isEmpty();
    }

    /** One paragraph for a user: what was loaded and what was skipped. */
    public String summary() {
        StringBuilder out = new StringBuilder("loaded " + loaded + " arrays (" + scheme.name().toLowerCase()
                + " names)");
        append(out, "kept their initial values (missing from the file)", missing);
        append(out, "kept their initial values (shape differs)", mismatched);
        append(out, "ignored (no such parameter)", unexpected);
        return out.toString();
    }

    private static void append(StringBuilder out, String what, List<String> names) {
        if (!names.isEmpty()) {
            out.append("; ").append(names.size()).append(' ').append(what).append(": ")
                    .append(String.join(", ", names.size() > 12 ? names.subList(0, 12) : names))
                    .append(names.size() > 12 ? ", ..." : "");
        }
    }
}
