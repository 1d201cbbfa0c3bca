package io.github.inception4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.inception4j.data.DataLoader;
import io.github.inception4j.nn.GradMode;
import io.github.inception4j.nn.InceptionNetwork;
import io.github.inception4j.nn.InceptionOutputs;
import io.github.inception4j.spec.NetworkSpec;
import io.github.inception4j.spec.ParameterSpec;
import io.github.inception4j.weights.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One optimisation step, the unit that {@code train} loops, {@code bench --mode train} times and a cluster driver
 * runs H times on its own shard before exchanging state: forward in training mode, the smoothed loss with the
 * auxiliary heads weighted by name, backward, weight decay added to the gradients, global-norm clipping, the
 * optimizer's in-place update, the EMA update. Dropout masks are drawn from (seed, step number), so a step gives
 * the same result wherever and whenever it runs.
 *
 * <p>The trainable state — every parameter and buffer (batch-norm running statistics included), the optimizer's
 * slots, the averaged weights — is readable and replaceable by name ({@link #state}, {@link #loadState}).
 */
public final class TrainingStep implements AutoCloseable {

    /** What one step measured: the batch's mean loss, its correct top-1 count and the global gradient norm. */
    public record Result(double loss, long correct, double gradNorm) {
    }

    /** A loss or gradient norm that is not finite; the step was not applied. */
    public static final class NonFiniteException extends ArithmeticException {
        private final String what;
        private final double value;

        /** @param what "loss" or "gradient norm" */
        public NonFiniteException(String what, double value) {
            super("the " + what + " became " + value);
            this.what = what;
            this.value = value;
        }

        public String what() {
            return what;
        }

        public double value() {
            return value;
        }
    }

    /**
     * The trainable state: arrays by name ({@value #WEIGHTS}parameter for every parameter and buffer,
     * {@value #OPTIMIZER}parameter/slot for the optimizer, {@value #EMA}parameter for the average) and the two
     * counters the next step depends on (its number seeds dropout; the average's warm-up follows its updates).
     */
    public record State(Map<String, float[]> arrays, long steps, long emaUpdates) {
    }

    /** State names: {@code weights/<parameter>}, {@code optimizer/<parameter>/<slot>}, {@code ema/<parameter>}. */
    public static final String WEIGHTS = "weights/";
    public static final String OPTIMIZER = "optimizer/";
    public static final String EMA = "ema/";

    private final InceptionNetwork network;
    private final Recipe recipe;
    private final NDManager manager;
    private final ParameterStore store;
    /** Every parameter and buffer, live, by spec name. */
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    private final Set<String> trainable;
    private final Set<String> decayed;
    private final Objective objective;
    private final Optimizer optimizer;
    private final Ema ema;
    private final long seed;
    private long steps;

    /**
     * @param trainable the parameters the step updates (all trainable ones, or only the classifiers of a frozen
     *                  backbone); the others keep their values
     * @param seed with the step number, seeds each step's dropout
     */
    public TrainingStep(InceptionNetwork network, Recipe recipe, Set<String> trainable, long seed,
                        NDManager manager) {
        this(network, recipe, classification(network, recipe), trainable, seed, manager);
    }

    /**
     * A step that minimises {@code objective} instead of the recipe's classification loss (a detector's box
     * regressor); everything else — optimizer, decay, clipping, averaging, state — is the recipe's.
     */
    public TrainingStep(InceptionNetwork network, Recipe recipe, Objective objective, Set<String> trainable,
                        long seed, NDManager manager) {
        this.network = network;
        this.objective = objective;
        this.recipe = recipe;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        // In the spec's parameter order, the same in every JVM (Set.copyOf's order is salted per JVM): the global
        // norm sums the gradients in this order, so a run resumed in another process continues bit for bit.
        Set<String> ordered = new LinkedHashSet<>();
        network.spec().parameters().stream().map(ParameterSpec::name).filter(trainable::contains)
                .forEach(ordered::add);
        this.trainable = Collections.unmodifiableSet(ordered);
        this.seed = seed;
        this.decayed = decayed(network.spec(), recipe);
        for (ParameterSpec p : network.spec().parameters()) {
            arrays.put(p.name(), network.parameter(p.name()).getArray());
            if (p.trainable() && !trainable.contains(p.name())) {
                network.parameter(p.name()).freeze(true);
            }
        }
        this.optimizer = recipe.optimization().newOptimizer();
        Recipe.Regularization r = recipe.regularization();
        this.ema = r.emaDecay() > 0 ? new Ema(r.emaDecay(), r.emaWarmup(), arrays, manager) : null;
        // The gradient buffers DJL attaches are not cleared (a network made after others in the same JVM found
        // earlier tensors' values in them, and its first step blew up), and backward adds into them: start at 0.
        // Filled rather than multiplied by 0, which keeps a NaN.
        GradMode.off(() -> {
            for (String name : this.trainable) {
                arrays.get(name).getGradient().set(new NDIndex("..."), 0f);
            }
            return null;
        });
    }

    /** The recipe's loss: smoothed cross-entropy, every auxiliary head of the network at the recipe's weight. */
    private static Objective classification(InceptionNetwork network, Recipe recipe) {
        Map<String, Double> auxWeights = new LinkedHashMap<>();
        network.spec().auxHeads().forEach(h -> auxWeights.put(h.name(), recipe.regularization().auxWeight()));
        return Objective.classification(recipe.regularization().labelSmoothing(), auxWeights);
    }

    /** The parameters weight decay applies to: all trainable ones, or only weights (not BN γ/β, not biases). */
    static Set<String> decayed(NetworkSpec spec, Recipe recipe) {
        Set<String> names = new HashSet<>();
        for (ParameterSpec p : spec.parameters()) {
            boolean decays = recipe.regularization().decayBatchNormAndBias() || p.kind() == ParameterSpec.Kind.WEIGHT;
            if (p.trainable() && decays) {
                names.add(p.name());
            }
        }
        return names;
    }

    /**
     * Trains on one batch at learning rate {@code lr}.
     *
     * @throws NonFiniteException when the loss or the gradient norm is not finite; nothing was updated
     */
    public Result run(DataLoader.Batch batch, float lr) {
        // Autograd on only inside the gradient collector, whichever thread runs the step (a cluster's task thread
        // has it on by default: there the steps diverged within a few batches, to NaN).
        return GradMode.off(() -> runWithoutGrad(batch, lr));
    }

    private Result runWithoutGrad(DataLoader.Batch batch, float lr) {
        Engine.getInstance().setRandomSeed((int) (mixSeed(seed, steps) & 0x7fffffff));
        int size = network.spec().input().height();
        double lossValue;
        long correct;
        double norm;
        try (NDManager stepManager = manager.newSubManager()) {
            NDArray x = Evaluator.images(batch, size, stepManager);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                InceptionOutputs out = InceptionOutputs.of(network.forward(store, new NDList(x), true));
                NDArray loss = objective.loss(out, batch, stepManager);
                lossValue = loss.getFloat();
                if (!Double.isFinite(lossValue)) {
                    throw new NonFiniteException("loss", lossValue);
                }
                correct = objective.correct(out, batch, stepManager);
                collector.backward(loss);
            }
            // Parameter ops would leave temporaries in the model's manager: the update runs in a closing scope.
            try (NDScope scope = new NDScope()) {
                Map<String, NDArray> grads = new LinkedHashMap<>();
                for (String name : trainable) {
                    NDArray g = arrays.get(name).getGradient();
                    if (recipe.regularization().weightDecay() > 0 && decayed.contains(name)) {
                        g.addi(arrays.get(name).mul((float) recipe.regularization().weightDecay()));
                    }
                    grads.put(name, g);
                }
                norm = GradientClipping.clipByGlobalNorm(grads.values(), recipe.optimization().clipNorm());
                if (!Double.isFinite(norm)) {
                    grads.values().forEach(g -> g.muli(0));
                    throw new NonFiniteException("gradient norm", norm);
                }
                for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                    optimizer.update(e.getKey(), arrays.get(e.getKey()), e.getValue(), lr);
                    e.getValue().muli(0);
                }
            }
        }
        if (ema != null) {
            ema.update(arrays);
        }
        steps++;
        return new Result(lossValue, correct, norm);
    }

    public InceptionNetwork network() {
        return network;
    }

    /** Steps run so far (the next step's number), part of the {@link State}. */
    public long steps() {
        return steps;
    }

    /** Every parameter and buffer of the network, live, by spec name. */
    public Map<String, NDArray> arrays() {
        return arrays;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The weight average, or null when the recipe keeps none. */
    public Ema ema() {
        return ema;
    }

    /**
     * Saves the weights a model is judged by as a checkpoint: the average's when the recipe keeps one (the live
     * weights are put back afterwards), else the live ones.
     */
    public void saveModel(Path dir, Checkpoint.Metadata metadata, Map<String, byte[]> extraFiles) throws IOException {
        if (ema == null) {
            Checkpoint.save(dir, network, metadata, extraFiles);
        } else {
            ema.withShadowWeights(arrays, () -> {
                Checkpoint.save(dir, network, metadata, extraFiles);
                return null;
            });
        }
    }

    /** A copy of the trainable state (see {@link State}). */
    public State state() {
        Map<String, float[]> out = replicaState().arrays();
        if (ema != null) {
            ema.shadow().forEach((name, a) -> out.put(EMA + name, a.toFloatArray()));
        }
        return new State(out, steps, ema == null ? 0 : ema.updates());
    }

    /**
     * What a replica needs to continue from here: weights and buffers, optimizer slots and the step counter, without
     * the average (replicas keep none; see {@link #advance}).
     */
    public State replicaState() {
        Map<String, float[]> out = new LinkedHashMap<>();
        arrays.forEach((name, a) -> out.put(WEIGHTS + name, a.toFloatArray()));
        optimizer.state().forEach((name, a) -> out.put(OPTIMIZER + name, a.toFloatArray()));
        return new State(out, steps, 0);
    }

    /**
     * Continues from another step's {@link #replicaState}: its weights, buffers and counter, and exactly its
     * optimizer slots (none if it had none yet, whatever this step held before).
     */
    public void continueFrom(State state) {
        loadState(state);
        if (state.arrays().keySet().stream().noneMatch(k -> k.startsWith(OPTIMIZER))) {
            GradMode.off(() -> {
                optimizer.loadState(Map.of(), arrays);
                return null;
            });
        }
    }

    /**
     * Takes the weights, buffers and optimizer slots that replicas reached from {@link #replicaState}, {@code n}
     * steps on (averaged across them), and counts the steps; the average (EMA) is updated once, from the result —
     * for n = 1 exactly what {@link #run} does.
     */
    public void advance(Map<String, float[]> reached, int n) {
        loadState(new State(reached, steps + n, ema == null ? 0 : ema.updates()));
        if (ema != null) {
            ema.update(arrays);
        }
    }

    /**
     * Replaces the state: the counters, and the arrays {@code state} names (a subset is fine: e.g. only the
     * weights, averaged across replicas). A name that matches nothing, or a weight of another size, is refused
     * before anything is changed; the optimizer and the average check their own arrays.
     */
    public void loadState(State state) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        Map<String, float[]> slots = new LinkedHashMap<>();
        Map<String, float[]> shadow = new LinkedHashMap<>();
        state.arrays().forEach((name, v) -> {
            if (name.startsWith(WEIGHTS)) {
                String p = name.substring(WEIGHTS.length());
                NDArray a = arrays.get(p);
                if (a == null || a.size() != v.length) {
                    throw new IllegalArgumentException("state '" + name + "' matches no parameter of that size");
                }
                weights.put(p, v);
            } else if (name.startsWith(OPTIMIZER)) {
                slots.put(name.substring(OPTIMIZER.length()), v);
            } else if (name.startsWith(EMA) && ema != null) {
                shadow.put(name.substring(EMA.length()), v);
            } else {
                throw new IllegalArgumentException("unknown state '" + name + "'");
            }
        });
        GradMode.off(() -> {
            // Copied into the arrays' own storage: NDArray.set(float[]) would swap in a buffer DJL allocates.
            weights.forEach((p, v) -> {
                NDArray target = arrays.get(p);
                try (NDArray value = manager.create(v, target.getShape())) {
                    target.set(new NDIndex("..."), value);
                }
            });
            if (!slots.isEmpty()) {
                optimizer.loadState(slots, arrays);
            }
            if (ema != null) {
                ema.load(shadow.isEmpty() ? currentShadow() : shadow, state.emaUpdates());
            }
            return null;
        });
        steps = state.steps();
    }

    private Map<String, float[]> currentShadow() {
        Map<String, float[]> out = new LinkedHashMap<>();
        ema.shadow().forEach((name, a) -> out.put(name, a.toFloatArray()));
        return out;
    }

    /** A well-mixed seed for (run seed, step number): dropout masks of nearby steps are unrelated. */
    static long mixSeed(long seed, long step) {
        long z = seed * 0x9e3779b97f4a7c15L + step;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        if (ema != null) {
            ema.close();
        }
    }
}
