package io.jruntime.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Every libc call of this package through ONE downcall handle of ONE shape.
 *
 * <p>Why: every jruntime command is a fresh JVM, and each distinct (FunctionDescriptor, options) pair the
 * linker sees makes the JDK spin a DowncallStub class plus dozens of LambdaForm and BoundMethodHandle
 * classes at run time, which the AOT cache cannot hold (about 2-3 ms of CPU per shape). The JDK caches
 * stubs by (descriptor, options), so one shape for every call means one stub for the whole process.
 *
 * <p>The shape: {@code long f(long, long, long, long, long, long)}, unbound (the function's address is
 * the handle's first argument), errno captured, and every argument after the first declared variadic.
 * Six arguments cover our widest call (posix_spawn). Why this is right for every libc function we call,
 * on the LP64 Linux ABIs (x86_64 SysV, aarch64 AAPCS64):
 * <ul>
 * <li>all six arguments travel in integer registers (rdi..r9, x0..x5); a callee that takes fewer ignores
 *     the rest, and we pass 0 there;</li>
 * <li>an int argument is passed widened to long: the callee reads the low 32 bits, and sign extension
 *     keeps negative ints right; a short (posix_spawnattr_setflags) likewise; a pointer is passed as
 *     {@code segment.address()}, so the caller keeps the segment alive (its arena open) across the call;</li>
 * <li>the result comes back in rax/x0: an int-returning function's result is the low 32 bits, which the
 *     caller takes with {@code (int)}; ssize_t and long results are whole;</li>
 * <li>declaring the arguments variadic makes the linker set %al (x86_64: the number of vector registers
 *     used) to 0, which the variadic callees among ours need (open, fcntl, prctl, syscall) and the others
 *     ignore; on aarch64 Linux variadic integer arguments go in the same registers as fixed ones.</li>
 * </ul>
 * Not for macOS/aarch64 (variadic arguments on the stack) or 32-bit ABIs; jruntime is Linux LP64 only.
 *
 * <p>{@link #call} declares no checked exception (a downcall declares Throwable but throws nothing checked;
 * call wraps it anyway), so callers need no catch of their own; {@link #check} turns a failed call's -1
 * into an ErrnoException.
 *
 * <p>Public only for {@link #syscall}, so that code outside this package that must make a raw system call
 * (the seccomp features probe) shares the one stub too instead of linking a shape of its own.
 */
public final class Libc {
    private Libc() {}

    /** The errno capture buffer: allocate one per call with {@code arena.allocate(Libc.STATE)}. */
    static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ConcurrentHashMap<String, MemorySegment> SYMBOLS = new ConcurrentHashMap<>();

    /** Linked on first use (class initialisation of the holder), once for every function. */
    private static final class Stub {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LIBC = LINKER.defaultLookup();
        static final MethodHandle CALL = LINKER.downcallHandle(
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    /** libc's {@code name}, looked up once (no lambda: each one would be one more class spun at run time). */
    private static MemorySegment symbol(String name) {
        MemorySegment s = SYMBOLS.get(name);
        if (s == null) {
            Optional<MemorySegment> found = Stub.LIBC.find(name);
            if (found.isEmpty()) {
                // A RuntimeException, not UnsatisfiedLinkError: callers' cleanup (kill the init, undo create) catches those.
                throw new IllegalStateException("libc has no " + name + " (glibc too old?)");
            }
            s = found.get();
            SYMBOLS.putIfAbsent(name, s);
        }
        return s;
    }

    /** The errno the last call through {@code state} left. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    // Fixed arities: invokeExact needs exact types, and varargs would box on every call.

    static long call(String fn, MemorySegment state) {
        return call(fn, state, 0L, 0L, 0L, 0L, 0L, 0L);
    }

    static long call(String fn, MemorySegment state, long a) {
        return call(fn, state, a, 0L, 0L, 0L, 0L, 0L);
    }

    static long call(String fn, MemorySegment state, long a, long b) {
        return call(fn, state, a, b, 0L, 0L, 0L, 0L);
    }

    static long call(String fn, MemorySegment state, long a, long b, long c) {
        return call(fn, state, a, b, c, 0L, 0L, 0L);
    }

    static long call(String fn, MemorySegment state, long a, long b, long c, long d) {
        return call(fn, state, a, b, c, d, 0L, 0L);
    }

    /**
     * {@code rc}, or an ErrnoException ({@code name}, the errno in {@code state}) when it is negative.
     * An int-returning function's result must be passed cast to int: the upper half of the register is
     * not the callee's.
     */
    static long check(String name, long rc, MemorySegment state) throws ErrnoException {
        if (rc < 0) {
            throw new ErrnoException(name, errno(state));
        }
        return rc;
    }

    /**
     * {@code syscall(number, a, b, c)}, for system calls glibc does not wrap: the result, or an
     * ErrnoException ("syscall NUMBER") carrying errno when it returns -1.
     */
    public static long syscall(long number, long a, long b, long c) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            long rc = call("syscall", state, number, a, b, c);
            if (rc == -1) {
                throw new ErrnoException("syscall " + number, errno(state));
            }
            return rc;
        }
    }

    /** {@code fn(a, b, c, d, e, f)}; errno lands in {@code state}. */
    static long call(String fn, MemorySegment state, long a, long b, long c, long d, long e, long f) {
        MemorySegment target = symbol(fn);
        try {
            return (long) Stub.CALL.invokeExact(target, state, a, b, c, d, e, f);
        } catch (RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(fn, t); // a downcall declares Throwable but throws nothing checked
        }
    }
}
