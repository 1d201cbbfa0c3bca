package io.github.inception4j.models;

import java.util.List;

/**
 * What every layout record tells the registry: its default dropouts and how it departs from its paper. A default
 * lives in its layout and nowhere else.
 */
public sealed interface Layout permits GoogLeNetLayout, InceptionV3Layout {

    /** Dropout before the classifier. */
    double dropout();

    /** Dropout inside the auxiliary classifiers (0 where they have none). */
    double auxDropout();

    /** How this layout departs from its paper (for the paper's own layout: its choices where the paper is silent). */
    List<Deviation> deviationsFromPaper();
}
