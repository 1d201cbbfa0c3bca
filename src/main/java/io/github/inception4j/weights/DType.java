package io.github.inception4j.weights;

import java.util.Locale;

/** Element types that weight files carry, with their sizes and their names in each format. */
public enum DType {
    F32(4, "F32", "<f4"),
    F16(2, "F16", "<f2"),
    BF16(2, "BF16", null),
    F64(8, "F64", "<f8"),
    I64(8, "I64", "<i8"),
    I32(4, "I32", "<i4");

    private final int bytes;
    private final String safetensorsName;
    private final String numpyDescr;

    DType(int bytes, String safetensorsName, String numpyDescr) {
        this.bytes = bytes;
        this.safetensorsName = safetensorsName;
        this.numpyDescr = numpyDescr;
    }

    public int bytes() {
        return bytes;
    }

    public String safetensorsName() {
        return safetensorsName;
    }

    public static DType fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported safetensors dtype " + name);
    }

    /** numpy's little-endian descr ({@code <f4}); '|' and '=' byte orders are taken as little-endian. */
    public static DType fromNumpy(String descr) {
        String d = descr.toLowerCase(Locale.ROOT).replace('=', '<').replace('|', '<');
        for (DType t : values()) {
            if (d.equals(t.numpyDescr)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported numpy dtype " + descr + " (little-endian float or int only)");
    }

    /** torch's storage class names in the pickle of a torch.save file. */
    public static DType fromTorchStorage(String storageClass) {
        return switch (storageClass) {
            case "FloatStorage" -> F32;
            case "HalfStorage" -> F16;
            case "BFloat16Storage" -> BF16;
            case "DoubleStorage" -> F64;
            case "LongStorage" -> I64;
            case "IntStorage" -> I32;
            default -> throw new IllegalArgumentException("unsupported torch storage " + storageClass);
        };
    }

    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }
}
