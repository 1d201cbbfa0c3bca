package io.github.inception4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.inception4j.spec.NetworkSpec;

/** Test helpers: a fresh block on the PyTorch engine, initialised for one input shape. */
final class Engine {

    private Engine() {
    }

    static InceptionNetwork initialised(NDManager manager, NetworkSpec spec, long batch) {
        InceptionNetwork net = new InceptionNetwork(spec);
        net.initialize(manager, DataType.FLOAT32, inputShape(spec, batch));
        return net;
    }

    static Shape inputShape(NetworkSpec spec, long batch) {
        return new Shape(batch, spec.input().channels(), spec.input().height(), spec.input().width());
    }

    static NDArray randomInput(NDManager manager, NetworkSpec spec, long batch) {
        return manager.randomNormal(inputShape(spec, batch));
    }

    static NDList forward(NDManager manager, InceptionNetwork net, NDArray x, boolean training) {
        return net.forward(new ParameterStore(manager, false), new NDList(x), training);
    }
}
