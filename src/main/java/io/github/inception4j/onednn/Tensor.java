package io.github.inception4j.onednn;

import io.github.inception4j.spec.Shape3;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;

/**
 * An activation: its memory and descriptor, the buffer its bytes live in, its dims (N, C, H, W) or (N, K), its
 * data type and, for int8 codes, the float value of one step (1 for float tensors). A channel slice of a
 * channels-last tensor also records the channels of a pixel in its buffer and where its own start, which is what a
 * matrix view of it (rows = pixels) needs.
 */
record Tensor(dnnl_memory memory, dnnl_memory_desc desc, int buffer, long[] dims, int type, float scale,
              long pixelStride, long channelOffset) {
    Shape3 shape() {
        return new Shape3((int) dims[1], (int) dims[2], (int) dims[3]);
    }

    Tensor withScale(float value) {
        return new Tensor(memory, desc, buffer, dims, type, value, pixelStride, channelOffset);
    }
}
