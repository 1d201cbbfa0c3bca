package io.github.inception4j.cli;

import io.github.inception4j.detect.DetectionDemo;
import io.github.inception4j.detect.DetectionEvaluation;
import io.github.inception4j.detect.DetectorTraining;
import io.github.inception4j.train.Demo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inception detection-demo}: {@link DetectionDemo#run}. */
@Command(name = "detection-demo", mixinStandardHelpOptions = true, description = "Train P1 §8's detector (MultiBox, "
        + "then a region classifier on Selective Search + MultiBox proposals) on a generated Fashion-MNIST detection "
        + "set, score it (VOC and COCO mAP) and write a report with pictures: about ten minutes on two cores, "
        + "offline.")
final class DetectionDemoCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "detection-demo",
            description = "Demo directory; if it exists, detection-demo-2, -3, … is used "
                    + "(default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--classifiers", paramLabel = "N", defaultValue = "1", description = "Region classifiers "
            + "averaged (default: ${DEFAULT-VALUE}).")
    int classifiers;

    @Option(names = "--backbone-epochs", paramLabel = "N", defaultValue = "" + Demo.EPOCHS, description = "Epochs of "
            + "the Fashion-MNIST classifier both stages start from; 0 trains them from scratch (default: "
            + "${DEFAULT-VALUE}).")
    int backboneEpochs;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        Path dir = Demo.freshDirectory(out);
        DetectorTraining training = DetectionDemo.training();
        training = training.withClassifiers(classifiers, training.regionEpochs());
        DetectorProgress progress = new DetectorProgress(stdout, spec.commandLine().getErr());
        DetectionDemo.Result result = DetectionDemo.run(dir, training, backboneEpochs, progress);
        DetectionEvaluation r = result.evaluation();
        stdout.println(String.format(Locale.ROOT, "detection demo: VOC mAP50 %.3f (11-point %.3f), COCO AP %.3f, "
                + "AP50 %.3f; proposal recall %.1f%% at IoU 0.5 on %d test canvases (%.1f min)", r.map(), r.map11(),
                r.coco().ap(), r.coco().ap50(), 100 * r.recall50(), r.images(), progress.minutes()));
        stdout.println("report: " + result.report() + "; detector: " + result.detector());
        return 0;
    }
}
