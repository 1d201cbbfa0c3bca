package io.github.inception4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core_bf16;
import static org.bytedeco.dnnl.global.dnnl.dnnl_get_effective_cpu_isa;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_clone;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_create_submemory;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_create_with_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_get_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_impl_info_str;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.ArrayDeque;
import java.util.Deque;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The few things every oneDNN call here needs: status checks that name the call, memory descriptors that are
 * destroyed with their owner, the implementation a primitive got, and the OpenMP thread count.
 *
 * <p>oneDNN's C API through JavaCPP: every handle is native memory invisible to the garbage collector, so each one
 * is registered with a {@link Handles} that destroys it when the compiled network closes.
 */
final class Dnnl {

    private static volatile Gomp gomp;

    private Dnnl() {
    }

    /** libgomp, as oneDNN's build loads it: its thread count is read only from OMP_NUM_THREADS unless set here. */
    interface Gomp extends Library {
        void omp_set_num_threads(int threads);
    }

    static void check(int status, String call) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN: " + call + " failed with status " + status);
        }
    }

    /**
     * Sets the OpenMP thread count of the calling thread's parallel regions (each thread that executes primitives
     * must call it: the setting is per thread). The library is found by its soname, so it is the copy oneDNN
     * already loaded, not another one.
     */
    static void threads(int threads) {
        Gomp library = gomp;
        if (library == null) {
            Loader.load(org.bytedeco.dnnl.global.dnnl.class);
            library = Native.load("libgomp.so.1", Gomp.class);
            gomp = library;
        }
        library.omp_set_num_threads(threads);
    }

    /** Whether the CPU has bf16 arithmetic oneDNN uses (AVX512-BF16, or AMX which implies it). */
    static boolean hasBf16() {
        return hasIsa(dnnl_cpu_isa_avx512_core_bf16);
    }

    /** The channel block of oneDNN's native activation layout on this CPU: 16 with AVX-512, else 8. */
    static int channelBlock() {
        return hasIsa(dnnl_cpu_isa_avx512_core) ? 16 : 8;
    }

    /** dnnl_cpu_isa_t is a bit set, one bit per extension: an ISA is present when all of its bits are. */
    private static boolean hasIsa(int isa) {
        return (dnnl_get_effective_cpu_isa() & isa) == isa;
    }

    /** The implementation oneDNN chose for a primitive, e.g. {@code brg_conv_fwd:avx512_core}. */
    static String implementation(dnnl_primitive_desc pd) {
        try (PointerPointer<BytePointer> out = new PointerPointer<>(1)) {
            check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, out), "query implementation");
            return new BytePointer(out.get(0)).getString();
        }
    }

    /** A memory's data pointer. */
    static Pointer data(dnnl_memory memory) {
        try (PointerPointer<Pointer> out = new PointerPointer<>(1)) {
            check(dnnl_memory_get_data_handle(memory, out), "get data handle");
            return out.get(0);
        }
    }

    /** A native address; {@code -1} is oneDNN's DNNL_MEMORY_ALLOCATE (the library allocates, aligned). */
    static final class Address extends Pointer {
        Address(long value) {
            address = value;
        }
    }

    /** Native handles destroyed together, last created first. */
    static final class Handles implements AutoCloseable {
        private final Deque<Runnable> destroyers = new ArrayDeque<>();

        <T> T add(T handle, Runnable destroy) {
            destroyers.push(destroy);
            return handle;
        }

        dnnl_memory_desc desc(long[] dims, int type, int tag) {
            dnnl_memory_desc md = new dnnl_memory_desc();
            check(dnnl_memory_desc_create_with_tag(md, dims.length, dims, type, tag), "memory descriptor");
            return add(md, () -> dnnl_memory_desc_destroy(md));
        }

        /** A copy of a descriptor that a primitive descriptor owns, to outlive it. */
        dnnl_memory_desc copy(dnnl_memory_desc desc) {
            dnnl_memory_desc md = new dnnl_memory_desc();
            check(dnnl_memory_desc_clone(md, desc), "clone memory descriptor");
            return add(md, () -> dnnl_memory_desc_destroy(md));
        }

        /** The part of {@code parent} of size {@code dims} starting at {@code offsets}: a view, no copy. */
        dnnl_memory_desc slice(dnnl_memory_desc parent, long[] dims, long[] offsets) {
            dnnl_memory_desc md = new dnnl_memory_desc();
            check(dnnl_memory_desc_create_submemory(md, parent, dims, offsets), "sub-memory descriptor");
            return add(md, () -> dnnl_memory_desc_destroy(md));
        }

        @Override
        public void close() {
            while (!destroyers.isEmpty()) {
                destroyers.pop().run();
            }
        }
    }
}
