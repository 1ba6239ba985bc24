package io.jruntime.spec;

import java.util.List;

/**
 * {@code linux.seccomp}. Action, architecture, flag and operator names are libseccomp's
 * ({@code SCMP_ACT_ERRNO}, {@code SCMP_ARCH_X86_64}, ...). {@code defaultErrnoRet} (uint32) is only
 * allowed with an action that returns an errno; absent means EPERM.
 */
public record LinuxSeccomp(
        String defaultAction,
        @Unsigned(32) Long defaultErrnoRet,
        List<String> architectures,
        List<String> flags,
        String listenerPath,
        String listenerMetadata,
        List<LinuxSyscall> syscalls) {

    /** {@code syscalls}, or an empty list when absent. */
    public List<LinuxSyscall> syscallList() {
        return syscalls == null ? List.of() : syscalls;
    }
}
