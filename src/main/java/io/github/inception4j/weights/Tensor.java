package io.github.inception4j.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named array read from a weight file: engine-free, little-endian bytes in C order. Converted to float32
 * only when loaded, so a BF16 or exotic tensor never reaches the engine unchecked.
 */
public record Tensor(String name, DType dtype, long[] shape, byte[] data) {

    public Tensor {
        shape = shape.clone();
        long expected = Arrays.stream(shape).reduce(1, Math::multiplyExact) * dtype.bytes();
        if (data.length != expected) {
            throw new IllegalArgumentException("tensor " + name + ": " + data.length + " bytes for shape "
                    + Arrays.toString(shape) + " of " + dtype + " (expected " + expected + ")");
        }
    }

    public static Tensor ofFloats(String name, long[] shape, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return new Tensor(name, DType.F32, shape, buffer.array());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long size() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    /** The values as float32; F16 and F64 are converted, BF16 is refused (it must not reach DJL). */
    public float[] toFloats() {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) size()];
        switch (dtype) {
            case F32 -> in.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) in.getDouble();
                }
            }
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(in.getShort());
                }
            }
            case I64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = in.getLong();
                }
            }
            case I32 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = in.getInt();
                }
            }
            case BF16 -> throw new IllegalArgumentException("tensor " + name + " is bfloat16, which this project "
                    + "does not load (a BF16 array aborts DJL's PyTorch engine); convert the file to float32 first");
        }
        return out;
    }

    /** The values as float64 (F64 exactly, the others converted as by {@link #toFloats()}). */
    public double[] toDoubles() {
        if (dtype == DType.F64) {
            double[] out = new double[(int) size()];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
            return out;
        }
        float[] floats = toFloats();
        double[] out = new double[floats.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats[i];
        }
        return out;
    }

    /** IEEE 754 binary16 → binary32, subnormals, infinities and NaN included. */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
