package kiln.processor.frontend;

/** The @Model training defaults, which the generated main passes to the runtime's command line. */
public record TrainingDefaults(String data, int epochs, int batch, double lr, String optimizer, double weightDecay, long seed,
                               String schedule, double clipNorm) {}
