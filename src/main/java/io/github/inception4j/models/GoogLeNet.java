package io.github.inception4j.models;

import io.github.inception4j.spec.AdaptiveAvgPool;
import io.github.inception4j.spec.AuxHead;
import io.github.inception4j.spec.Conv;
import io.github.inception4j.spec.ConvStyle;
import io.github.inception4j.spec.Dropout;
import io.github.inception4j.spec.InceptionModule;
import io.github.inception4j.spec.InceptionModule.Widths;
import io.github.inception4j.spec.Init;
import io.github.inception4j.spec.InputTransform;
import io.github.inception4j.spec.LayerSpec;
import io.github.inception4j.spec.Linear;
import io.github.inception4j.spec.LocalResponseNorm;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.Pool;
import io.github.inception4j.spec.ReducedConv;
import io.github.inception4j.spec.Shape3;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GoogLeNet, P1 §5 Table 1. The filter counts below are the paper's table, transcribed once; both layouts
 * ({@link GoogLeNetLayout#PAPER}, {@link GoogLeNetLayout#TORCHVISION}) are built from them.
 */
public final class GoogLeNet {

    /** One inception row of P1 Table 1: the module's name and its filter columns. */
    record Row(String name, Widths widths) {
    }

    /** P1 Table 1: the inception rows, in order. Max pools (3×3/2) follow 3b and 4e. */
    static final List<Row> TABLE_1 = List.of(
            //      name                   #1×1 #3×3r #3×3 #5×5r #5×5 pool proj
            new Row("inception3a", new Widths( 64,   96, 128,   16,  32,  32)),
            new Row("inception3b", new Widths(128,  128, 192,   32,  96,  64)),
            new Row("inception4a", new Widths(192,   96, 208,   16,  48,  64)),
            new Row("inception4b", new Widths(160,  112, 224,   24,  64,  64)),
            new Row("inception4c", new Widths(128,  128, 256,   24,  64,  64)),
            new Row("inception4d", new Widths(112,  144, 288,   32,  64,  64)),
            new Row("inception4e", new Widths(256,  160, 320,   32, 128, 128)),
            new Row("inception5a", new Widths(256,  160, 320,   32, 128, 128)),
            new Row("inception5b", new Widths(384,  192, 384,   48, 128, 128)));

    /** The stem of P1 Table 1: conv1 7×7/2 64; conv2 1×1 64 → 3×3 192. */
    private static final int CONV1 = 64;
    private static final int CONV2_REDUCE = 64;
    private static final int CONV2 = 192;

    /** Auxiliary classifier (P1 §5): 1×1 conv with 128 filters, FC with 1024 units. */
    private static final int AUX_CONV = 128;
    private static final int AUX_FC = 1024;

    /** Where the auxiliary classifiers attach (P1 §5: "on top of the output of the Inception (4a) and (4d)"). */
    private static final Map<String, String> AUX_HEADS = Map.of("aux1", "inception4a", "aux2", "inception4d");

    private GoogLeNet() {
    }

    public static NetworkSpec build(String name, GoogLeNetLayout layout, ModelOptions options) {
        ConvStyle style = layout.convStyle();
        List<LayerSpec> layers = new ArrayList<>();
        if (options.transformInput()) {
            layers.add(InputTransform.torchvisionToTf("transform_input"));
        }
        layers.add(Conv.square("conv1", options.depth(CONV1), 7, 2, 3, style));
        layers.add(Pool.max("pool1", 3, 2, 0, true));
        if (layout.localResponseNorm()) {
            layers.add(LocalResponseNorm.googlenet("norm1"));
        }
        layers.add(new ReducedConv("conv2", options.depth(CONV2_REDUCE), options.depth(CONV2), style));
        if (layout.localResponseNorm()) {
            layers.add(LocalResponseNorm.googlenet("norm2"));
        }
        layers.add(Pool.max("pool2", 3, 2, 0, true));
        for (Row row : TABLE_1) {
            layers.add(new InceptionModule(row.name(), row.widths().scaled(options::depth),
                    layout.fiveByFiveKernel(), style));
            if (row.name().equals("inception3b")) {
                layers.add(Pool.max("pool3", 3, 2, 0, true));
            } else if (row.name().equals("inception4e")) {
                layers.add(Pool.max("pool4", layout.pool4Kernel(), 2, 0, true));
            }
        }
        // P1: "average pool 7×7/1" at 224, where 5b is 7×7: global average pooling is the same operation
        // there and keeps the classifier 1024 wide at any other input size.
        layers.add(new AdaptiveAvgPool("avgpool", options.headGrid(), options.headGrid()));
        layers.add(new Dropout("dropout", options.dropout()));
        layers.add(new Linear("fc", options.numClasses(), false, layout.hiddenWeightInit(), Init.constant(0)));

        List<AuxHead> heads = new ArrayList<>();
        if (options.auxHeads()) {
            for (String head : List.of("aux1", "aux2")) {
                heads.add(auxHead(head, AUX_HEADS.get(head), layout, style, options));
            }
        }
        return new NetworkSpec(name, Shape3.square(3, options.inputSize()), layers, heads);
    }

    /** P1 §5: avg pool 5×5/3 → 1×1 conv 128 → FC 1024 + ReLU → dropout 70% → linear (softmax in the loss). */
    private static AuxHead auxHead(String name, String attachedTo, GoogLeNetLayout layout, ConvStyle style,
                                   ModelOptions options) {
        LayerSpec pool = layout.auxPooling() == GoogLeNetLayout.AuxPooling.ADAPTIVE_4X4
                ? new AdaptiveAvgPool("pool", 4, 4)
                : Pool.avg("pool", 5, 3, 0, true, true);
        return new AuxHead(name, attachedTo, List.of(
                pool,
                Conv.square("conv", options.depth(AUX_CONV), 1, 1, 0, style),
                new Linear("fc1", options.depth(AUX_FC), true, layout.hiddenWeightInit(), layout.hiddenBiasInit()),
                new Dropout("dropout", options.auxDropout()),
                new Linear("fc2", options.numClasses(), false, layout.hiddenWeightInit(), Init.constant(0))));
    }
}
