package io.github.inception4j.spec;

/**
 * Everything about a convolution unit that is not its geometry: bias, batch normalisation, initialisation.
 * Every unit is conv → [BN] → ReLU; the ReLU is never optional in these networks (P1 §5: "all the
 * convolutions, including those inside the Inception modules, use rectified linear activation").
 *
 * @param bias whether the convolution has a bias (Caffe: yes; BN layouts: no, BN's β replaces it)
 * @param batchNorm whether a BatchNorm follows the convolution
 * @param bnEpsilon BN ε (torchvision and TF-slim Inception: 1e-3)
 * @param bnMomentum BN momentum in PyTorch's sense: running = (1 − m)·running + m·batch (torchvision 0.1;
 *     TF's decay 0.9997 is m = 0.0003)
 * @param bnScale whether BN has a trainable γ (torchvision: yes; TF-slim and Keras Inception: no)
 * @param weightInit initialisation of the convolution weight
 * @param biasInit initialisation of the convolution bias, when there is one
 */
public record ConvStyle(boolean bias, boolean batchNorm, double bnEpsilon, double bnMomentum, boolean bnScale,
                        Init weightInit, Init biasInit) {

    public ConvStyle {
        if (batchNorm && !(bnEpsilon > 0)) {
            throw new IllegalArgumentException("BN epsilon must be positive, was " + bnEpsilon);
        }
        if (batchNorm && !(bnMomentum > 0 && bnMomentum <= 1)) {
            throw new IllegalArgumentException("BN momentum must be in (0, 1], was " + bnMomentum);
        }
    }

    /** Caffe's bvlc_googlenet: conv with bias (xavier weights, bias 0.2), no normalisation. */
    public static ConvStyle caffe() {
        return new ConvStyle(true, false, 0, 0, false, Init.xavierFanIn(), Init.constant(0.2));
    }

    /** torchvision's {@code BasicConv2d}: bias-free conv + {@code BatchNorm2d(eps=0.001)} with γ and β. */
    public static ConvStyle torchvision(double initStd) {
        return new ConvStyle(false, true, 1e-3, 0.1, true, Init.normal(initStd), Init.constant(0));
    }

    public ConvStyle withWeightInit(Init init) {
        return new ConvStyle(bias, batchNorm, bnEpsilon, bnMomentum, bnScale, init, biasInit);
    }

    @Override
    public String toString() {
        String norm = batchNorm ? "BN(ε " + bnEpsilon + (bnScale ? "" : ", no γ") + ")" : "no norm";
        return (bias ? "conv+bias" : "conv, no bias") + ", " + norm + ", ReLU, init " + weightInit;
    }
}
