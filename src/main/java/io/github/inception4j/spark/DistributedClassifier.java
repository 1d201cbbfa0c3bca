package io.github.inception4j.spark;

import io.github.inception4j.data.ImageDecodeException;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.eval.CropProtocol;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.nn.InferenceBackend;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Batch inference over a DataFrame of encoded images (Spark's {@code binaryFile} source: {@code path},
 * {@code content}): one row out per row in, {@code path}, the top-k {@code predictions} (index, label,
 * probability) and {@code error}. An image that cannot be decoded (damaged, unsupported, over the decode budget)
 * gets its reason in {@code error} and no predictions; it never fails the job. One classifier per executor JVM,
 * forward passes over batches of images.
 */
public final class DistributedClassifier implements Serializable {

    /** One prediction of the {@code predictions} column. */
    public static final StructType PREDICTION = new StructType()
            .add("index", DataTypes.IntegerType, false)
            .add("label", DataTypes.StringType, false)
            .add("probability", DataTypes.DoubleType, false);

    /** The rows {@link #classify} returns. */
    public static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("predictions", DataTypes.createArrayType(PREDICTION, false), true)
            .add("error", DataTypes.StringType, true);

    private final String checkpoint;
    private final InferenceBackend backend;
    private final CropProtocol protocol;
    private final int topK;
    private final int batchSize;

    /**
     * @param protocol the views averaged per image (centre, 10 or 144 crops)
     * @param batchSize images decoded and classified together
     */
    public DistributedClassifier(String checkpoint, InferenceBackend backend, CropProtocol protocol, int topK,
                                 int batchSize) {
        if (topK < 1 || batchSize < 1) {
            throw new IllegalArgumentException("--top-k and --batch-size must be at least 1");
        }
        this.checkpoint = checkpoint;
        this.backend = backend;
        this.protocol = protocol;
        this.topK = topK;
        this.batchSize = batchSize;
    }

    /** The image files under {@code paths} (directories are read recursively), as {@code path}, {@code content}. */
    public static Dataset<Row> readImages(SparkSession spark, List<String> paths) {
        List<String> extensions = new ArrayList<>();
        ImageDecoder.EXTENSIONS.forEach(e -> extensions.addAll(List.of(e, e.toUpperCase(java.util.Locale.ROOT))));
        return spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.{" + String.join(",", extensions) + "}")
                .load(paths.toArray(String[]::new)).select("path", "content");
    }

    /** {@link #SCHEMA} rows for a DataFrame with {@code path} (string) and {@code content} (binary) columns. */
    public Dataset<Row> classify(Dataset<Row> images) {
        return images.select("path", "content").mapPartitions(
                (MapPartitionsFunction<Row, Row>) rows -> new Batches(rows), Encoders.row(SCHEMA));
    }

    /** Rows out, a batch at a time: only one batch of decoded images is held. */
    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> in;
        private final ImageClassifier classifier = ExecutorCache.classifier(checkpoint, backend);
        private final ImageDecoder decoder = classifier.decoder(List.of(protocol));
        private Iterator<Row> out = List.<Row>of().iterator();

        Batches(Iterator<Row> in) {
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            while (!out.hasNext() && in.hasNext()) {
                out = next(in).iterator();
            }
            return out.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return out.next();
        }

        private List<Row> next(Iterator<Row> rows) {
            List<String> paths = new ArrayList<>();
            List<float[]> views = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            while (rows.hasNext() && paths.size() < batchSize) {
                Row row = rows.next();
                String path = row.getString(0);
                paths.add(path);
                try {
                    views.add(classifier.preprocess(decoder.read((byte[]) row.get(1), path), List.of(protocol)));
                    errors.add(null);
                } catch (ImageDecodeException e) {
                    // One bad image is that row's error, never the job's end.
                    views.add(null);
                    errors.add(e.problem());
                }
            }
            List<float[]> good = views.stream().filter(v -> v != null).toList();
            int length = protocol.views() * classifier.sampleLength();
            float[] x = new float[good.size() * length];
            for (int i = 0; i < good.size(); i++) {
                System.arraycopy(good.get(i), 0, x, i * length, length);
            }
            float[][] p = good.isEmpty() ? new float[0][] : classifier.probabilitiesOfViews(x, good.size(),
                    protocol.views());
            int k = Math.min(topK, classifier.classNames().size());
            List<Row> result = new ArrayList<>();
            int g = 0;
            for (int i = 0; i < paths.size(); i++) {
                if (errors.get(i) != null) {
                    result.add(RowFactory.create(paths.get(i), null, errors.get(i)));
                } else {
                    List<Row> top = classifier.topK(p[g++], k).stream()
                            .map(t -> RowFactory.create(t.index(), t.label(), t.probability())).toList();
                    // An array column's value in a Row is a Scala sequence.
                    result.add(RowFactory.create(paths.get(i), CollectionConverters.asScala(top).toSeq(), null));
                }
            }
            return result;
        }
    }
}
