package io.github.inception4j.models;

/**
 * One named way in which a layout departs from the paper it implements.
 *
 * @param id stable identifier (used in docs and tests)
 * @param title what differs, in one line
 * @param paper what the paper specifies
 * @param layout what this layout does instead
 * @param why why the layout does it
 * @param source where the difference is documented (issue, file, section of paper-facts.md)
 */
public record Deviation(String id, String title, String paper, String layout, String why, String source) {
}
