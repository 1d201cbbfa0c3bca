package io.github.inception4j.detect;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import io.github.inception4j.weights.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A COCO instances file ({@code images}, {@code annotations} with {@code bbox = [x, y, w, h]} in pixels and
 * {@code iscrowd}, {@code categories}) and the folder of its pictures. Classes are the categories sorted by id, so
 * class k is the k-th category (COCO's ids have gaps). Crowd regions are kept as ignored annotations.
 */
public final class CocoDataset implements DetectionDataset {

    /** The file's form: the fields this project reads and writes. */
    record File(List<Picture> images, List<Instance> annotations, List<Category> categories) {
    }

    record Picture(long id, @SerializedName("file_name") String fileName, int width, int height) {
    }

    record Instance(long id, @SerializedName("image_id") long imageId, @SerializedName("category_id") long categoryId,
                    double[] bbox, double area, int iscrowd) {
    }

    record Category(long id, String name) {
    }

    /** One picture and its objects, to write. */
    public record Entry(String fileName, int width, int height, List<Annotation> objects) {
    }

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final List<Path> files;
    private final List<List<Annotation>> objects;
    private final List<String> classNames;

    private CocoDataset(List<Path> files, List<List<Annotation>> objects, List<String> classNames) {
        this.files = files;
        this.objects = objects;
        this.classNames = classNames;
    }

    /**
     * Reads {@code instances}; the pictures' {@code file_name}s are relative to {@code pictures}. Whatever the file
     * holds, what cannot be read comes out as an IllegalArgumentException naming it.
     */
    public static CocoDataset open(Path instances, Path pictures) throws IOException {
        String json = new String(Files.readAllBytes(instances), StandardCharsets.UTF_8);
        try {
            return parse(json, instances, pictures);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // A null entry, a missing name, a field of the wrong type: malformed, at the parser's boundary.
            throw new IllegalArgumentException("malformed COCO file " + instances + ": " + e, e);
        }
    }

    private static CocoDataset parse(String json, Path instances, Path pictures) {
        File f;
        try {
            f = GSON.fromJson(json, File.class);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("unreadable COCO file " + instances + ": " + e.getMessage(), e);
        }
        if (f == null || f.images() == null || f.annotations() == null || f.categories() == null) {
            throw new IllegalArgumentException(instances + " is not a COCO instances file (images, annotations and "
                    + "categories are required)");
        }
        List<Category> categories = new ArrayList<>(f.categories());
        categories.sort(Comparator.comparingLong(Category::id));
        Map<Long, Integer> classOf = new HashMap<>();
        categories.forEach(c -> classOf.put(c.id(), classOf.size()));
        Map<Long, Integer> indexOf = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        List<List<Annotation>> objects = new ArrayList<>();
        for (Picture p : f.images()) {
            indexOf.put(p.id(), files.size());
            files.add(pictures.resolve(p.fileName()));
            objects.add(new ArrayList<>());
        }
        for (Instance a : f.annotations()) {
            Integer image = indexOf.get(a.imageId());
            Integer label = classOf.get(a.categoryId());
            if (image == null || label == null || a.bbox() == null || a.bbox().length != 4) {
                throw new IllegalArgumentException(instances + ": annotation " + a.id() + " names an unknown image "
                        + "or category, or has no [x, y, w, h] box");
            }
            double[] b = a.bbox();
            objects.get(image).add(new Annotation(Box.ofCoco(b[0], b[1], b[2], b[3]), label, a.iscrowd() != 0));
        }
        return new CocoDataset(List.copyOf(files), objects.stream().map(List::copyOf).toList(),
                categories.stream().map(Category::name).toList());
    }

    /** Writes an instances file: categories numbered from 1 in {@code classNames} order, images and objects from 1. */
    public static void write(Path instances, List<String> classNames, List<Entry> entries) throws IOException {
        List<Picture> pictures = new ArrayList<>();
        List<Instance> annotations = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            pictures.add(new Picture(i + 1, e.fileName(), e.width(), e.height()));
            for (Annotation a : e.objects()) {
                annotations.add(new Instance(annotations.size() + 1, i + 1, a.label() + 1, a.box().toCoco(),
                        a.box().area(), a.ignored() ? 1 : 0));
            }
        }
        List<Category> categories = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            categories.add(new Category(c + 1, classNames.get(c)));
        }
        Checkpoint.writeAtomically(instances, GSON.toJson(new File(pictures, annotations, categories))
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public List<Annotation> annotations(int index) {
        return objects.get(index);
    }

    @Override
    public Path file(int index) {
        return files.get(index);
    }
}
