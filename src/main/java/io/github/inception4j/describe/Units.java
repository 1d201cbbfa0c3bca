package io.github.inception4j.describe;

import java.util.Locale;

/** Number formats of the tables: 118.0 and 13,004,888. */
final class Units {

    private Units() {
    }

    static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String decimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
