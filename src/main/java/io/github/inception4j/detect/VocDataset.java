package io.github.inception4j.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A Pascal VOC directory ({@code VOC2007/}, {@code VOC2012/} or one laid out like them): the image ids of a split
 * in {@code ImageSets/Main/SPLIT.txt}, one {@code Annotations/ID.xml} per image (its {@code <filename>}, and an
 * {@code <object>} per object with {@code <name>}, {@code <difficult>} and a 1-based inclusive
 * {@code <bndbox>}), the pictures in {@code JPEGImages/}. Classes are VOC's twenty when every name is one of them,
 * else the names found, sorted. The XML parser resolves no DTD and no external entity (annotation files are input).
 */
public final class VocDataset implements DetectionDataset {

    /** VOC's twenty classes, in the devkit's order. */
    public static final List<String> VOC_CLASSES = List.of("aeroplane", "bicycle", "bird", "boat", "bottle", "bus",
            "car", "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep",
            "sofa", "train", "tvmonitor");

    private record Object(String name, Box box, boolean difficult) {
    }

    private record Image(Path file, List<Object> objects) {
    }

    private final List<Image> images;
    private final List<String> classNames;

    private VocDataset(List<Image> images, List<String> classNames) {
        this.images = images;
        this.classNames = classNames;
    }

    /** The images of {@code split} (train, val, trainval, test) under {@code root}. */
    public static VocDataset open(Path root, String split) throws IOException {
        Path list = root.resolve("ImageSets").resolve("Main").resolve(split + ".txt");
        List<String> ids;
        try {
            ids = Files.readAllLines(list).stream().map(String::trim).filter(l -> !l.isEmpty())
                    .map(l -> l.split("\\s+")[0]).toList();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(root + " is not a VOC directory: " + list + " is missing");
        }
        DocumentBuilder parser = secureParser();
        List<Image> images = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        for (String id : ids) {
            Path xml = root.resolve("Annotations").resolve(id + ".xml");
            Image image = read(parser, xml, root.resolve("JPEGImages"));
            image.objects().forEach(o -> names.add(o.name()));
            images.add(image);
        }
        List<String> classes = VOC_CLASSES.containsAll(names) ? VOC_CLASSES : List.copyOf(names);
        return new VocDataset(List.copyOf(images), classes);
    }

    private static DocumentBuilder secureParser() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Image read(DocumentBuilder parser, Path xml, Path pictures) throws IOException {
        Document doc;
        try (InputStream in = Files.newInputStream(xml)) {
            doc = parser.parse(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("missing VOC annotation " + xml);
        } catch (SAXException e) {
            throw new IllegalArgumentException("unreadable VOC annotation " + xml + ": " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        String filename = text(root, "filename", xml);
        List<Object> objects = new ArrayList<>();
        NodeList nodes = root.getElementsByTagName("object");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element o = (Element) nodes.item(i);
            if (o.getParentNode() != root) {
                continue; // parts of a person (<part>) are not objects
            }
            Element box = child(o, "bndbox", xml);
            String difficult = optionalText(o, "difficult");
            try {
                objects.add(new Object(text(o, "name", xml).trim(), Box.ofVoc(number(box, "xmin", xml),
                        number(box, "ymin", xml), number(box, "xmax", xml), number(box, "ymax", xml)),
                        "1".equals(difficult == null ? null : difficult.trim())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("VOC annotation " + xml + ", object " + (i + 1) + ": "
                        + e.getMessage(), e);
            }
        }
        return new Image(pictures.resolve(filename), List.copyOf(objects));
    }

    private static Element child(Element parent, String tag, Path xml) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        throw new IllegalArgumentException("VOC annotation " + xml + " lacks <" + tag + "> in <"
                + parent.getTagName() + ">");
    }

    private static String text(Element parent, String tag, Path xml) {
        return child(parent, tag, xml).getTextContent();
    }

    private static String optionalText(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent();
            }
        }
        return null;
    }

    private static double number(Element parent, String tag, Path xml) {
        String value = text(parent, tag, xml).trim();
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("<" + tag + "> is not a number: '" + value + "'");
        }
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public List<Annotation> annotations(int index) {
        return images.get(index).objects().stream()
                .map(o -> new Annotation(o.box(), classNames.indexOf(o.name()), o.difficult())).toList();
    }

    @Override
    public Path file(int index) {
        return images.get(index).file();
    }
}
