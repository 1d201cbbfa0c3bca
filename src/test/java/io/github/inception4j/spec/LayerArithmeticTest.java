package io.github.inception4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Shape, parameter and multiply-add rules of single layers, against hand-computed values. */
class LayerArithmeticTest {

    private static final ConvStyle CAFFE = ConvStyle.caffe();
    private static final ConvStyle BN = ConvStyle.torchvision(0.01);

    @Test
    void convolutionFollowsTheFloorRule() {
        // 224 + 2·3 − 7 = 223, ⌊223/2⌋ + 1 = 112
        Conv conv1 = Conv.square("conv1", 64, 7, 2, 3, CAFFE);
        assertEquals(new Shape3(64, 112, 112), conv1.outputShape(Shape3.square(3, 224)));
        assertEquals(7 * 7 * 3 * 64 + 64, conv1.params(Shape3.square(3, 224)));
        assertEquals(7L * 7 * 3 * 64 * 112 * 112, conv1.macs(Shape3.square(3, 224)));
        // Inception-v3's Conv2d_1a_3x3: 299 → 149 (VALID, stride 2)
        assertEquals(new Shape3(32, 149, 149), Conv.square("c", 32, 3, 2, 0, BN).outputShape(Shape3.square(3, 299)));
        // 1×7 with (0, 3) padding keeps 17×17
        assertEquals(new Shape3(192, 17, 17), Conv.same("c", 192, 1, 7, BN).outputShape(Shape3.square(768, 17)));
    }

    @Test
    void batchNormAddsTwoTrainableParametersPerChannelAndTwoBuffers() {
        Conv conv = Conv.square("conv1", 64, 7, 2, 3, BN);
        assertEquals(9_408 + 128, conv.params(Shape3.square(3, 224)), "torchvision conv1: 9,536");
        assertEquals(5, conv.parameters("", Shape3.square(3, 224)).size());
    }

    @Test
    void poolingRoundsUpInCeilModeLikeCaffeAndPyTorch() {
        Shape3 six = Shape3.square(1, 6);
        assertEquals(2, Pool.max("p", 3, 2, 0, false).outputShape(six).height());
        assertEquals(3, Pool.max("p", 3, 2, 0, true).outputShape(six).height());
        // GoogLeNet's chain 112 → 56 → 28 → 14 → 7 holds only with ceil rounding.
        assertEquals(56, Pool.max("p", 3, 2, 0, true).outputShape(Shape3.square(64, 112)).height());
        assertEquals(55, Pool.max("p", 3, 2, 0, false).outputShape(Shape3.square(64, 112)).height());
        // PyTorch drops a last window that would start in the right padding: 5, k2 s2 p1, ceil → 3 not 4.
        assertEquals(3, Pool.max("p", 2, 2, 1, true).outputShape(Shape3.square(1, 5)).height());
        // In ceil mode a window may overhang the input: 2×2 under 3×3/2 still gives 1×1.
        assertEquals(1, Pool.max("p", 3, 2, 0, true).outputShape(Shape3.square(1, 2)).height());
        ShapeException e = assertThrows(ShapeException.class,
                () -> Pool.max("pool9", 3, 2, 0, false).outputShape(Shape3.square(1, 2)));
        assertTrue(e.getMessage().contains("pool9"), e.getMessage());
    }

    @Test
    void inceptionModuleOutputDepthIsTheSumOfItsBranches() {
        InceptionModule m3a = new InceptionModule("inception3a", new InceptionModule.Widths(64, 96, 128, 16, 32, 32),
                5, CAFFE);
        Shape3 in = Shape3.square(192, 28);
        assertEquals(new Shape3(256, 28, 28), m3a.outputShape(in));
        // P1 §1.1 check: 3a weights 163,328, × 28² = 128.0M multiply-adds.
        long weights = m3a.parameters("", in).stream().filter(p -> p.kind() == ParameterSpec.Kind.WEIGHT)
                .mapToLong(ParameterSpec::size).sum();
        assertEquals(163_328, weights);
        assertEquals(163_328L * 28 * 28, m3a.macs(in));
        assertEquals(2, m3a.depth());
    }

    @Test
    void naiveModulePassesItsInputDepthThrough() {
        NaiveInceptionModule naive = new NaiveInceptionModule("naive", 64, 128, 32, CAFFE);
        assertEquals(new Shape3(64 + 128 + 32 + 192, 28, 28), naive.outputShape(Shape3.square(192, 28)));
    }

    @Test
    void branchesThatDisagreeOnTheGridAreRejectedByName() {
        Concat bad = new Concat("broken", java.util.List.of(Conv.square("a", 8, 1, 1, 0, BN),
                Conv.square("b", 8, 3, 2, 0, BN)));
        ShapeException e = assertThrows(ShapeException.class, () -> bad.outputShape(Shape3.square(4, 9)));
        assertTrue(e.getMessage().contains("broken"), e.getMessage());
    }

    @Test
    void linearFlattensItsInput() {
        Linear fc1 = new Linear("fc1", 1024, true, Init.normal(0.01), Init.constant(0));
        assertEquals(2048L * 1024 + 1024, fc1.params(new Shape3(128, 4, 4)));
        assertEquals(2048L * 1024, fc1.macs(new Shape3(128, 4, 4)));
    }
}
