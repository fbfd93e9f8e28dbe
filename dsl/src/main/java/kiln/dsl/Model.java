package kiln.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose fields declare a model, one node per field, in declaration order.
 *
 * <p>At build time the Kiln processor checks the graph and generates {@code <Name>Model} (forward,
 * loss, backward, predict, named parameters) and {@code <Name>Main} (a training command line) in
 * the same package. The training defaults below are what the generated main uses when the
 * command line does not override them.
 *
 * <pre>{@code
 * @Model(data = "mnist", epochs = 5, lr = 0.1, optimizer = "momentum")
 * class MnistMlp {
 *     @Input(784) Layer image;
 *     @Dense(units = 256, activation = Activation.RELU) Layer hidden1;
 *     @Dense(units = 128, activation = Activation.RELU) Layer hidden2;
 *     @Dense(units = 10) Layer logits;
 *     @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
 * }
 * }</pre>
 *
 * <p>On a static method returning a {@link kiln.dsl.fluent.ModelSpec}, it declares the same model
 * with the fluent DSL instead; the generated classes are named after the method ({@code mnistMlp()}
 * gives {@code MnistMlpModel} and {@code MnistMlpMain}). See {@link kiln.dsl.fluent}.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Model {
    /** Built-in data set the generated main trains on ({@link TrainingNames#DATA_SETS}), or a text
     *  ({@link TrainingNames#TEXTS}: the model is a character language model); empty when the class
     *  implements {@code kiln.runtime.data.DataSource} itself. */
    String data() default "";

    int epochs() default 5;

    int batch() default 64;

    double lr() default 0.01;

    /** sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad ({@link TrainingNames#OPTIMIZERS}). */
    String optimizer() default "sgd";

    double weightDecay() default 0.0;

    /**
     * Learning-rate schedule, as the generated main's {@code --schedule} takes it: "none",
     * "cosine", "step:10:0.1", "exp:0.95", "plateau:factor=0.1,patience=3", ... ({@link ScheduleSpec}).
     */
    String schedule() default "none";

    /**
     * The largest global gradient norm, as {@code --clip-norm} takes it (PyTorch's
     * {@code clip_grad_norm_}); 0 for no clipping. Recurrent language models usually declare 5:
     * an occasional exploding gradient would otherwise undo an epoch.
     */
    double clipNorm() default 0;

    long seed() default 42;
}
