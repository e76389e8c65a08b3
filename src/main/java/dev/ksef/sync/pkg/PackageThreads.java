package dev.ksef.sync.pkg;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The threads a package is worked on besides the route's own: {@code background} runs each package's read-ahead
 * ({@link ReadAhead}) and each part's decryption output ({@code AesCbcStream}); {@code checks} reads, inflates and
 * checks a batch's entries, {@code checkThreads} at a time (the package reader's own thread among them). In a Camel
 * context both come from its {@link ExecutorServiceManager}, so the host sees them and they stop with the context.
 */
public record PackageThreads(Executor background, Executor checks, int checkThreads) {

    private static final class Standalone {
        static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "ksef-package");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Pools of {@code context}'s thread pool manager: a cached one named {@code ksef-package} and a fixed one of
     * {@code checkThreads - 1} threads named {@code ksef-package-check}.
     *
     * @param checkThreads threads checking a batch at once, the reader's own included; 0 = the machine's cores
     */
    public static PackageThreads of(CamelContext context, Object source, int checkThreads) {
        int threads = checkThreads > 0 ? checkThreads : Runtime.getRuntime().availableProcessors();
        return new PackageThreads(context.getExecutorServiceManager().newCachedThreadPool(source, "ksef-package"),
                fixedPool(context, source, "ksef-package-check", Math.max(1, threads - 1)), threads);
    }

    /**
     * A pool of {@code threads} threads of {@code context}'s manager with an unbounded queue (a size of 0 or less would be a hand-off queue) that refuses work once shut
     * down ({@link RejectedExecutionException}): the manager's default profile would queue at most 1000 tasks and then
     * run them on the caller, or silently drop them once the pool is shut down, leaving whoever waits for them waiting.
     */
    public static ExecutorService fixedPool(CamelContext context, Object source, String name, int threads) {
        ThreadPoolProfile profile = new ThreadPoolProfile(name);
        profile.setPoolSize(threads);
        profile.setMaxPoolSize(threads);
        profile.setKeepAliveTime(60L);
        profile.setTimeUnit(TimeUnit.SECONDS);
        profile.setAllowCoreThreadTimeOut(true);
        profile.setMaxQueueSize(Integer.MAX_VALUE); // Camel gives a size of 0 or less a SynchronousQueue
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return context.getExecutorServiceManager().newThreadPool(source, name, profile);
    }

    /** Outside a Camel context (tests, benchmarks): daemon threads of the JVM's own and the common fork-join pool. */
    public static PackageThreads standalone() {
        return new PackageThreads(Standalone.BACKGROUND, ForkJoinPool.commonPool(), ForkJoinPool.getCommonPoolParallelism() + 1);
    }
}
