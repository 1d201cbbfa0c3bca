package io.github.inception4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {

    @TempDir
    Path dir;

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }

    static BufferedImage rgb(int w, int h, int argb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, argb);
            }
        }
        return image;
    }

    @Test
    void losslessFormatsDecodeToExactRgb() throws IOException {
        for (String format : new String[] {"png", "bmp", "gif"}) {
            FloatImage f = ImageDecoder.decode(encode(rgb(5, 3, 0xff3366), format), "x." + format);
            assertEquals(3, f.channels(), format);
            assertEquals(3, f.height());
            assertEquals(5, f.width());
            assertEquals(0xff / 255f, f.get(0, 1, 2), 1e-6f, format);
            assertEquals(0x33 / 255f, f.get(1, 1, 2), 1e-6f, format);
            assertEquals(0x66 / 255f, f.get(2, 1, 2), 1e-6f, format);
        }
    }

    @Test
    void jpegDecodesCloseToItsColour() throws IOException {
        FloatImage f = ImageDecoder.decode(encode(rgb(16, 16, 0x2080c0), "jpg"), "x.jpg");
        assertEquals(0x20 / 255f, f.get(0, 8, 8), 3 / 255f);
        assertEquals(0x80 / 255f, f.get(1, 8, 8), 3 / 255f);
        assertEquals(0xc0 / 255f, f.get(2, 8, 8), 3 / 255f);
    }

    @Test
    void grayscaleStaysOneChannelAnd16BitKeepsItsPrecision() throws IOException {
        BufferedImage gray8 = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray8.getRaster().setSample(0, 0, 0, 51);
        gray8.getRaster().setSample(1, 0, 0, 255);
        FloatImage g8 = ImageDecoder.decode(encode(gray8, "png"), "g8.png");
        assertEquals(1, g8.channels());
        assertEquals(0.2f, g8.get(0, 0, 0), 1e-6f);
        BufferedImage gray16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setSample(0, 0, 0, 1000);
        gray16.getRaster().setSample(1, 0, 0, 65535);
        FloatImage g16 = ImageDecoder.decode(encode(gray16, "png"), "g16.png");
        assertEquals(1, g16.channels());
        assertEquals(1000 / 65535f, g16.get(0, 0, 0), 1e-9f); // not rounded to 8 bits (which would give 1/255)
        assertEquals(1f, g16.get(0, 0, 1), 0f);
    }

    @Test
    void cmykJpegGetsTheColoursPillowGives() throws IOException {
        // src/test/resources/images/cmyk.jpg: PIL Image.new('CMYK', (16, 8), (0, 200, 100, 30)); PIL's RGB
        // conversion of it is (225, 49, 137). The JDK's reader alone fails or returns wrong colours.
        FloatImage f = ImageDecoder.decode(Path.of("src/test/resources/images/cmyk.jpg"));
        assertEquals(3, f.channels());
        assertEquals(225 / 255f, f.get(0, 3, 3), 3 / 255f);
        assertEquals(49 / 255f, f.get(1, 3, 3), 3 / 255f);
        assertEquals(137 / 255f, f.get(2, 3, 3), 3 / 255f);
    }

    @Test
    void corruptMissingAndForeignFilesFailClearly() throws IOException {
        byte[] png = encode(rgb(64, 64, 0x123456), "png");
        byte[] truncated = java.util.Arrays.copyOf(png, png.length / 3);
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.decode(truncated, "cut.png"));
        assertTrue(e.getMessage().startsWith("cut.png: "), e.getMessage());
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not an image");
        e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(text));
        assertTrue(e.getMessage().contains("not an image in a supported format"), e.getMessage());
        e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(dir.resolve("absent.png")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void damageIsRefusedNotPaperedOver() throws IOException {
        // A JPEG cut short decodes with grey filler in ImageIO; we refuse it, as Pillow does by default.
        byte[] jpeg = encode(rgb(64, 64, 0x2080c0), "jpg");
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.decode(java.util.Arrays.copyOf(jpeg, jpeg.length * 2 / 3), "cut.jpg"));
        assertTrue(e.getMessage().startsWith("cut.jpg: "), e.getMessage());
        // One flipped bit in the pixel data of a PNG: ImageIO ignores the CRC; we check it.
        byte[] png = encode(rgb(8, 8, 0x123456), "png");
        int idat = new String(png, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("IDAT");
        png[idat + 6] ^= 1;
        e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(png, "bad-crc.png"));
        assertTrue(e.getMessage().contains("CRC of its IDAT chunk"), e.getMessage());
        e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(new byte[0], "empty"));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void aHugeDimensionHeaderIsRefusedBeforeDecoding() {
        // A valid PNG header claiming 100,000 × 100,000 pixels (10^10 > 2^28), with no pixel data behind it.
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13).putInt(100_000).putInt(100_000)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        byte[] bomb = PngBytes.of(PngBytes.chunk("IHDR", header.array()), PngBytes.chunk("IEND", new byte[0]));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(bomb, "bomb.png"));
        assertTrue(e.getMessage().contains("100000×100000 pixels is more than"), e.getMessage());
    }
}
