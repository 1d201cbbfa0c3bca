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
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG, PNG, BMP, GIF (first frame), WebP and TIFF (first page) into a {@link FloatImage}. Grayscale stays
 * one channel and keeps its full precision (8 or 16 bits); colour becomes RGB (16-bit colour keeps its precision
 * through the raster, palettes and other models go through sRGB); alpha is dropped. CMYK and YCCK JPEGs are
 * converted with their ICC profile by the TwelveMonkeys reader (the JDK's own reader fails on them or gets the
 * colours wrong); WebP and TIFF come from TwelveMonkeys' plug-ins.
 *
 * <p>Memory is bounded by what the pipeline needs, not by what the file claims. The size is read from the header
 * before any pixel is decoded. A decoder made {@link #forView for a view side} V decodes an image whose shorter
 * side is over {@value #SUBSAMPLE_ABOVE} V with source subsampling (every f-th pixel of every f-th row, read row
 * by row, so the full image is never held), keeping at least 2 V on the shorter side for the resize that follows
 * (Pillow's draft mode does the same for JPEG). Other images decode exactly as without a view side. Whatever is
 * left must fit the {@link DecodeBudget} shared by all decoders; what cannot is refused naming the numbers.
 */
public final class ImageDecoder {

    /** Images above this many pixels (a 16k × 16k image) are refused before decoding, whatever the budget. */
    public static final long MAX_PIXELS = 1L << 28;

    /** Shorter sides over this multiple of the view side are decoded subsampled. */
    public static final int SUBSAMPLE_ABOVE = 4;

    /** The formats decoded (each is tested); an unsupported file's message lists them. */
    public static final List<String> FORMATS = List.of("JPEG", "PNG", "BMP", "GIF", "WebP", "TIFF");

    /** File extensions of {@link #FORMATS}, lower case: what folders of images are searched for. */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp", "tif", "tiff");

    private static final ImageDecoder FULL = new ImageDecoder(0, DecodeBudget.shared(), -1);

    static {
        ImageIO.setUseCache(false);
    }

    private final int viewSide;
    private final DecodeBudget budget;
    private final long waitMillis;

    private ImageDecoder(int viewSide, DecodeBudget budget, long waitMillis) {
        if (viewSide < 0) {
            throw new IllegalArgumentException("view side must be 0 (none) or positive, got " + viewSide);
        }
        this.viewSide = viewSide;
        this.budget = budget;
        this.waitMillis = waitMillis;
    }

    /**
     * A decoder for a pipeline whose largest view is {@code viewSide} pixels on its shorter side (e.g. 256 for
     * torchvision's resize-then-crop at 224; {@link ImagePipeline#viewSide}); 0 decodes every image in full.
     */
    public static ImageDecoder forView(int viewSide) {
        return viewSide == 0 ? FULL : new ImageDecoder(viewSide, DecodeBudget.shared(), -1);
    }

    /** This decoder drawing on {@code budget}, waiting at most {@code waitMillis} for it (negative: no limit). */
    public ImageDecoder withBudget(DecodeBudget budget, long waitMillis) {
        return new ImageDecoder(viewSide, budget, waitMillis);
    }

    public int viewSide() {
        return viewSide;
    }

    /** Decodes a file in full (no subsampling), within the shared budget. */
    public static FloatImage decode(Path file) {
        return FULL.read(file);
    }

    /** Decodes encoded bytes in full (no subsampling), within the shared budget. */
    public static FloatImage decode(byte[] bytes, String source) {
        return FULL.read(bytes, source);
    }

    public FloatImage read(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > budget.bytes()) {
                throw new ImageDecodeException(source, ImageDecodeException.Reason.TOO_LARGE, "a file of "
                        + DecodeBudget.mib(size) + " is larger than the decode budget of "
                        + DecodeBudget.mib(budget.bytes()));
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(source, ImageDecodeException.Reason.UNREADABLE, "no such file");
        } catch (IOException e) {
            throw new ImageDecodeException(source, ImageDecodeException.Reason.UNREADABLE, "cannot read: "
                    + e.getMessage(), e);
        }
        return read(bytes, source);
    }

    /**
     * Decodes an encoded image. Damage is refused, never papered over (as Pillow does by default): a PNG chunk
     * whose CRC does not match, or a decoder warning of damage (a truncated JPEG is decoded with grey filler
     * otherwise). Other warnings (e.g. a CMYK JPEG without an ICC profile) are not damage.
     */
    public FloatImage read(byte[] bytes, String source) {
        if (bytes.length == 0) {
            throw new ImageDecodeException(source, ImageDecodeException.Reason.EMPTY, "empty: no bytes");
        }
        if (isPng(bytes)) {
            checkPngChunks(bytes, source);
        }
        checkRiffLength(bytes, source);
        try (ImageInputStream stream = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            if (stream == null) {
                throw new ImageDecodeException(source, ImageDecodeException.Reason.UNREADABLE,
                        "cannot open an image stream");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(source, ImageDecodeException.Reason.UNSUPPORTED,
                        "not an image in a supported format (" + String.join(", ", FORMATS) + ")");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(reader.getFormatName().equalsIgnoreCase("webp")
                        ? new StrictEndImageInputStream(bytes) : stream, true, true);
                reader.addIIOReadWarningListener((r, warning) -> {
                    if (DAMAGE.matcher(warning).find() && !warnings.contains(warning)) {
                        warnings.add(warning);
                    }
                });
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                String what = "a " + width + "×" + height + " " + reader.getFormatName() + " image";
                if (width < 1 || height < 1) {
                    throw new ImageDecodeException(source, ImageDecodeException.Reason.DAMAGED, what
                            + " has no pixels");
                }
                if ((long) width * height > MAX_PIXELS) {
                    throw new ImageDecodeException(source, ImageDecodeException.Reason.TOO_LARGE, what
                            + " has more than the " + MAX_PIXELS + " pixels this decoder accepts");
                }
                int step = subsampling(width, height);
                ImageReadParam param = reader.getDefaultReadParam();
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                    what += ", decoded at 1/" + step;
                }
                long pixels = (long) ((width + step - 1) / step) * ((height + step - 1) / step);
                long sourcePixels = (long) width * height;
                // libjpeg holds a progressive JPEG's coefficients for the whole source (2 bytes × 3 components);
                // readers that do not decode row by row hold the whole source as ARGB before they subsample.
                long extra = isProgressiveJpeg(bytes) ? 6L * sourcePixels
                        : ROW_BY_ROW.contains(reader.getFormatName().toLowerCase(Locale.ROOT)) ? 0 : 4L * sourcePixels;
                BufferedImage image;
                FloatImage decoded;
                try (DecodeBudget.Lease lease = budget.acquire(source, what,
                        DecodeBudget.cost(pixels, bytes.length) + extra, waitMillis)) {
                    image = reader.read(0, param);
                    if (!warnings.isEmpty()) {
                        throw new ImageDecodeException(source, ImageDecodeException.Reason.DAMAGED, "damaged "
                                + reader.getFormatName() + " image: " + String.join("; ", warnings));
                    }
                    decoded = toFloatImage(image, source);
                }
                return decoded;
            } catch (IOException | RuntimeException e) {
                if (e instanceof ImageDecodeException decode) {
                    throw decode;
                }
                // Some readers fail with a bare EOFException or index error: name the exception then.
                throw new ImageDecodeException(source, ImageDecodeException.Reason.DAMAGED, "corrupt or "
                        + "unsupported " + reader.getFormatName() + " image: " + (e.getMessage() != null
                        ? e.getMessage() : e.getClass().getSimpleName()), e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageDecodeException(source, ImageDecodeException.Reason.UNREADABLE, "cannot read: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The source subsampling step for a {@code width} × {@code height} image: 1 unless the shorter side is over
     * {@value #SUBSAMPLE_ABOVE} view sides, else the largest step that keeps at least 2 view sides.
     */
    int subsampling(int width, int height) {
        int shorter = Math.min(width, height);
        if (viewSide == 0 || shorter <= (long) SUBSAMPLE_ABOVE * viewSide) {
            return 1;
        }
        return Math.max(1, shorter / (2 * viewSide));
    }

    /** Whether a JPEG's first frame header is SOF2 (progressive, Huffman): markers are walked up to the frame. */
    static boolean isProgressiveJpeg(byte[] b) {
        if (b.length < 4 || (b[0] & 0xff) != 0xff || (b[1] & 0xff) != 0xd8) {
            return false;
        }
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xff) != 0xff) {
                return false;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xff) {
                i++;
                continue;
            }
            if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc) {
                return marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce;
            }
            i += 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff));
        }
        return false;
    }

    /** Formats whose ImageIO readers decode row by row into the subsampled destination (the JDK's own). */
    private static final Set<String> ROW_BY_ROW = Set.of("png", "jpeg", "jpg", "bmp", "gif");

    /**
     * A RIFF file (WebP) must be as long as its header says: TwelveMonkeys' lossless WebP decoder reads past the end
     * of a truncated file as zeros, slowly, and returns an image of filler.
     */
    private static void checkRiffLength(byte[] bytes, String source) {
        if (bytes.length < 12 || bytes[0] != 'R' || bytes[1] != 'I' || bytes[2] != 'F' || bytes[3] != 'F') {
            return;
        }
        long declared = 8 + Integer.toUnsignedLong(ByteBuffer.wrap(bytes, 4, 4).order(ByteOrder.LITTLE_ENDIAN)
                .getInt());
        if (declared > bytes.length) {
            throw new ImageDecodeException(source, ImageDecodeException.Reason.DAMAGED, "truncated RIFF (WebP) "
                    + "file: its header declares " + declared + " bytes, the file has " + bytes.length);
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
        ImageDecodeException.Reason damaged = ImageDecodeException.Reason.DAMAGED;
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(8);
        while (true) {
            if (in.remaining() < 12) {
                throw new ImageDecodeException(source, damaged, "truncated PNG: it ends before its IEND chunk");
            }
            long length = Integer.toUnsignedLong(in.getInt());
            int typeStart = in.position();
            if (length > in.remaining() - 8) {
                throw new ImageDecodeException(source, damaged, "truncated PNG: a chunk of " + length
                        + " bytes runs past the end of the file");
            }
            String type = new String(bytes, typeStart, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            CRC32 crc = new CRC32();
            crc.update(bytes, typeStart, 4 + (int) length);
            in.position(typeStart + 4 + (int) length);
            long stored = Integer.toUnsignedLong(in.getInt());
            if (crc.getValue() != stored) {
                throw new ImageDecodeException(source, damaged, "damaged PNG: the CRC of its " + type
                        + " chunk does not match");
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
            throw new ImageDecodeException(source, ImageDecodeException.Reason.EMPTY, "empty image");
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
