package io.jruntime.seccomp;

import io.jruntime.spec.Features;
import io.jruntime.spec.KnownValues;
import io.jruntime.sys.ErrnoException;
import io.jruntime.sys.Libc;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code linux.seccomp} object of {@code jruntime features}: what the compiler recognizes, and
 * which filter flags the running kernel accepts (probed once, lazily, the way libseccomp does:
 * {@code seccomp(SECCOMP_SET_MODE_FILTER, flag, NULL)} fails with EFAULT, not EINVAL, when the flag
 * is known; nothing is installed).
 */
public final class SeccompFeatures {
    private SeccompFeatures() {}

    private static final int EFAULT = 14;
    private static volatile List<String> supported;

    /** The object for features.json. */
    public static Features.Seccomp features() {
        return new Features.Seccomp(true, actions(), operators(), archs(), knownFlags(), supportedFlags());
    }

    /** Every action of the spec: the compiler implements them all (SCMP_ACT_NOTIFY with listenerPath). */
    public static List<String> actions() {
        return KnownValues.SECCOMP_ACTIONS;
    }

    /** Every operator of the spec. */
    public static List<String> operators() {
        return KnownValues.SECCOMP_OPERATORS;
    }

    /** The architectures jruntime has syscall tables for (others are accepted, and ignored, only where they cannot run). */
    public static List<String> archs() {
        List<String> out = new ArrayList<>();
        for (String name : KnownValues.SECCOMP_ARCHS) {
            if (Arch.ofScmpName(name) != null) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    /** Every flag of the spec. */
    public static List<String> knownFlags() {
        return KnownValues.SECCOMP_FLAGS;
    }

    /** The known flags this kernel accepts; probed on first call. */
    public static List<String> supportedFlags() {
        List<String> s = supported;
        if (s == null) {
            s = probe();
            supported = s;
        }
        return s;
    }

    private static List<String> probe() {
        List<String> out = new ArrayList<>();
        Probe p;
        try {
            p = new Probe();
        } catch (RuntimeException | LinkageError e) {
            return List.of(); // no seccomp(2) to ask: claim nothing
        }
        for (String name : KnownValues.SECCOMP_FLAGS) {
            int bit = SeccompCompiler.flag(name);
            // WAIT_KILLABLE_RECV is only valid together with NEW_LISTENER.
            int flags = bit == SeccompAbi.FILTER_FLAG_WAIT_KILLABLE_RECV
                    ? bit | SeccompAbi.FILTER_FLAG_NEW_LISTENER
                    : bit;
            if (p.flagKnown(flags)) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    /** {@code syscall(SYS_seccomp, ...)} through the one shared libc call shape ({@link Libc}). */
    private static final class Probe {
        private final long nr;

        Probe() {
            nr = SyscallTable.of(Arch.native_()).number("seccomp");
            if (nr < 0) {
                throw new IllegalStateException("no seccomp syscall");
            }
        }

        boolean flagKnown(int flags) {
            try {
                Libc.syscall(nr, SeccompAbi.SET_MODE_FILTER, flags, 0L /* NULL filter */);
                return false;
            } catch (ErrnoException e) {
                return e.errno() == EFAULT;
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }
}
