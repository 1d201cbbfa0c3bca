package io.github.inception4j.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VOC and COCO readers on files written to the formats' specifications. */
class DetectionDatasetTest {

    @TempDir
    Path dir;

    /** A VOC 2007 annotation as the devkit writes it (source, size, segmented, objects with pose and parts). */
    private static String vocXml(String file, String objects) {
        return "<annotation>\n\t<folder>VOC2007</folder>\n\t<filename>" + file + "</filename>\n\t<source>\n"
                + "\t\t<database>The VOC2007 Database</database>\n\t</source>\n\t<size>\n\t\t<width>353</width>\n"
                + "\t\t<height>500</height>\n\t\t<depth>3</depth>\n\t</size>\n\t<segmented>0</segmented>\n" + objects
                + "</annotation>\n";
    }

    private static String vocObject(String name, int difficult, int xmin, int ymin, int xmax, int ymax) {
        return "\t<object>\n\t\t<name>" + name + "</name>\n\t\t<pose>Left</pose>\n\t\t<truncated>1</truncated>\n"
                + "\t\t<difficult>" + difficult + "</difficult>\n\t\t<bndbox>\n\t\t\t<xmin>" + xmin + "</xmin>\n"
                + "\t\t\t<ymin>" + ymin + "</ymin>\n\t\t\t<xmax>" + xmax + "</xmax>\n\t\t\t<ymax>" + ymax
                + "</ymax>\n\t\t</bndbox>\n\t\t<part>\n\t\t\t<name>head</name>\n\t\t\t<bndbox>\n\t\t\t\t<xmin>1</xmin>"
                + "\n\t\t\t\t<ymin>1</ymin>\n\t\t\t\t<xmax>2</xmax>\n\t\t\t\t<ymax>2</ymax>\n\t\t\t</bndbox>\n"
                + "\t\t</part>\n\t</object>\n";
    }

    private Path vocRoot() throws IOException {
        Path root = dir.resolve("VOC2007");
        Files.createDirectories(root.resolve("ImageSets/Main"));
        Files.createDirectories(root.resolve("Annotations"));
        Files.writeString(root.resolve("ImageSets/Main/test.txt"), "000001\n000004\n");
        Files.writeString(root.resolve("Annotations/000001.xml"), vocXml("000001.jpg",
                vocObject("dog", 0, 48, 240, 195, 371) + vocObject("person", 1, 8, 12, 352, 498)));
        Files.writeString(root.resolve("Annotations/000004.xml"), vocXml("000004.jpg", vocObject("car", 0, 13, 311,
                84, 362)));
        return root;
    }

    @Test
    void vocAnnotationsReadWithTheDevkitsConventions() throws IOException {
        VocDataset voc = VocDataset.open(vocRoot(), "test");
        assertEquals(2, voc.size());
        assertEquals(VocDataset.VOC_CLASSES, voc.classNames());
        List<Annotation> first = voc.annotations(0);
        assertEquals(2, first.size(), "a person's <part> is not an object");
        assertEquals(new Annotation(new Box(47, 239, 195, 371), VocDataset.VOC_CLASSES.indexOf("dog"), false),
                first.get(0));
        assertTrue(first.get(1).ignored(), "difficult");
        assertEquals(148 * 132, first.get(0).box().area(), "(xmax − xmin + 1)(ymax − ymin + 1)");
        assertEquals(dir.resolve("VOC2007/JPEGImages/000004.jpg"), voc.file(1));
    }

    @Test
    void vocRefusesWhatItCannotReadNamingTheFile() throws IOException {
        Path root = vocRoot();
        Files.writeString(root.resolve("Annotations/000004.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x "
                + "SYSTEM \"file:///etc/passwd\">]>\n<annotation><filename>&x;</filename></annotation>");
        var e = assertThrows(IllegalArgumentException.class, () -> VocDataset.open(root, "test"));
        assertTrue(e.getMessage().contains("000004.xml"), e.getMessage());
        Files.writeString(root.resolve("Annotations/000004.xml"), vocXml("000004.jpg", vocObject("car", 0, 90, 311,
                84, 362)));
        e = assertThrows(IllegalArgumentException.class, () -> VocDataset.open(root, "test"));
        assertTrue(e.getMessage().contains("000004.xml, object 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VocDataset.open(root, "train"));
        assertTrue(e.getMessage().contains("train.txt is missing"), e.getMessage());
    }

    @Test
    void cocoInstancesReadAsTheSpecWritesThem() throws IOException {
        Path file = dir.resolve("instances.json");
        Files.writeString(file, """
                {"info": {"year": 2017}, "licenses": [],
                 "images": [{"id": 397133, "file_name": "000000397133.jpg", "width": 640, "height": 427},
                            {"id": 37777, "file_name": "000000037777.jpg", "width": 352, "height": 230}],
                 "annotations": [
                   {"id": 1, "image_id": 397133, "category_id": 18, "bbox": [388.66, 69.92, 109.41, 277.62],
                    "area": 17376.9, "iscrowd": 0, "segmentation": [[1, 2, 3, 4]]},
                   {"id": 2, "image_id": 37777, "category_id": 1, "bbox": [0, 0, 10, 20], "area": 200, "iscrowd": 1,
                    "segmentation": {"counts": [1, 2], "size": [230, 352]}}],
                 "categories": [{"id": 18, "name": "dog", "supercategory": "animal"},
                                {"id": 1, "name": "person", "supercategory": "person"}]}
                """);
        CocoDataset coco = CocoDataset.open(file, dir.resolve("val2017"));
        assertEquals(List.of("person", "dog"), coco.classNames(), "by category id");
        assertEquals(List.of(new Annotation(Box.ofCoco(388.66, 69.92, 109.41, 277.62), 1, false)),
                coco.annotations(0));
        assertTrue(coco.annotations(1).get(0).ignored(), "crowd");
        assertEquals(dir.resolve("val2017/000000037777.jpg"), coco.file(1));
    }

    @Test
    void cocoWrittenHereReadsBack() throws IOException {
        Path file = dir.resolve("generated.json");
        List<Annotation> objects = List.of(new Annotation(new Box(10, 20, 50, 80), 2, false),
                new Annotation(new Box(0, 0, 5, 5), 0, false));
        CocoDataset.write(file, List.of("a", "b", "c"), List.of(new CocoDataset.Entry("0.png", 160, 160, objects),
                new CocoDataset.Entry("1.png", 160, 160, List.of())));
        CocoDataset back = CocoDataset.open(file, dir);
        assertEquals(List.of("a", "b", "c"), back.classNames());
        assertEquals(objects, back.annotations(0));
        assertEquals(List.of(), back.annotations(1));
        Files.writeString(file, "{\"images\": []}");
        var e = assertThrows(IllegalArgumentException.class, () -> CocoDataset.open(file, dir));
        assertTrue(e.getMessage().contains("not a COCO instances file"), e.getMessage());
    }
}
