package io.github.inception4j.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Encodes a {@link FloatImage} (gray or RGB, values in [0, 1]) as 8-bit PNG, JPEG, BMP or GIF bytes. */
public final class ImageEncoder {

    private ImageEncoder() {
    }

    /** @param format an ImageIO format name: png, jpg, bmp, gif */
    public static byte[] encode(FloatImage image, String format) {
        boolean gray = image.channels() == 1;
        BufferedImage out = new BufferedImage(image.width(), image.height(),
                gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                for (int c = 0; c < image.channels(); c++) {
                    int v = Math.round(255 * Math.max(0, Math.min(1, image.get(c, y, x))));
                    out.getRaster().setSample(x, y, c, v);
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(out, format, bytes)) {
                throw new IllegalArgumentException("no ImageIO writer for '" + format + "'");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
