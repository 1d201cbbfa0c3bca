package io.github.inception4j.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Documentation attached to one field of a layout record. Deviations are never written by hand: they are the
 * fields whose values differ between the paper's layout and another one, each with this text.
 */
public record LayoutField<L>(String id, String component, String title, Function<L, Object> value, String why,
                             String source) {

    /** The deviations of {@code layout} from {@code paper}: one per documented field whose value differs. */
    public static <L> List<Deviation> deviations(L paper, L layout, List<LayoutField<L>> fields) {
        List<Deviation> list = new ArrayList<>();
        for (LayoutField<L> field : fields) {
            Object expected = field.value.apply(paper);
            Object actual = field.value.apply(layout);
            if (!Objects.equals(expected, actual)) {
                list.add(new Deviation(field.id, field.title, String.valueOf(expected), String.valueOf(actual),
                        field.why, field.source));
            }
        }
        return List.copyOf(list);
    }
}
