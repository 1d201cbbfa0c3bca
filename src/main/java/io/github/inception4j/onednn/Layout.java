package io.github.inception4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw16c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw8c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;

/** How activations lie in memory, one choice for the whole network (so no layer reorders its input). */
public enum Layout {
    /**
     * oneDNN's blocked layout, channels in blocks of the vector width (16 with AVX-512, else 8): a channel slice
     * starting on a block is itself a blocked tensor, so a concatenation's branches write into its output in place.
     */
    BLOCKED,
    /**
     * Channels last: what oneDNN's brgemm convolutions read. A channel slice is strided, which its optimised
     * convolutions do not write: the 1×1 convolutions run as matrix products (which do) and write a concatenation's
     * slice in place, the other branches are copied into theirs.
     */
    NHWC;

    int tag() {
        return this == NHWC ? dnnl_nhwc : Dnnl.channelBlock() == 16 ? dnnl_nChw16c : dnnl_nChw8c;
    }

    /** The channel multiple at which a slice stays in this layout (any slice of a channels-last tensor does). */
    int concatBlock() {
        return this == NHWC ? 1 : Dnnl.channelBlock();
    }
}
