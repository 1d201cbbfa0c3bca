package io.github.inception4j.spark;

import io.github.inception4j.data.ImageDecodeException;
import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageDecoder;
import io.github.inception4j.eval.CropProtocol;
import io.github.inception4j.eval.ImageClassifier;
import io.github.inception4j.nn.InferenceBackend;
import io.github.inception4j.weights.Tensor;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
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
 * {@code content}): one row out per row in, {@code path}, then the top-k {@code predictions} (index, label,
 * probability) or an endpoint's {@code features}, and {@code error}. An image that cannot be decoded (damaged,
 * unsupported, over the decode budget) gets its reason in {@code error} and nothing else; it never fails the job.
 * One classifier per executor JVM, forward passes over batches of images.
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

    /** The rows {@link #features} returns: an endpoint's output for the centre view, C·H·W values row-major. */
    public static final StructType FEATURES = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("error", DataTypes.StringType, true);

    private final String checkpoint;
    private final InferenceBackend backend;
    private final CropProtocol protocol;
    private final int topK;
    private final int batchSize;

    /**
     * @param protocol the views averaged per image (centre, centre and mirror, 10 or 144 crops)
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

    /**
     * The image files under {@code paths} (directories are read recursively), as {@code path}, {@code content}.
     * Spark's scan drops empty files, so those are listed again here and added with empty content: they get an
     * error row like any other file that is not an image, and the output keeps one row per file.
     */
    public static Dataset<Row> readImages(SparkSession spark, List<String> paths) {
        List<String> extensions = new ArrayList<>();
        ImageDecoder.EXTENSIONS.forEach(e -> extensions.addAll(List.of(e, e.toUpperCase(Locale.ROOT))));
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.{" + String.join(",", extensions) + "}")
                .load(paths.toArray(String[]::new)).select("path", "content");
        List<Row> empty = new ArrayList<>();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        for (String path : paths) {
            try {
                org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(path);
                RemoteIterator<LocatedFileStatus> listed = root.getFileSystem(hadoop).listFiles(root, true);
                while (listed.hasNext()) {
                    LocatedFileStatus f = listed.next();
                    String name = f.getPath().getName();
                    String extension = name.substring(name.lastIndexOf('.') + 1);
                    if (f.getLen() == 0 && name.contains(".") && extensions.contains(extension)) {
                        empty.add(RowFactory.create(f.getPath().toString(), new byte[0]));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + path, e);
            }
        }
        return empty.isEmpty() ? files : files.union(spark.createDataFrame(empty, files.schema()));
    }

    /** {@link #SCHEMA} rows for a DataFrame with {@code path} (string) and {@code content} (binary) columns. */
    public Dataset<Row> classify(Dataset<Row> images) {
        return images.select("path", "content").mapPartitions(
                (MapPartitionsFunction<Row, Row>) rows -> new Batches(rows, null), Encoders.row(SCHEMA));
    }

    /**
     * {@link #FEATURES} rows for a DataFrame with {@code path} and {@code content} columns: the output of
     * {@code endpoint} (a layer of the main path; null: the pooled pre-logits), on DJL's engine as
     * {@code inception features} computes it.
     */
    public Dataset<Row> features(Dataset<Row> images, String endpoint) {
        return images.select("path", "content").mapPartitions(
                (MapPartitionsFunction<Row, Row>) rows -> new Batches(rows,
                        endpoint != null ? endpoint : ExecutorCache.classifier(checkpoint, backend).spec()
                                .preLogitsEndpoint()), Encoders.row(FEATURES));
    }

    /** Rows out, a batch at a time: only one batch of decoded images is held. */
    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> in;
        /** The endpoint whose output the rows carry, or null for the top-k predictions. */
        private final String endpoint;
        private final ImageClassifier classifier = ExecutorCache.classifier(checkpoint, backend);
        private final ImageDecoder decoder = classifier.decoder(List.of(protocol));
        private Iterator<Row> out = List.<Row>of().iterator();

        Batches(Iterator<Row> in, String endpoint) {
            this.in = in;
            this.endpoint = endpoint;
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
            List<FloatImage> images = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            while (rows.hasNext() && paths.size() < batchSize) {
                Row row = rows.next();
                String path = row.getString(0);
                paths.add(path);
                try {
                    images.add(decoder.read((byte[]) row.get(1), path));
                    errors.add(null);
                } catch (ImageDecodeException e) {
                    // One bad image is that row's error, never the job's end.
                    images.add(null);
                    errors.add(e.problem());
                }
            }
            List<FloatImage> good = images.stream().filter(v -> v != null).toList();
            List<Object> values = good.isEmpty() ? List.of() : endpoint == null ? predictions(good) : features(good);
            List<Row> result = new ArrayList<>();
            int g = 0;
            for (int i = 0; i < paths.size(); i++) {
                result.add(errors.get(i) != null ? RowFactory.create(paths.get(i), null, errors.get(i))
                        : RowFactory.create(paths.get(i), values.get(g++), null));
            }
            return result;
        }

        /** Each image's top-k, as the Scala sequence an array column's value in a Row is. */
        private List<Object> predictions(List<FloatImage> good) {
            int length = protocol.views() * classifier.sampleLength();
            float[] x = new float[good.size() * length];
            for (int i = 0; i < good.size(); i++) {
                System.arraycopy(classifier.preprocess(good.get(i), List.of(protocol)), 0, x, i * length, length);
            }
            float[][] p = classifier.probabilitiesOfViews(x, good.size(), protocol.views());
            int k = Math.min(topK, classifier.classNames().size());
            List<Object> out = new ArrayList<>();
            for (float[] probabilities : p) {
                List<Row> top = classifier.topK(probabilities, k).stream()
                        .map(t -> RowFactory.create(t.index(), t.label(), t.probability())).toList();
                out.add(CollectionConverters.asScala(top).toSeq());
            }
            return out;
        }

        /** Each image's endpoint output, flattened. */
        private List<Object> features(List<FloatImage> good) {
            Tensor t = classifier.features(good, endpoint);
            float[] all = t.toFloats();
            int per = all.length / good.size();
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < good.size(); i++) {
                List<Float> row = new ArrayList<>(per);
                for (int j = 0; j < per; j++) {
                    row.add(all[i * per + j]);
                }
                out.add(CollectionConverters.asScala(row).toSeq());
            }
            return out;
        }
    }
}
