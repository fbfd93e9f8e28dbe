package kiln.runtime.parallel;

/**
 * One piece of data-parallel work, run by every worker of a {@link WorkerPool} at once.
 *
 * <p>Each worker gets its index in {@code [0, workers)} and picks its own share of the work
 * from it; the pool does no splitting. Implementations are usually reusable mutable objects,
 * so that handing work to the pool allocates nothing.
 */
@FunctionalInterface
public interface ParallelTask {
    void run(int worker, int workers);
}
