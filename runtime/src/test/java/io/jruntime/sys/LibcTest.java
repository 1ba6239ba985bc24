package io.jruntime.sys;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-shape libc calls against the real libc of this machine: the ABI facts {@link Libc} relies on
 * (variadic callees, widened ints and shorts, int results truncated, errno), then the three FFM seams
 * through it on files, sockets and directories of a temporary directory. Nothing here needs root.
 */
class LibcTest {
    @TempDir
    Path dir;

    @Test
    void callsWithoutArgumentsReturnTheirResult() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(ProcessHandle.current().pid(), (int) Libc.call("getpid", arena.allocate(Libc.STATE)));
        }
    }

    @Test
    void aNegativeIntArgumentAndAnIntResultOfMinusOneSurviveWideningAndErrnoIsCaptured() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            assertEquals(-1, (int) Libc.call("close", state, -1));
            assertEquals(Errno.EBADF, Libc.errno(state));
        }
    }

    @Test
    void variadicOpenGetsItsModeAndReportsErrno() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            Path file = dir.resolve("created");
            int O_CREAT = 0100, O_EXCL = 0200;
            int fd = (int) Libc.call("open", state, arena.allocateFrom(file.toString()).address(),
                    Syscalls.O_WRONLY | O_CREAT | O_EXCL, 0640);
            assertTrue(fd >= 0, "open failed: errno " + Libc.errno(state));
            Libc.call("close", state, fd);
            // The umask can only clear bits; 0640 under the usual 022 stays 0640, under 077 it is 0600.
            int mode = FfmSyscalls.INSTANCE.stat(file.toString()).mode() & 0777;
            assertEquals(0600, mode & 0700);
            assertEquals(0, mode & 0137);

            int missing = (int) Libc.call("open", state, arena.allocateFrom(dir.resolve("missing").toString()).address(),
                    Syscalls.O_RDONLY, 0);
            assertEquals(-1, missing);
            assertEquals(Errno.ENOENT, Libc.errno(state));
        }
    }

    @Test
    void variadicSyscallReachesTheKernel() {
        long getpid = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 39;
            case "aarch64", "arm64", "riscv64" -> 172;
            default -> -1;
        };
        org.junit.jupiter.api.Assumptions.assumeTrue(getpid > 0, "no getpid number for this arch in the test");
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(ProcessHandle.current().pid(), Libc.call("syscall", arena.allocate(Libc.STATE), getpid));
        }
    }

    @Test
    void publicSyscallReturnsTheResultOrThrowsWithErrno() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.arch").matches("amd64|x86_64"));
        assertEquals(ProcessHandle.current().pid(), Libc.syscall(39 /* getpid */, 0, 0, 0));
        ErrnoException e = assertThrows(ErrnoException.class, () -> Libc.syscall(100_000, 0, 0, 0));
        assertEquals(Errno.ENOSYS, e.errno());
        assertEquals("syscall 100000", e.call());
    }

    @Test
    void aShortArgumentWidenedToLongArrivesIntact() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            MemorySegment attr = arena.allocate(1024, 16);
            MemorySegment flags = arena.allocate(JAVA_SHORT);
            assertEquals(0, (int) Libc.call("posix_spawnattr_init", state, attr.address()));
            try {
                assertEquals(0, (int) Libc.call("posix_spawnattr_setflags", state, attr.address(), 0x0c));
                assertEquals(0, (int) Libc.call("posix_spawnattr_getflags", state, attr.address(), flags.address()));
                assertEquals((short) 0x0c, flags.get(JAVA_SHORT, 0));
            } finally {
                Libc.call("posix_spawnattr_destroy", state, attr.address());
            }
        }
    }

    @Test
    void checkPassesAResultThroughAndNamesAFailureWithItsErrno() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            assertEquals(ProcessHandle.current().pid(), Libc.check("getpid", (int) Libc.call("getpid", state), state));
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> Libc.check("close", (int) Libc.call("close", state, -1), state));
            assertEquals("close", e.call());
            assertEquals(Errno.EBADF, e.errno());
        }
        // Through the seams: each failure keeps its call's name.
        assertEquals("dup2", assertThrows(ErrnoException.class, () -> FfmSyscalls.INSTANCE.dup2(-1, 100)).call());
        ErrnoException open = assertThrows(ErrnoException.class,
                () -> FfmCgroupSyscalls.instance().open(dir.resolve("none").toString(), CgroupSyscalls.O_RDONLY, 0));
        assertEquals("open", open.call());
        assertEquals(Errno.ENOENT, open.errno());
        assertEquals("setns", assertThrows(ErrnoException.class, () -> FfmNetlinkSyscalls.INSTANCE.setns(-1, 0)).call());
    }

    @Test
    void anUnknownFunctionIsALinkError() {
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalStateException.class, () -> Libc.call("jrt_no_such_function", arena.allocate(Libc.STATE)));
        }
    }

    @Test
    void syscallsSeamFilesFifosAndSockets() throws Exception {
        Syscalls sys = FfmSyscalls.INSTANCE;
        assertEquals(ProcessHandle.current().pid(), sys.getpid());

        Path file = dir.resolve("f");
        Files.writeString(file, "hello, libc");
        assertArrayEquals("hello, libc".getBytes(StandardCharsets.UTF_8), sys.readFile(file.toString()));
        assertEquals(11, sys.stat(file.toString()).size());
        ErrnoException missing = assertThrows(ErrnoException.class, () -> sys.stat(dir.resolve("nope").toString()));
        assertEquals(Errno.ENOENT, missing.errno());
        assertEquals("stat " + dir.resolve("nope"), missing.call());

        Path fifo = dir.resolve("fifo");
        sys.mkfifo(fifo.toString(), 0600);
        assertEquals(FileStat.S_IFIFO, sys.stat(fifo.toString()).mode() & FileStat.S_IFMT);

        int[] pair = sys.socketpair();
        int copy = sys.dupCloexec(pair[1], 100);
        assertTrue(copy >= 100);
        try {
            byte[] data = "through the pair".getBytes(StandardCharsets.UTF_8);
            sys.writeFully(pair[0], data, 0, data.length);
            byte[] got = new byte[64];
            int n = sys.read(copy, got, 0, got.length);
            assertEquals("through the pair", new String(got, 0, n, StandardCharsets.UTF_8));

            // An fd through SCM_RIGHTS: the received fd reads the same file.
            int fd = sys.open(file.toString(), Syscalls.O_RDONLY, 0);
            sys.sendFd(pair[0], new byte[] {'x'}, fd);
            sys.close(fd);
            int received = sys.recvFd(pair[1]);
            byte[] head = new byte[5];
            assertEquals(5, sys.read(received, head, 0, 5));
            assertEquals("hello", new String(head, StandardCharsets.US_ASCII));
            sys.close(received);
        } finally {
            sys.close(copy);
            sys.close(pair[0]);
            sys.close(pair[1]);
        }
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> sys.dup2(-1, 100)).errno());
    }

    @Test
    void syscallsSeamUnixSocketsAndSpawn() throws Exception {
        Syscalls sys = FfmSyscalls.INSTANCE;
        String path = dir.resolve("sock").toString();
        int listener = sys.listenUnix(path);
        try {
            int client = sys.connectUnix(path);
            int server = sys.accept(listener);
            try {
                sys.writeFully(client, new byte[] {1, 2, 3}, 0, 3);
                byte[] got = new byte[3];
                assertEquals(3, sys.read(server, got, 0, 3));
                assertArrayEquals(new byte[] {1, 2, 3}, got);
            } finally {
                sys.close(client);
                sys.close(server);
            }
        } finally {
            sys.close(listener);
        }

        // posix_spawn with a dup2: the child's stdout is the file; its exit status comes back through waitpid.
        Path out = dir.resolve("out");
        int fd = sys.open(out.toString(), Syscalls.O_WRONLY | 0100 /* O_CREAT */, 0600);
        int pid;
        try {
            pid = sys.posixSpawn("/bin/sh", List.of("sh", "-c", "echo spawned; exit 3"), List.of("PATH=/bin:/usr/bin"),
                    List.<int[]>of(new int[] {fd, 1}));
        } finally {
            sys.close(fd);
        }
        WaitStatus status = sys.waitpid(pid, 0);
        assertTrue(status.exited());
        assertEquals(3, status.code());
        assertEquals("spawned\n", Files.readString(out));

        int pidfd = sys.pidfdOpen(sys.getpid());
        sys.close(pidfd);
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> sys.posixSpawn(dir.resolve("none").toString(), List.of("none"), List.of(), List.of()));
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void cgroupSeamOnAPlainDirectory() throws Exception {
        CgroupSyscalls cg = FfmCgroupSyscalls.instance();
        String sub = dir.resolve("sub").toString();
        cg.mkdir(sub, 0755);
        assertTrue(Files.isDirectory(Path.of(sub)));
        assertEquals(Errno.EEXIST, assertThrows(ErrnoException.class, () -> cg.mkdir(sub, 0755)).errno());
        String file = sub + "/value";
        int fd = cg.open(file, CgroupSyscalls.O_WRONLY | 0100 /* O_CREAT */ | CgroupSyscalls.O_CLOEXEC, 0600);
        assertEquals(5, cg.write(fd, "12345".getBytes(StandardCharsets.US_ASCII)));
        cg.close(fd);
        fd = cg.open(file, CgroupSyscalls.O_RDONLY | CgroupSyscalls.O_CLOEXEC, 0);
        assertArrayEquals("12345".getBytes(StandardCharsets.US_ASCII), cg.read(fd, 64));
        cg.close(fd);
        assertEquals(Files.readString(Path.of(file)), "12345");
        Files.delete(Path.of(file));
        // statfs of the temp dir's file system: a magic number the kernel knows, never 0.
        assertTrue(cg.statfsType(sub) != 0);
        cg.rmdir(sub);
        assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> cg.rmdir(sub)).errno());
    }

    @Test
    void cgroupSeamBpfReportsErrnoForABadFd() {
        // BPF_PROG_QUERY on fd -1 fails in the kernel (EBADF), or earlier for lack of privilege/bpf (EPERM, ENOSYS).
        ErrnoException e = assertThrows(ErrnoException.class, () -> FfmCgroupSyscalls.instance().bpfProgQuery(-1, 0));
        assertEquals("bpf(BPF_PROG_QUERY)", e.call());
        assertTrue(e.errno() == Errno.EBADF || e.errno() == Errno.EPERM || e.errno() == Errno.ENOSYS, e.getMessage());
    }

    @Test
    void netlinkSeamOpensARouteSocketAndANamespaceFile() throws Exception {
        NetlinkSyscalls nl = FfmNetlinkSyscalls.INSTANCE;
        int sock = nl.routeSocket();
        nl.close(sock);
        int ns = nl.open("/proc/self/ns/net", NetlinkSyscalls.O_RDONLY | NetlinkSyscalls.O_CLOEXEC);
        nl.close(ns);
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> nl.close(ns)).errno());
        ErrnoException e = assertThrows(ErrnoException.class, () -> nl.open(dir.resolve("none").toString(), 0));
        assertEquals("open " + dir.resolve("none"), e.call());
        assertEquals(Errno.ENOENT, e.errno());
    }
}
