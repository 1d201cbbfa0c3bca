package io.github.inception4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;
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
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(file.toString(), "no such file");
        } catch (IOException e) {
            throw new ImageDecodeException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        return decode(bytes, file.toString());
    }

    /**
     * Decodes an encoded image. Damage is refused, never papered over (as Pillow does by default): a PNG chunk
     * whose CRC does not match, or a decoder warning of damage (a truncated JPEG is decoded with grey filler
     * otherwise). Other warnings (e.g. a CMYK JPEG without an ICC profile) are not damage.
     */
    public static FloatImage decode(byte[] bytes, String source) {
        if (bytes.length == 0) {
            throw new ImageDecodeException(source, "empty: no bytes");
        }
        if (isPng(bytes)) {
            checkPngChunks(bytes, source);
        }
        try (ImageInputStream stream = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            if (stream == null) {
                throw new ImageDecodeException(source, "cannot open an image stream");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(source, "not an image in a supported format (JPEG, PNG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(stream, true, true);
                reader.addIIOReadWarningListener((r, warning) -> {
                    if (DAMAGE.matcher(warning).find() && !warnings.contains(warning)) {
                        warnings.add(warning);
                    }
                });
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new ImageDecodeException(source, reader.getWidth(0) + "×" + reader.getHeight(0)
                            + " pixels is more than the " + MAX_PIXELS + " this decoder accepts");
                }
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new ImageDecodeException(source, "damaged " + reader.getFormatName() + " image: "
                            + String.join("; ", warnings));
                }
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
        } catch (IOException e) {
            throw new ImageDecodeException(source, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Decoder warnings that mean the data is damaged (libjpeg's and the JDK's wording). */
    private static final java.util.regex.Pattern DAMAGE = java.util.regex.Pattern.compile(
            "(?i)truncat|corrupt|premature|missing eoi|extraneous|invalid|bad ");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static boolean isPng(byte[] bytes) {
        return bytes.length >= 8 && Arrays.equals(Arrays.copyOf(bytes, 8), PNG_SIGNATURE);
    }

    /** Every chunk up to IEND must be complete and match its CRC-32 (Java's PNG reader checks neither). */
    private static void checkPngChunks(byte[] bytes, String source) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(8);
        while (true) {
            if (in.remaining() < 12) {
                throw new ImageDecodeException(source, "truncated PNG: it ends before its IEND chunk");
            }
            long length = Integer.toUnsignedLong(in.getInt());
            int typeStart = in.position();
            if (length > in.remaining() - 8) {
                throw new ImageDecodeException(source, "truncated PNG: a chunk of " + length + " bytes runs past "
                        + "the end of the file");
            }
            String type = new String(bytes, typeStart, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            CRC32 crc = new CRC32();
            crc.update(bytes, typeStart, 4 + (int) length);
            in.position(typeStart + 4 + (int) length);
            long stored = Integer.toUnsignedLong(in.getInt());
            if (crc.getValue() != stored) {
                throw new ImageDecodeException(source, "damaged PNG: the CRC of its " + type + " chunk does not "
                        + "match");
            }
            if (type.equals("IEND")) {
                return;
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
