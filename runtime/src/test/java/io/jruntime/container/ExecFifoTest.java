package io.jruntime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.JRuntimeException;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ExecFifo.release against a real fifo, with a thread standing in for the init. */
class ExecFifoTest {
    @TempDir
    Path tmp;

    Path fifo() throws Exception {
        Path fifo = tmp.resolve("exec.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        return fifo;
    }

    /**
     * The init writes its byte and its process is gone before start looks again (a short command under
     * ctr run --rm): start succeeded, it must not say "stopped". The latches force that order: the init
     * writes only once start has found the read still pending and asked whether the init lives, and the
     * answer "dead" comes only after the init wrote and closed the fifo.
     */
    @Test
    void anInitReleasedAndGoneBeforeTheNextCheckIsAStartedContainer() throws Exception {
        Path fifo = fifo();
        CountDownLatch asked = new CountDownLatch(1), written = new CountDownLatch(1);
        AtomicReference<Exception> initError = new AtomicReference<>();
        Thread init = Thread.ofPlatform().start(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) { // blocks until start opens
                asked.await();
                out.write('0');
            } catch (Exception e) {
                initError.set(e);
            }
            written.countDown();
        });
        ExecFifo.release(fifo, () -> {
            asked.countDown();
            try {
                written.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return false;
        });
        init.join();
        assertEquals(null, initError.get());
    }

    @Test
    void anInitThatDiedBeforeOpeningTheFifoIsStopped() throws Exception {
        Path fifo = fifo();
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> ExecFifo.release(fifo, () -> false));
        assertTrue(e.getMessage().contains("cannot start a container that has stopped"), e.getMessage());
    }

    @Test
    void anInitThatClosesWithoutWritingIsAnError() throws Exception {
        Path fifo = fifo();
        Thread init = Thread.ofPlatform().start(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
                out.flush();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        JRuntimeException e = assertThrows(JRuntimeException.class, () -> ExecFifo.release(fifo, () -> true));
        init.join();
        assertTrue(e.getMessage().contains("without writing"), e.getMessage());
    }
}
