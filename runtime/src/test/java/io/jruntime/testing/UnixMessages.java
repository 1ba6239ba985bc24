package io.jruntime.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/** The receiving end of what jruntime sends on unix sockets with SCM_RIGHTS (seccomp agents, --pidfd-socket). */
public final class UnixMessages {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle RECVMSG = LINKER.downcallHandle(LINKER.defaultLookup().find("recvmsg").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

    private UnixMessages() {}

    /** Reads the whole message until the runtime closes the connection; the fd comes with the first part. */
    public static String receive(int conn, int[] fd) throws Throwable {
        StringBuilder sb = new StringBuilder();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(65536);
            MemorySegment iov = arena.allocate(16, 8);
            MemorySegment control = arena.allocate(64, 8);
            MemorySegment msg = arena.allocate(56, 8);
            for (;;) {
                iov.set(ADDRESS, 0, data);
                iov.set(JAVA_LONG, 8, data.byteSize());
                msg.fill((byte) 0);
                msg.set(ADDRESS, 16, iov);
                msg.set(JAVA_LONG, 24, 1L);
                msg.set(ADDRESS, 32, control);
                msg.set(JAVA_LONG, 40, control.byteSize());
                long n = (long) RECVMSG.invokeExact(conn, msg, 0x40000000 /* MSG_CMSG_CLOEXEC */);
                if (n <= 0) {
                    return sb.toString();
                }
                long controllen = msg.get(JAVA_LONG, 40);
                if (controllen >= 20 && control.get(JAVA_INT, 8) == 1 && control.get(JAVA_INT, 12) == 1) {
                    if (fd[0] >= 0) {
                        throw new AssertionError("file descriptors in more than one sendmsg");
                    }
                    fd[0] = control.get(JAVA_INT, 16);
                }
                sb.append(new String(data.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            }
        }
    }

}
