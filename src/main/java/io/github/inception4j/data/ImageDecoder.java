package io.github.inception4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG, PNG, BMP and GIF (first frame) into a {@link FloatImage}. Grayscale stays one channel and keeps
 * its full precision (8 or 16 bits); colour becomes RGB (16-bit colour keeps its precision through the raster,
 * palettes and other models go through sRGB); alpha is dropped. CMYK and YCCK JPEGs are converted with their ICC
 * profile by the TwelveMonkeys reader (the JDK's own reader fails on them or gets the colours wrong). The size is
 * read from the header before any pixel is decoded, so a decompression bomb is refused, not allocated.
 */
public final class ImageDecoder {

    /** Images above this many pixels (a 16k × 16k image) are refused before decoding. */
    public static final long MAX_PIXELS = 1L << 28;

    static {
        ImageIO.setUseCache(false);
    }

    private ImageDecoder() {
    }

    public static FloatImage decode(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return decode(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(file.toString(), "no such file");
        } catch (IOException e) {
            throw new ImageDecodeException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    public static FloatImage decode(byte[] bytes, String source) {
        try {
            return decode(new ByteArrayInputStream(bytes), source);
        } catch (IOException e) {
            throw new ImageDecodeException(source, "cannot read: " + e.getMessage(), e);
        }
    }

    private static FloatImage decode(InputStream in, String source) throws IOException {
        try (ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            if (stream == null) {
                throw new ImageDecodeException(source, "cannot open an image stream");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(source, "not an image in a supported format (JPEG, PNG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new ImageDecodeException(source, reader.getWidth(0) + "×" + reader.getHeight(0)
                            + " pixels is more than the " + MAX_PIXELS + " this decoder accepts");
                }
                BufferedImage image = reader.read(0);
                return toFloatImage(image, source);
            } catch (IOException | RuntimeException e) {
                if (e instanceof ImageDecodeException decode) {
                    throw decode;
                }
                throw new ImageDecodeException(source, "corrupt or unsupported " + reader.getFormatName()
                        + " image: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    static FloatImage toFloatImage(BufferedImage image, String source) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (w < 1 || h < 1) {
            throw new ImageDecodeException(source, "empty image");
        }
        Raster raster = image.getRaster();
        var model = image.getColorModel();
        int colorSpace = model.getColorSpace().getType();
        if (model instanceof ComponentColorModel && colorSpace == ColorSpace.TYPE_GRAY) {
            return fromComponents(raster, 1, model.getComponentSize(0), h, w);
        }
        if (model instanceof ComponentColorModel && model.getColorSpace().isCS_sRGB()
                && raster.getNumBands() >= 3 && model.getComponentSize(0) > 8) {
            return fromComponents(raster, 3, model.getComponentSize(0), h, w);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] data = new float[3 * h * w];
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            data[i] = ((p >> 16) & 0xff) / 255f;
            data[plane + i] = ((p >> 8) & 0xff) / 255f;
            data[2 * plane + i] = (p & 0xff) / 255f;
        }
        return new FloatImage(3, h, w, data);
    }

    private static FloatImage fromComponents(Raster raster, int channels, int bits, int h, int w) {
        float scale = (float) ((1L << bits) - 1);
        float[] data = new float[channels * h * w];
        int[] samples = new int[w];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, c, samples);
                for (int x = 0; x < w; x++) {
                    data[(c * h + y) * w + x] = samples[x] / scale;
                }
            }
        }
        return new FloatImage(channels, h, w, data);
    }
}
