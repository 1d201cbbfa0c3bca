package io.github.inception4j.data;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A small class-per-folder data set for training tests: 20 × 20 circles, squares and stripes, varied by index. */
public final class ShapesFolder {

    private ShapesFolder() {
    }

    /** Writes {@code perClass} PNGs into each of circle/, square/ and stripe/ under {@code folder}. */
    public static Path write(Path folder, int perClass) throws IOException {
        for (String c : new String[] {"circle", "square", "stripe"}) {
            Files.createDirectories(folder.resolve(c));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
                var g = image.createGraphics();
                g.setColor(new Color(40 + 15 * i, 200 - 10 * i, 90));
                switch (c) {
                    case "circle" -> g.fillOval(2 + i % 4, 3, 12, 12);
                    case "square" -> g.fillRect(3, 2 + i % 5, 12, 12);
                    default -> g.fillRect(0, 8 + i % 4, 20, 4);
                }
                ImageIO.write(image, "png", folder.resolve(c).resolve(i + ".png").toFile());
            }
        }
        return folder;
    }
}
