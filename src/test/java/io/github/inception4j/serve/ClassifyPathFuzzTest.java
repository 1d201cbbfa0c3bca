package io.github.inception4j.serve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.inception4j.data.DecodeBudget;
import io.github.inception4j.data.ImageDecodeException;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.eval.CropProtocol;
import io.github.inception4j.eval.ImageClassifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes what the server does with a request body before batching (decode within the budget, then preprocess
 * into the centre view): only {@link ImageDecodeException} may come out, and every sample is 3 × S × S finite floats.
 */
class ClassifyPathFuzzTest {

    private static final ImageClassifier CLASSIFIER;
    private static final ImageDecoder DECODER;

    static {
        try {
            CLASSIFIER = ImageClassifier.load(TestModels.smallCheckpoint(Files.createTempDirectory("fuzz-model")
                    .resolve("model")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DECODER = CLASSIFIER.decoder(List.of(CropProtocol.CENTER)).withBudget(new DecodeBudget(256L << 20), 1000);
    }

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void classify(byte[] body) {
        try {
            float[] sample = InferenceServer.sample(DECODER, CLASSIFIER, body);
            if (sample.length != CLASSIFIER.sampleLength()) {
                throw new IllegalStateException("sample of " + sample.length + " floats");
            }
            for (float v : sample) {
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException("non-finite input value " + v);
                }
            }
        } catch (ImageDecodeException expected) {
            // documented refusal
        }
    }
}
