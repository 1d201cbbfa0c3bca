package io.github.inception4j.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes checkpoint metadata: the input is a checkpoint's checkpoint.json, listed with its true SHA-256 (so the
 * JSON parser and the checks behind it are reached, not only the checksum). Only WeightFileException may come out.
 */
class CheckpointMetadataFuzzTest {

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void read(byte[] input) throws Exception {
        byte[] weights = new byte[0];
        FuzzFiles.write(Checkpoint.WEIGHTS, weights);
        FuzzFiles.write(Checkpoint.METADATA, input);
        HexFormat hex = HexFormat.of();
        String list = hex.formatHex(MessageDigest.getInstance("SHA-256").digest(input)) + "  " + Checkpoint.METADATA
                + "\n" + hex.formatHex(MessageDigest.getInstance("SHA-256").digest(weights)) + "  "
                + Checkpoint.WEIGHTS + "\n";
        FuzzFiles.write(Checkpoint.CHECKSUMS, list.getBytes(StandardCharsets.US_ASCII));
        try {
            Checkpoint.Metadata metadata = Checkpoint.readMetadata(FuzzFiles.DIR);
            Checkpoint.architecture(metadata).spec(metadata.options());
        } catch (WeightFileException expected) {
            // documented refusal
        }
    }
}
