package io.github.inception4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.Pointer;

/**
 * A network compiled for one batch size: its primitives in execution order, each with its arguments bound, and
 * the buffers they read and write laid out in one arena.
 *
 * <p>Buffers are placed by their lifetimes (the steps from the one that writes a buffer to the last that reads
 * it): two buffers share bytes when their lifetimes do not overlap, so an arena holds a few layers' activations,
 * not the whole network's. Plans of several batch sizes share one arena (they never run at once), so memory grows
 * with the largest batch only. The arena's address is bound into the plan's memories before a run when it moved.
 */
final class Plan {

    private static final long ALIGNMENT = 64;

    /** A buffer: bytes, and the steps between which it is live (inclusive). */
    private static final class Buffer {
        final long bytes;
        final int first;
        int last;
        long offset = -1;

        Buffer(long bytes, int first) {
            this.bytes = bytes;
            this.first = first;
            this.last = first;
        }

        boolean overlaps(Buffer other) {
            return first <= other.last && other.first <= last;
        }
    }

    /** One primitive call: what it runs and its arguments (DNNL_ARG_* → memory). */
    record Step(String layer, String implementation, dnnl_primitive primitive, dnnl_exec_arg_t args, int count) {
    }

    /**
     * A memory whose data lies {@code bytes} into a buffer of the arena (views described with an offset lie at
     * their buffer's start; matrix views, whose primitives ignore a descriptor's offset, at their first element).
     */
    private record Binding(dnnl_memory memory, int buffer, long bytes) {
    }

    final int batch;
    private final Dnnl.Handles handles;
    private final dnnl_engine engine;
    private final List<Step> steps = new ArrayList<>();
    private final List<Buffer> buffers = new ArrayList<>();
    private final List<Binding> bindings = new ArrayList<>();
    private Pointer boundTo;
    private long scratchpadBytes;
    private long arenaBytes = -1;
    private int input = -1;
    private int logits = -1;

    Plan(int batch, Dnnl.Handles handles, dnnl_engine engine) {
        this.batch = batch;
        this.handles = handles;
        this.engine = engine;
    }

    /** A new buffer of {@code bytes}, written by the next step. */
    int buffer(long bytes) {
        buffers.add(new Buffer(bytes, steps.size()));
        return buffers.size() - 1;
    }

    /** Keeps {@code buffer} live through the next step, which reads it. */
    void read(int buffer) {
        buffers.get(buffer).last = steps.size();
    }

    /** Keeps {@code buffer} live to the end of a run (the logits, read after it). */
    void keep(int buffer) {
        buffers.get(buffer).last = Integer.MAX_VALUE;
    }

    /** A memory of {@code desc} over {@code buffer}'s bytes, bound when the plan runs. */
    dnnl_memory memory(dnnl_memory_desc desc, int buffer) {
        return memory(desc, buffer, 0);
    }

    /** A memory of {@code desc} starting {@code bytes} into {@code buffer}, bound when the plan runs. */
    dnnl_memory memory(dnnl_memory_desc desc, int buffer, long bytes) {
        dnnl_memory memory = new dnnl_memory();
        Dnnl.check(dnnl_memory_create(memory, desc, engine, null), "memory");
        handles.add(memory, () -> dnnl_memory_destroy(memory));
        bindings.add(new Binding(memory, buffer, bytes));
        return memory;
    }

    /** Reserves scratch space for a primitive (one region shared by all steps: they run one at a time). */
    dnnl_memory scratchpad(dnnl_memory_desc desc, long bytes) {
        scratchpadBytes = Math.max(scratchpadBytes, bytes);
        return memory(desc, -1);
    }

    void add(Step step) {
        steps.add(step);
    }

    List<Step> steps() {
        return List.copyOf(steps);
    }

    /**
     * Places the buffers, {@code input} being the image batch a run starts from and {@code logits} what it ends
     * with; returns the arena bytes this plan needs (activations, then the scratchpad).
     */
    long layout(int input, int logits) {
        this.input = input;
        this.logits = logits;
        List<Buffer> placed = new ArrayList<>();
        List<Buffer> bySize = new ArrayList<>(buffers);
        bySize.sort(Comparator.comparingLong((Buffer b) -> -b.bytes));
        long end = 0;
        for (Buffer b : bySize) {
            List<Buffer> live = placed.stream().filter(b::overlaps)
                    .sorted(Comparator.comparingLong(p -> p.offset)).toList();
            long offset = 0;
            for (Buffer p : live) {
                if (offset + b.bytes <= p.offset) {
                    break;
                }
                offset = Math.max(offset, align(p.offset + p.bytes));
            }
            b.offset = offset;
            placed.add(b);
            end = Math.max(end, align(offset + b.bytes));
        }
        arenaBytes = end + scratchpadBytes;
        return arenaBytes;
    }

    long arenaBytes() {
        return arenaBytes;
    }

    /** Where the (N, C, H, W) f32 input batch lies in an arena at {@code arena}. */
    Pointer input(Pointer arena) {
        return address(arena, input);
    }

    /** Where the (N, classes) f32 logits lie in an arena at {@code arena}. */
    Pointer logits(Pointer arena) {
        return address(arena, logits);
    }

    private Pointer address(Pointer arena, int buffer) {
        return address(arena, buffer, 0);
    }

    private Pointer address(Pointer arena, int buffer, long bytes) {
        return new Dnnl.Address(arena.address() + offsetOf(buffer) + bytes);
    }

    private long offsetOf(int buffer) {
        return buffer < 0 ? arenaBytes - scratchpadBytes : buffers.get(buffer).offset;
    }

    /**
     * Runs every step on {@code stream} with the arena at {@code arena} and waits for the last.
     *
     * @param nanos null, or an array with a slot per step to which each step's own time is added (then each step
     *     is waited for, which costs a little)
     */
    void run(dnnl_stream stream, Pointer arena, long[] nanos) {
        if (boundTo == null || boundTo.address() != arena.address()) {
            for (Binding b : bindings) {
                Dnnl.check(dnnl_memory_set_data_handle(b.memory(), address(arena, b.buffer(), b.bytes())),
                        "bind memory");
            }
            boundTo = arena;
        }
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            long start = nanos == null ? 0 : System.nanoTime();
            Dnnl.check(dnnl_primitive_execute(s.primitive(), stream, s.count(), s.args()), "execute " + s.layer());
            if (nanos != null) {
                Dnnl.check(dnnl_stream_wait(stream), "wait");
                nanos[i] += System.nanoTime() - start;
            }
        }
        Dnnl.check(dnnl_stream_wait(stream), "wait");
    }

    private static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
