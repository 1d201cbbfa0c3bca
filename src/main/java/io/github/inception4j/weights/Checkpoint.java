package io.github.inception4j.weights;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonParseException;
import io.github.inception4j.models.Architecture;
import io.github.inception4j.models.ModelOptions;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.spec.ParameterSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * This project's checkpoint: a directory with {@value #WEIGHTS} (every parameter and buffer under its spec name)
 * and {@value #METADATA} (format version, architecture and options, class names, preprocessing, provenance).
 * Loaded by name, never by position; written atomically (a sibling directory is written and fsynced, then
 * renamed into place), so a crash leaves either the old checkpoint or the new one.
 */
public final class Checkpoint {

    public static final int FORMAT_VERSION = 1;
    public static final String WEIGHTS = "weights.safetensors";
    public static final String METADATA = "checkpoint.json";

    /** Where weights came from: the file they were converted from (with its SHA-256), or a training run. */
    public record Provenance(String source, String sha256, String created, String tool) {
    }

    /** checkpoint.json. */
    public record Metadata(int formatVersion, String architecture, ModelOptions options, List<String> classNames,
                           Preprocessing preprocessing, Provenance provenance) {
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    private Checkpoint() {
    }

    /** Writes the network's current values and the metadata to {@code dir}, atomically. */
    public static void save(Path dir, InceptionNetwork network, Metadata metadata) throws IOException {
        save(dir, network, metadata, Map.of());
    }

    /**
     * As {@link #save(Path, InceptionNetwork, Metadata)}, with further files (a training run's optimizer state,
     * averaged weights, progress) written into the same directory in the same atomic step.
     */
    public static void save(Path dir, InceptionNetwork network, Metadata metadata, Map<String, byte[]> extraFiles)
            throws IOException {
        List<Tensor> tensors = tensors(network, KeyScheme.SPEC);
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + dir.getFileName() + ".writing-");
        if (Files.getFileStore(staging).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try {
            ByteArrayOutputStream weights = new ByteArrayOutputStream();
            Safetensors.write(weights, tensors, Map.of("format", "inception4j", "architecture",
                    metadata.architecture()));
            writeSynced(staging.resolve(WEIGHTS), weights.toByteArray());
            writeSynced(staging.resolve(METADATA), GSON.toJson(metadata).getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> extra : extraFiles.entrySet()) {
                if (extra.getKey().equals(WEIGHTS) || extra.getKey().equals(METADATA) || extra.getKey().contains("/")) {
                    throw new IllegalArgumentException("extra checkpoint file name '" + extra.getKey() + "' is taken");
                }
                writeSynced(staging.resolve(extra.getKey()), extra.getValue());
            }
            replaceDirectory(staging, dir);
        } finally {
            deleteRecursively(staging);
        }
    }

    /** Reads checkpoint.json, refusing formats newer than this code understands. */
    public static Metadata readMetadata(Path dir) {
        Path file = dir.resolve(METADATA);
        Metadata metadata;
        try {
            metadata = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Metadata.class);
        } catch (NoSuchFileException e) {
            throw new WeightFileException(dir, "not a checkpoint: " + METADATA + " is missing");
        } catch (IOException | JsonParseException e) {
            throw new WeightFileException(file, "unreadable checkpoint metadata: " + e.getMessage(), e);
        }
        if (metadata == null || metadata.architecture() == null || metadata.options() == null) {
            throw new WeightFileException(file, "checkpoint metadata lacks the architecture or its options");
        }
        if (metadata.formatVersion() > FORMAT_VERSION) {
            throw new WeightFileException(file, "checkpoint format " + metadata.formatVersion()
                    + " is newer than this version of inception4j understands (" + FORMAT_VERSION + ")");
        }
        return metadata;
    }

    /** The architecture the checkpoint was saved from. */
    public static Architecture architecture(Metadata metadata) {
        return Architecture.byName(metadata.architecture());
    }

    /** Loads the checkpoint's weights strictly into a network built from its own metadata. */
    public static LoadReport loadInto(InceptionNetwork network, Path dir) {
        return WeightLoader.load(network, dir.resolve(WEIGHTS), WeightLoader.Mode.STRICT);
    }

    /** Provenance for weights converted from {@code source}: its path and SHA-256. */
    public static Provenance convertedFrom(Path source) throws IOException {
        return new Provenance(source.toString(), sha256(source), Instant.now().toString(), "inception4j convert");
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a file next to its destination, fsyncs it, then renames it into place. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempFile(parent, "." + file.getFileName() + ".writing-", "");
        try {
            writeSynced(staging, bytes);
            Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(staging);
        }
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Puts {@code staging} at {@code target}; an existing target is moved aside first and removed after. */
    private static void replaceDirectory(Path staging, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteRecursively(old);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes tensors as a torchvision-compatible safetensors file (torchvision key names), atomically. */
    public static void exportTorchvision(Path file, InceptionNetwork network) throws IOException {
        List<Tensor> tensors = tensors(network, KeyScheme.TORCHVISION);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, tensors, Map.of("format", "pt"));
        writeAtomically(file, out.toByteArray());
    }

    /** Every parameter and buffer as float32, named under {@code scheme}. */
    private static List<Tensor> tensors(InceptionNetwork network, KeyScheme scheme) {
        List<Tensor> tensors = new ArrayList<>();
        for (ParameterSpec p : network.spec().parameters()) {
            float[] values = network.parameter(p.name()).getArray().toType(DataType.FLOAT32, false).toFloatArray();
            tensors.add(Tensor.ofFloats(scheme.keyOf(network.spec(), p.name()), p.shape(), values));
        }
        return tensors;
    }
}
