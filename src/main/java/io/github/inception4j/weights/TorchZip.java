package io.github.inception4j.weights;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Files written by {@code torch.save} since torch 1.6: a zip holding {@code <archive>/data.pkl}, a pickle of the
 * object whose tensors point by key at raw little-endian storages {@code <archive>/data/<key>}. The pickle is
 * read with Pyrolite; the few torch callables it names are given Java stand-ins, and nothing else is executed.
 */
final class TorchZip {

    /** A storage reference from the pickle's persistent ids: ('storage', class, key, location, numel). */
    private record StorageRef(DType dtype, String key) {
    }

    /** A tensor as the pickle describes it: a view into a storage. */
    private record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {
    }

    /** The storage classes ({@code torch.FloatStorage}, ...): markers in persistent ids, never constructed. */
    private record StorageClass(DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch storages are only read through persistent ids");
        }
    }

    /** {@code collections.OrderedDict}: an insertion-ordered map that accepts (and ignores) BUILD state. */
    public static final class PickledDict extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<?, ?> state) {
            // state_dict's _metadata (per-module versions): nothing we need.
        }
    }

    static {
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new PickledDict());
        IObjectConstructor rebuild = args -> new TensorRef((StorageRef) args[0], number(args[1]), longs(args[2]),
                longs(args[3]));
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", rebuild);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", rebuild);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
        for (String storage : List.of("FloatStorage", "HalfStorage", "BFloat16Storage", "DoubleStorage",
                "LongStorage", "IntStorage")) {
            Unpickler.registerConstructor("torch", storage, new StorageClass(DType.fromTorchStorage(storage)));
        }
    }

    /** The largest data.pkl read (a state_dict's pickle holds names and storage keys, not tensor data). */
    private static final int MAX_PICKLE_BYTES = 64 << 20;

    private TorchZip() {
    }

    static boolean isTorchZip(ZipFile zip) {
        return zip.stream().anyMatch(e -> e.getName().endsWith("/data.pkl"));
    }

    static Map<String, Tensor> read(Path file, ZipFile zip) throws IOException {
        try {
            return parse(file, zip);
        } catch (WeightFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw WeightFileException.malformed(file, "torch.save", e);
        }
    }

    private static Map<String, Tensor> parse(Path file, ZipFile zip) throws IOException {
        ZipEntry pickle = zip.stream().filter(e -> e.getName().endsWith("/data.pkl")).findFirst().orElseThrow();
        String archive = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
        byte[] bytes;
        try (InputStream in = zip.getInputStream(pickle)) {
            bytes = in.readNBytes(MAX_PICKLE_BYTES + 1);
        }
        if (bytes.length > MAX_PICKLE_BYTES) {
            throw new WeightFileException(file, "the pickle inside this torch.save file is over "
                    + MAX_PICKLE_BYTES / (1 << 20) + " MiB (a state_dict's is kilobytes; the tensors lie beside it)");
        }
        Object root;
        try {
            root = new StorageResolvingUnpickler().load(new ByteArrayInputStream(bytes));
        } catch (PickleException | ClassCastException | ArrayIndexOutOfBoundsException e) {
            throw new WeightFileException(file, "cannot read the pickle inside this torch.save file: "
                    + e.getMessage(), e);
        }
        Map<?, ?> dict = stateDict(file, root);
        Map<String, byte[]> storages = new HashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : dict.entrySet()) {
            if (!(entry.getValue() instanceof TensorRef ref)) {
                continue; // non-tensor entries (rare in a state_dict) carry no weights
            }
            String name = String.valueOf(entry.getKey());
            byte[] storage = storages.computeIfAbsent(ref.storage().key(), key -> readStorage(file, zip,
                    archive + "data/" + key));
            tensors.put(name, materialize(file, name, ref, storage));
        }
        return tensors;
    }

    /** A state_dict, or a checkpoint dict holding one under a usual key. */
    private static Map<?, ?> stateDict(Path file, Object root) {
        if (!(root instanceof Map<?, ?> map)) {
            throw new WeightFileException(file, "holds a " + root.getClass().getSimpleName()
                    + ", not a state_dict; save model.state_dict() instead of the model");
        }
        boolean hasTensors = map.values().stream().anyMatch(v -> v instanceof TensorRef);
        if (!hasTensors) {
            for (String key : List.of("state_dict", "model", "model_state_dict")) {
                if (map.get(key) instanceof Map<?, ?> inner) {
                    return inner;
                }
            }
        }
        return map;
    }

    private static byte[] readStorage(Path file, ZipFile zip, String entryName) {
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            throw new WeightFileException(file, "storage " + entryName + " is missing (truncated file?)");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new WeightFileException(file, "cannot read storage " + entryName + ": " + e.getMessage(), e);
        }
    }

    private static Tensor materialize(Path file, String name, TensorRef ref, byte[] storage) {
        int es = ref.storage().dtype().bytes();
        long[] shape = ref.shape();
        long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        long maxIndex = ref.offset();
        for (int i = 0; i < shape.length; i++) {
            maxIndex += shape[i] == 0 ? 0 : (shape[i] - 1) * ref.stride()[i];
        }
        if (n > 0 && (maxIndex + 1) * es > storage.length) {
            throw new WeightFileException(file, "tensor '" + name + "' reaches past its storage ("
                    + storage.length + " bytes): truncated or corrupt file");
        }
        byte[] data = new byte[(int) (n * es)];
        if (isContiguous(shape, ref.stride())) {
            System.arraycopy(storage, (int) (ref.offset() * es), data, 0, data.length);
        } else {
            int[] index = new int[shape.length];
            for (int i = 0; i < n; i++) {
                long source = ref.offset();
                for (int axis = 0; axis < shape.length; axis++) {
                    source += index[axis] * ref.stride()[axis];
                }
                System.arraycopy(storage, (int) (source * es), data, i * es, es);
                for (int axis = shape.length - 1; axis >= 0 && ++index[axis] == shape[axis]; axis--) {
                    index[axis] = 0;
                }
            }
        }
        return new Tensor(name, ref.storage().dtype(), shape, data);
    }

    private static boolean isContiguous(long[] shape, long[] stride) {
        long expected = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            if (shape[axis] != 1 && stride[axis] != expected) {
                return false;
            }
            expected *= shape[axis];
        }
        return true;
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static long[] longs(Object tuple) {
        Object[] values = tuple instanceof Object[] array ? array : ((List<?>) tuple).toArray();
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = number(values[i]);
        }
        return out;
    }

    private static final class StorageResolvingUnpickler extends Unpickler {
        /**
         * The opcodes whose argument is a little-endian length of 4 or 8 bytes followed by that many bytes
         * (pickletools: BINSTRING, BINUNICODE, BINBYTES, LONG4; BINUNICODE8, BINBYTES8, BYTEARRAY8).
         */
        private static final Map<Short, Integer> LENGTH_PREFIXED = Map.of((short) 'T', 4, (short) 'X', 4,
                (short) 'B', 4, (short) 0x8b, 4, (short) 0x8d, 8, (short) 0x8e, 8, (short) 0x96, 8);

        /**
         * Refuses a length the pickle cannot hold before Pyrolite allocates it: Pyrolite allocates what a length
         * field claims before reading the bytes, so a corrupt one asked for up to 2 GB at once (a fuzzing finding)
         * and the failed allocation cost seconds of garbage collection. The input is a byte array here, so what
         * remains is known exactly.
         */
        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            Integer width = LENGTH_PREFIXED.get(key);
            if (width != null) {
                input.mark(width);
                byte[] raw = input.readNBytes(width);
                input.reset();
                int remaining = input.available() - width;
                ByteBuffer field = ByteBuffer.wrap(Arrays.copyOf(raw, 8)).order(ByteOrder.LITTLE_ENDIAN);
                long length = width == 4 ? field.getInt() : field.getLong();
                if (raw.length < width || length < 0 || length > remaining) {
                    throw new PickleException("a length field claims " + length + " bytes where " + remaining
                            + " remain");
                }
            }
            return super.dispatch(key);
        }

        @Override
        protected Object persistentLoad(Object pid) {
            Object[] id = pid instanceof Object[] array ? array : ((List<?>) pid).toArray();
            if (id.length < 3 || !"storage".equals(id[0]) || !(id[1] instanceof StorageClass type)) {
                throw new PickleException("unsupported persistent id " + Arrays.deepToString(id));
            }
            return new StorageRef(type.dtype(), String.valueOf(id[2]));
        }
    }
}
