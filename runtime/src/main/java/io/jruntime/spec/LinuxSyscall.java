package io.jruntime.spec;

import java.util.List;

/** One {@code linux.seccomp.syscalls} rule: syscall {@code names}, the {@code action}, an optional {@code errnoRet} and argument filters. */
public record LinuxSyscall(
        List<String> names,
        String action,
        @Unsigned(32) Long errnoRet,
        List<LinuxSeccompArg> args) {}
