package io.github.inception4j.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads any weight file this project understands, by its content (never its extension): torch.save zips
 * ({@code .pth}, {@code .pt}), safetensors, NumPy {@code .npz} / {@code .npy}, and (given the network's spec)
 * Keras HDF5. Every failure is a
 * {@link WeightFileException} naming the file and the problem.
 */
public final class WeightFiles {

    private WeightFiles() {
    }

    /** Every tensor in the file, by name, in file order. */
    public static Map<String, Tensor> read(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        } catch (NoSuchFileException e) {
            throw new WeightFileException(file, "no such file");
        } catch (IOException e) {
            throw new WeightFileException(file, "cannot read: " + e.getMessage(), e);
        }
        try {
            // Safetensors first: its first 8 bytes are a header length, whose low bytes can read "PK" (a length of
            // 19,280 + k·65,536); a real zip never passes its check (a '{' at byte 8, a length under 100 MB).
            if (Safetensors.sniff(head)) {
                return Safetensors.read(file, Files.readAllBytes(file));
            }
            if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
                return readZip(file);
            }
            if (head.length >= 6 && Arrays.equals(Arrays.copyOf(head, 6), Numpy.MAGIC)) {
                Tensor t = Numpy.readNpy(file, stem(file), Files.readAllBytes(file));
                return Map.of(t.name(), t);
            }
            if (head.length >= 8 && Arrays.equals(Arrays.copyOf(head, 8), KerasH5.MAGIC)) {
                throw new WeightFileException(file, "an HDF5 (Keras) file: its layers are named by creation order, "
                        + "so it can only be read against a network; use WeightLoader.load(network, file, mode)");
            }
            if (head.length >= 2 && (head[0] & 0xff) == 0x80) {
                throw new WeightFileException(file, "a legacy (pre-1.6) torch.save pickle; re-save it with "
                        + "torch >= 1.6 (torch.save(model.state_dict(), path)) or as safetensors");
            }
        } catch (IOException e) {
            throw new WeightFileException(file, "cannot read: " + e.getMessage(), e);
        }
        throw new WeightFileException(file, "not a weight file this project reads (torch.save zip, safetensors, "
                + ".npz or .npy)");
    }

    /** Like {@link #read(Path)}, and also Keras HDF5 files, whose names only the network's spec can resolve. */
    public static Map<String, Tensor> read(Path file, io.github.inception4j.spec.NetworkSpec spec) {
        if (isKerasHdf5(file)) {
            return KerasH5.read(file, spec);
        }
        return read(file);
    }

    /** Whether the file starts with HDF5's signature (Keras weights). */
    public static boolean isKerasHdf5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(8), KerasH5.MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, Tensor> readZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (TorchZip.isTorchZip(zip)) {
                return TorchZip.read(file, zip);
            }
        } catch (ZipException e) {
            throw new WeightFileException(file, "damaged zip (truncated download?): " + e.getMessage(), e);
        } catch (WeightFileException e) {
            throw e;
        } catch (RuntimeException e) {
            // The JDK's zip reader throws IllegalArgumentException for an entry name that is not UTF-8.
            throw WeightFileException.malformed(file, "zip", e);
        }
        return Numpy.readNpz(file, Files.readAllBytes(file));
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
