package io.github.inception4j.detect;

import io.github.inception4j.data.FloatImage;
import io.github.inception4j.data.ImageEncoder;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Pictures of detections: each box drawn in its class's colour, labelled with the class and score; PNG. */
public final class DetectionDrawing {

    private DetectionDrawing() {
    }

    /** Writes {@code image} with {@code detections} drawn on it to {@code file} (PNG), scaled up to ≥ 320 pixels. */
    public static void write(FloatImage image, List<Detection> detections, List<String> classNames, Path file)
            throws IOException {
        BufferedImage source;
        try {
            source = ImageIO.read(new ByteArrayInputStream(ImageEncoder.encode(image, "png")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int scale = Math.max(1, (int) Math.ceil(320.0 / Math.max(image.width(), image.height())));
        BufferedImage out = new BufferedImage(image.width() * scale, image.height() * scale,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(source, 0, 0, out.getWidth(), out.getHeight(), null);
            g.setStroke(new BasicStroke(2));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            for (Detection d : detections) {
                Color colour = Color.getHSBColor((d.label() * 0.618034f) % 1, 0.85f, 1f);
                int x = (int) Math.round(d.box().x0() * scale);
                int y = (int) Math.round(d.box().y0() * scale);
                int w = (int) Math.round(d.box().width() * scale);
                int h = (int) Math.round(d.box().height() * scale);
                g.setColor(colour);
                g.drawRect(x, y, w, h);
                String text = String.format(Locale.ROOT, "%s %.2f", classNames.get(d.label()), d.score());
                int tw = g.getFontMetrics().stringWidth(text) + 4;
                int ty = Math.max(0, y - 13);
                g.fillRect(x, ty, tw, 13);
                g.setColor(Color.BLACK);
                g.drawString(text, x + 2, ty + 10);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(out, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }
}
