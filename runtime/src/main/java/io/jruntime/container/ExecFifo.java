package io.jruntime.container;

import io.jruntime.JRuntimeException;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The exec fifo: the init blocks opening it for writing until {@code start} opens it for reading and
 * reads the byte the init writes; then the init execs the user process. Opening a fifo blocks until the
 * other side opens too, so the open runs on a helper thread while this one watches that the init is
 * still alive: a dead init must not hang {@code start} forever.
 *
 * <p>A dead init is not always a failed start: a short process (ctr run --rm IMAGE ID grep ...) can be
 * released, exec'd and gone between two checks. The init's open for writing returns only once the helper
 * has the fifo open, so when the init wrote its byte the helper's read ends at once (the byte, then EOF:
 * the writer is gone). Hence, on a dead init, one more bounded wait for the read before calling it stopped.
 */
public final class ExecFifo {
    /** How long a read that is already under way may still take once the init is seen dead. */
    static final long LAST_READ_MS = 2_000;

    private ExecFifo() {}

    public static void release(Path fifo, BooleanSupplier initAlive) {
        CompletableFuture<Integer> read = new CompletableFuture<>();
        Thread opener = Thread.ofPlatform().daemon().name("exec-fifo").start(() -> {
            try (FileInputStream in = new FileInputStream(fifo.toFile())) {
                read.complete(in.readAllBytes().length);
            } catch (IOException e) {
                read.completeExceptionally(e);
            }
        });
        long wait = 20;
        while (true) {
            try {
                int n = read.get(wait, TimeUnit.MILLISECONDS);
                if (n <= 0) {
                    throw new JRuntimeException("cannot start container: the init closed " + fifo + " without writing");
                }
                return;
            } catch (TimeoutException e) {
                if (wait == LAST_READ_MS) {
                    opener.interrupt();
                    throw new JRuntimeException("cannot start a container that has stopped");
                }
                if (!initAlive.getAsBoolean()) {
                    wait = LAST_READ_MS; // released and already exited, or died before the fifo: see above
                }
            } catch (ExecutionException e) {
                throw new JRuntimeException("open exec fifo " + fifo + ": " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JRuntimeException("interrupted while starting the container");
            }
        }
    }
}
