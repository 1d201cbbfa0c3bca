package io.github.inception4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_eltwise;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_scales_mask;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_scratchpad_mode;
import static org.bytedeco.dnnl.global.dnnl.dnnl_scratchpad_mode_user;

import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive_attr;

/**
 * Primitive attributes: the scratchpad is ours (one region for all steps), a ReLU may follow as a post-op, and int8
 * steps take scales.
 */
final class Attributes {

    private Attributes() {
    }

    static dnnl_primitive_attr of(Dnnl.Handles handles, boolean relu) {
        return of(handles, relu, new int[0]);
    }

    /**
     * With runtime scales: {@code scaled} alternates DNNL_ARG_* ids and their masks (0: one scale for the tensor,
     * 1: one per output channel of the weights); the values come with each run as DNNL_ARG_ATTR_SCALES | id.
     */
    static dnnl_primitive_attr of(Dnnl.Handles handles, boolean relu, int... scaled) {
        dnnl_primitive_attr attr = new dnnl_primitive_attr();
        Dnnl.check(dnnl_primitive_attr_create(attr), "primitive attributes");
        handles.add(attr, () -> dnnl_primitive_attr_destroy(attr));
        Dnnl.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "user scratchpad");
        for (int i = 0; i < scaled.length; i += 2) {
            Dnnl.check(dnnl_primitive_attr_set_scales_mask(attr, scaled[i], scaled[i + 1]), "scales");
        }
        if (relu) {
            dnnl_post_ops ops = new dnnl_post_ops();
            Dnnl.check(dnnl_post_ops_create(ops), "post-ops");
            try {
                Dnnl.check(dnnl_post_ops_append_eltwise(ops, dnnl_eltwise_relu, 0f, 0f), "ReLU post-op");
                Dnnl.check(dnnl_primitive_attr_set_post_ops(attr, ops), "set post-ops");
            } finally {
                dnnl_post_ops_destroy(ops);
            }
        }
        return attr;
    }
}
