package io.github.inception4j.weights;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import io.github.inception4j.data.Interpolation;
import io.github.inception4j.data.Preprocessing;
import io.github.inception4j.json.JsonRecords;
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
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This project's checkpoint: a directory with {@value #WEIGHTS} (every parameter and buffer under its spec name)
 * and {@value #METADATA} (format version, architecture and options, class names, preprocessing, provenance).
 * Loaded by name, never by position; written atomically (a sibling directory is written and fsynced, then
 * renamed into place), so a crash leaves either the old checkpoint or the new one.
 *
 * <p>Every file is listed with its SHA-256 in {@value #CHECKSUMS} ({@code sha256sum -c checksums.sha256} checks it
 * by hand), and {@link #readMetadata} verifies every listed file before anything is used: a checkpoint damaged
 * after it was written (a flaky disk, a partial copy) is refused naming the file, never loaded with corrupted
 * weights. Checkpoints written before checksums load with a warning.
 */
public final class Checkpoint {

    /** 2 since 2026-11: the preprocessing's mean, std and BGR flag are one "normalization" object. 1 is read. */
    public static final int FORMAT_VERSION = 2;
    public static final String WEIGHTS = "weights.safetensors";
    public static final String METADATA = "checkpoint.json";
    public static final String CHECKSUMS = "checksums.sha256";

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
    /** A line of sha256sum's text format: 64 hex digits, two spaces, a plain file name. */
    private static final Pattern CHECKSUM_LINE = Pattern.compile("([0-9a-f]{64})  ([A-Za-z0-9._-]+)");

    /** Where weights came from: the file they were converted from (with its SHA-256), or a training run. */
    public record Provenance(String source, String sha256, String created, String tool) {
    }

    /** checkpoint.json. */
    public record Metadata(int formatVersion, String architecture, ModelOptions options, List<String> classNames,
                           Preprocessing preprocessing, Provenance provenance) {
    }

    /** checkpoint.json's form; interpolation is written by its id ("bilinear"), as format 1 always did. */
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .registerTypeAdapter(Interpolation.class, new TypeAdapter<Interpolation>() {
                @Override
                public void write(JsonWriter out, Interpolation value) throws IOException {
                    out.value(value == null ? null : value.id());
                }

                @Override
                public Interpolation read(JsonReader in) throws IOException {
                    return Interpolation.byId(in.nextString());
                }
            }.nullSafe())
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
            Map<String, byte[]> files = new TreeMap<>();
            files.put(WEIGHTS, weights.toByteArray());
            files.put(METADATA, GSON.toJson(metadata).getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> extra : extraFiles.entrySet()) {
                if (files.containsKey(extra.getKey()) || extra.getKey().equals(CHECKSUMS)
                        || !CHECKSUM_LINE.matcher("0".repeat(64) + "  " + extra.getKey()).matches()) {
                    throw new IllegalArgumentException("extra checkpoint file name '" + extra.getKey() + "' is taken "
                            + "or not a plain file name");
                }
                files.put(extra.getKey(), extra.getValue());
            }
            StringBuilder checksums = new StringBuilder();
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                writeSynced(staging.resolve(file.getKey()), file.getValue());
                checksums.append(HexFormat.of().formatHex(digest().digest(file.getValue()))).append("  ")
                        .append(file.getKey()).append('\n');
            }
            writeSynced(staging.resolve(CHECKSUMS), checksums.toString().getBytes(StandardCharsets.US_ASCII));
            replaceDirectory(staging, dir);
        } finally {
            deleteRecursively(staging);
        }
    }

    /**
     * Verifies every file of the checkpoint ({@link #verify}), then reads checkpoint.json, refusing formats newer
     * than this code understands.
     */
    public static Metadata readMetadata(Path dir) {
        verify(dir);
        Path file = dir.resolve(METADATA);
        Metadata metadata;
        try {
            JsonObject tree = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            if (tree.get("preprocessing") instanceof JsonObject preprocessing) {
                JsonRecords.nest(preprocessing, "normalization", "mean", "std", "bgr");
            }
            metadata = GSON.fromJson(tree, Metadata.class);
        } catch (NoSuchFileException e) {
            throw new WeightFileException(dir, "not a checkpoint: " + METADATA + " is missing");
        } catch (IOException | JsonParseException e) {
            throw new WeightFileException(file, "unreadable checkpoint metadata: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw WeightFileException.malformed(file, "checkpoint metadata", e);
        }
        if (metadata == null || metadata.architecture() == null || metadata.options() == null) {
            throw new WeightFileException(file, "checkpoint metadata lacks the architecture or its options");
        }
        if (metadata.formatVersion() > FORMAT_VERSION) {
            throw new WeightFileException(file, "checkpoint format " + metadata.formatVersion()
                    + " is newer than this version of inception4j understands (" + FORMAT_VERSION + ")");
        }
        try {
            // The architecture and options must describe a network (spec building is pure arithmetic).
            architecture(metadata).spec(metadata.options());
        } catch (RuntimeException e) {
            throw new WeightFileException(file, "checkpoint metadata describes no network this version builds: "
                    + e.getMessage(), e);
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

    /**
     * Checks every file listed in {@value #CHECKSUMS} against its SHA-256, and that the list names the weights and
     * the metadata. A checkpoint without the list (written before checksums) passes with a warning.
     *
     * @throws WeightFileException naming the damaged file (or the list) and what differs
     */
    public static void verify(Path dir) {
        Path list = dir.resolve(CHECKSUMS);
        if (!Files.exists(list)) {
            if (Files.exists(dir.resolve(METADATA))) {
                LOG.warn("{} has no {} (written before checkpoints carried checksums): loading it unverified", dir,
                        CHECKSUMS);
            }
            return;
        }
        List<String> lines;
        try {
            lines = List.of(Files.readString(list, StandardCharsets.US_ASCII).split("\n", -1));
        } catch (IOException | RuntimeException e) {
            throw new WeightFileException(list, "unreadable checksum list: " + e.getMessage(), e);
        }
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() && i == lines.size() - 1) {
                break;
            }
            Matcher m = CHECKSUM_LINE.matcher(line);
            if (!m.matches() || expected.put(m.group(2), m.group(1)) != null) {
                throw new WeightFileException(list, "damaged checksum list: line " + (i + 1) + " is not '<sha-256>  "
                        + "<file>' or repeats a file");
            }
        }
        if (!lines.get(lines.size() - 1).isEmpty()) {
            throw new WeightFileException(list, "damaged checksum list: it does not end with a new line");
        }
        for (String required : List.of(WEIGHTS, METADATA)) {
            if (!expected.containsKey(required)) {
                throw new WeightFileException(list, "damaged checksum list: it does not list " + required);
            }
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path file = dir.resolve(e.getKey());
            String actual;
            try {
                actual = sha256(file);
            } catch (NoSuchFileException ex) {
                throw new WeightFileException(file, "missing: " + CHECKSUMS + " lists it but the checkpoint does not "
                        + "have it");
            } catch (IOException ex) {
                throw new WeightFileException(file, "cannot read: " + ex.getMessage(), ex);
            }
            if (!actual.equals(e.getValue())) {
                throw new WeightFileException(file, "damaged: its SHA-256 is " + actual + " but " + CHECKSUMS
                        + " says " + e.getValue() + " (changed or corrupted after it was written; copy it again or "
                        + "use another checkpoint)");
            }
        }
    }

    /** Provenance for weights converted from {@code source}: its path and SHA-256. */
    public static Provenance convertedFrom(Path source) throws IOException {
        return new Provenance(source.toString(), sha256(source), Instant.now().toString(), "inception4j convert");
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = digest();
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
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

    /** Removes {@code path} and everything under it (nothing when it does not exist). */
    public static void deleteRecursively(Path path) throws IOException {
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
            float[] values = network.floats(p.name());
            tensors.add(Tensor.ofFloats(scheme.keyOf(network.spec(), p.name()), p.shape(), values));
        }
        return tensors;
    }
}
