package io.github.inception4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(e.getMessage().contains("100000×100000") && e.getMessage().contains("more than the 268435456"),
                e.getMessage());
        assertEquals(ImageDecodeException.Reason.TOO_LARGE, e.reason());
    }

    @Test
    void ordinaryImagesDecodeBitForBitTheSameWithAViewSide() throws IOException {
        // 640 × 480 at a 224 view (evaluation: 256): the shorter side is under 4 × 256, so nothing is subsampled.
        BufferedImage photo = MixedImageFolder.photo(640, 480);
        ImageDecoder decoder = ImageDecoder.forView(256);
        for (String format : new String[] {"png", "jpg", "bmp", "gif", "tiff"}) {
            byte[] bytes = encode(photo, format);
            FloatImage full = ImageDecoder.decode(bytes, "x." + format);
            FloatImage viewed = decoder.read(bytes, "x." + format);
            assertEquals(640, viewed.width(), format);
            assertArrayEquals(full.data(), viewed.data(), format);
        }
        byte[] progressive = MixedImageFolder.progressiveJpeg(photo);
        assertTrue(ImageDecoder.isProgressiveJpeg(progressive));
        assertFalse(ImageDecoder.isProgressiveJpeg(encode(photo, "jpg")));
        assertArrayEquals(ImageDecoder.decode(progressive, "p.jpg").data(), decoder.read(progressive, "p.jpg").data());
    }

    @Test
    void webpLossyAndLosslessDecode() throws IOException {
        // Made with cwebp from a 96 × 64 gradient image whose pixel (10, 10) is (26, 40, 226); Pillow decodes the
        // lossless file to exactly the source and the lossy one to (28, 40, 230) there.
        FloatImage lossless = ImageDecoder.decode(Path.of("src/test/resources/images/lossless.webp"));
        assertEquals(64, lossless.height());
        assertEquals(96, lossless.width());
        assertEquals(26 / 255f, lossless.get(0, 10, 10), 1e-6f);
        assertEquals(40 / 255f, lossless.get(1, 10, 10), 1e-6f);
        assertEquals(226 / 255f, lossless.get(2, 10, 10), 1e-6f);
        FloatImage lossy = ImageDecoder.decode(Path.of("src/test/resources/images/lossy.webp"));
        assertEquals(28 / 255f, lossy.get(0, 10, 10), 3 / 255f);
        assertEquals(230 / 255f, lossy.get(2, 10, 10), 3 / 255f);
    }

    @Test
    void everyListedFormatHasAReaderAndTheRefusalListsThem() {
        for (String format : ImageDecoder.FORMATS) {
            assertTrue(ImageIO.getImageReadersByFormatName(format).hasNext(), format);
        }
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.decode("%PDF-1.4 not an image".getBytes(), "doc.pdf"));
        assertEquals(ImageDecodeException.Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("JPEG, PNG, BMP, GIF, WebP, TIFF"), e.getMessage());
    }

    @Test
    void aHugeValidImageIsDecodedSubsampledWithinMemoryAndTime() {
        // 15,000 × 15,000 (225 M pixels, under the 2^28 limit): decoded in full it needs 5.4 GB at 24 bytes a pixel.
        byte[] png = PngBytes.checkerboard(15_000, 15_000);
        assertTrue(png.length < 1 << 20, "under 1 MB on disk: " + png.length);
        long t0 = System.nanoTime();
        FloatImage f = ImageDecoder.forView(256).withBudget(new DecodeBudget(64L << 20), -1).read(png, "huge.png");
        double seconds = (System.nanoTime() - t0) / 1e9;
        // Step 15000 / (2 × 256) = 29: ceil(15000 / 29) = 518 pixels a side, at least 2 view sides.
        assertEquals(518, f.width());
        assertEquals(518, f.height());
        for (int y = 0; y < 518; y += 37) {
            for (int x = 0; x < 518; x += 41) {
                assertEquals(PngBytes.checkerboardAt(29 * x, 29 * y), f.get(0, y, x), 0f, x + "," + y);
            }
        }
        assertTrue(seconds < 5, "decoded in " + seconds + " s");
        // Without a view side the same file must fit the budget in full, and does not: refused with the numbers.
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () ->
                ImageDecoder.forView(0).withBudget(new DecodeBudget(64L << 20), -1).read(png, "huge.png"));
        assertEquals(ImageDecodeException.Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().startsWith("huge.png: a 15000×15000 png image needs 5150"), e.getMessage());
        assertTrue(e.getMessage().contains("decode budget of 64.0 MiB"), e.getMessage());
    }

    @Test
    void subsamplingStartsAboveFourViewSidesAndKeepsTwo() {
        ImageDecoder decoder = ImageDecoder.forView(256);
        assertEquals(1, decoder.subsampling(4000, 1024));
        assertEquals(2, decoder.subsampling(1025, 4000));
        assertEquals(5, decoder.subsampling(4000, 3000));
        assertEquals(1, ImageDecoder.forView(0).subsampling(15_000, 15_000));
    }

    @Test
    void concurrentDecodesShareTheBudgetAndWaitForIt() throws Exception {
        DecodeBudget budget = new DecodeBudget(4L << 20);
        byte[] png = encode(MixedImageFolder.photo(300, 300), "png"); // 2.2 MB to decode
        ImageDecoder decoder = ImageDecoder.forView(0).withBudget(budget, 50);
        try (DecodeBudget.Lease held = budget.acquire("other", "another image", 3L << 20, -1)) {
            ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.read(png, "p.png"));
            assertEquals(ImageDecodeException.Reason.BUSY, e.reason());
            assertTrue(e.getMessage().contains("stayed in use by other images for 50 ms"), e.getMessage());
        }
        assertEquals(300, decoder.read(png, "p.png").width());
        assertEquals(4L << 20, budget.available());
    }
}
