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
 */
public final class ExecFifo {
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
        while (true) {
            try {
                int n = read.get(20, TimeUnit.MILLISECONDS);
                if (n <= 0) {
                    throw new JRuntimeException("cannot start container: the init closed " + fifo + " without writing");
                }
                return;
            } catch (TimeoutException e) {
                if (!initAlive.getAsBoolean()) {
                    opener.interrupt();
                    throw new JRuntimeException("cannot start a container that has stopped");
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
