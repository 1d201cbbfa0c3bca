package io.github.inception4j.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A folder as users' scraped folders are: ordinary images of every common kind (including one valid image of
 * 15,000 × 15,000 pixels that is under 1 MB on disk) mixed with damaged and hostile files. Tests and the
 * reliability measurements in docs/reliability.md use it ({@code main} writes it to a directory).
 */
public final class MixedImageFolder {

    /** Files that must be classified. */
    public static final List<String> ORDINARY = List.of("baseline.jpg", "progressive.jpg", "cmyk.jpg", "gray.png",
            "gray16.png", "palette.png", "rgba.png", "image.bmp", "image.gif", "lossy.webp", "lossless.webp",
            "image.tiff", "png-named.jpg", "huge-15000.png");

    /** Files that must be refused, each with its reason. */
    public static final List<String> REFUSED = List.of("truncated.jpg", "bad-crc.png", "empty.png", "text.jpg",
            "bomb-100000.png", "garbage.webp");

    private MixedImageFolder() {
    }

    public static void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        BufferedImage photo = photo(320, 240);
        write(folder.resolve("baseline.jpg"), encode(photo, "jpg"));
        write(folder.resolve("progressive.jpg"), progressiveJpeg(photo));
        Files.copy(Path.of("src/test/resources/images/cmyk.jpg"), folder.resolve("cmyk.jpg"));
        BufferedImage gray = new BufferedImage(60, 40, BufferedImage.TYPE_BYTE_GRAY);
        gray.getGraphics().drawImage(photo, 0, 0, 60, 40, null);
        write(folder.resolve("gray.png"), encode(gray, "png"));
        BufferedImage gray16 = new BufferedImage(40, 60, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getGraphics().drawImage(photo, 0, 0, 40, 60, null);
        write(folder.resolve("gray16.png"), encode(gray16, "png"));
        BufferedImage palette = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_INDEXED);
        palette.getGraphics().drawImage(photo, 0, 0, 64, 48, null);
        write(folder.resolve("palette.png"), encode(palette, "png"));
        BufferedImage rgba = new BufferedImage(50, 50, BufferedImage.TYPE_INT_ARGB);
        rgba.getGraphics().drawImage(photo, 0, 0, 50, 50, null);
        write(folder.resolve("rgba.png"), encode(rgba, "png"));
        write(folder.resolve("image.bmp"), encode(photo, "bmp"));
        write(folder.resolve("image.gif"), encode(photo, "gif"));
        Files.copy(Path.of("src/test/resources/images/lossy.webp"), folder.resolve("lossy.webp"));
        Files.copy(Path.of("src/test/resources/images/lossless.webp"), folder.resolve("lossless.webp"));
        write(folder.resolve("image.tiff"), encode(photo, "tiff"));
        write(folder.resolve("png-named.jpg"), encode(photo, "png"));
        write(folder.resolve("huge-15000.png"), PngBytes.checkerboard(15_000, 15_000));

        byte[] jpeg = encode(photo, "jpg");
        write(folder.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        byte[] png = encode(photo, "png");
        int idat = new String(png, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("IDAT");
        png[idat + 10] ^= 1;
        write(folder.resolve("bad-crc.png"), png);
        write(folder.resolve("empty.png"), new byte[0]);
        Files.writeString(folder.resolve("text.jpg"), "<html>404 not found</html>");
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13).putInt(100_000).putInt(100_000)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        write(folder.resolve("bomb-100000.png"), PngBytes.of(PngBytes.chunk("IHDR", header.array()),
                PngBytes.chunk("IEND", new byte[0])));
        byte[] riff = "RIFF\u0010\u0000\u0000\u0000WEBPVP8 \u0004\u0000\u0000\u0000junk".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1);
        write(folder.resolve("garbage.webp"), riff);
    }

    /** A photo-like RGB image: gradients and texture. */
    public static BufferedImage photo(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 255 * x / (w - 1);
                int g = 255 * y / (h - 1);
                int b = (int) (128 + 100 * Math.sin(x / 7.0) * Math.cos(y / 5.0));
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    public static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }

    public static byte[] progressiveJpeg(BufferedImage image) throws IOException {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
    }

    /** Writes the folder to {@code args[0]} (run from the repository root). */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]));
    }
}
