package io.jruntime.seccomp;

import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The seccomp architectures jruntime has syscall tables for. Each is one ABI a process can make
 * syscalls through: its audit arch value in {@code seccomp_data.arch}, its table, and whether its
 * syscall arguments are 64 or 32 bits wide (libseccomp's "arch size": on 32-bit ABIs only the low
 * word of an argument is compared).
 */
public enum Arch {
    /** x86-64; its seccomp_data.arch is also used by x32, told apart by {@link SeccompAbi#X32_SYSCALL_BIT}. */
    X86_64("SCMP_ARCH_X86_64", "x86_64", 0xC000003E, true),
    /** i386, as a compat ABI on x86-64 kernels. */
    X86("SCMP_ARCH_X86", "x86", 0x40000003, false),
    /** x32: AUDIT_ARCH_X86_64 with syscall numbers at or above 0x40000000. */
    X32("SCMP_ARCH_X32", "x32", 0xC000003E, false),
    AARCH64("SCMP_ARCH_AARCH64", "aarch64", 0xC00000B7, true),
    /** 32-bit ARM EABI, as a compat ABI on aarch64 kernels. */
    ARM("SCMP_ARCH_ARM", "arm", 0x40000028, false);

    private final String scmpName;
    private final String table;
    private final int auditArch;
    private final boolean args64;

    Arch(String scmpName, String table, int auditArch, boolean args64) {
        this.scmpName = scmpName;
        this.table = table;
        this.auditArch = auditArch;
        this.args64 = args64;
    }

    /** The spec's (libseccomp's) name, e.g. {@code SCMP_ARCH_X86_64}. */
    public String scmpName() {
        return scmpName;
    }

    /** The base name of the syscall table resource ({@code <table>.syscalls}). */
    String table() {
        return table;
    }

    /** The AUDIT_ARCH_* value the kernel puts in {@code seccomp_data.arch}. */
    public int auditArch() {
        return auditArch;
    }

    /** True when syscall arguments are compared as full 64-bit values. */
    public boolean args64() {
        return args64;
    }

    /** Byte order of seccomp_data and of the program: little-endian for every arch here. */
    public ByteOrder byteOrder() {
        return ByteOrder.LITTLE_ENDIAN;
    }

    /** The architectures a kernel of this native arch can run syscalls from (its compat ABIs). */
    public Set<Arch> reachable() {
        return switch (this) {
            case X86_64 -> EnumSet.of(X86_64, X86, X32);
            case AARCH64 -> EnumSet.of(AARCH64, ARM);
            case X86 -> EnumSet.of(X86);
            case X32 -> EnumSet.of(X32);
            case ARM -> EnumSet.of(ARM);
        };
    }

    /** The arch of a {@code SCMP_ARCH_*} name, or null when jruntime has no table for it. */
    public static Arch ofScmpName(String name) {
        for (Arch a : values()) {
            if (a.scmpName.equals(name)) {
                return a;
            }
        }
        return null;
    }

    /**
     * The native arch named by a machine name: Java's {@code os.arch} ({@code amd64}, {@code aarch64})
     * or uname's ({@code x86_64}, {@code arm64}, {@code i686}, {@code armv7l}).
     */
    public static Arch ofMachine(String machine) {
        String m = machine.toLowerCase(Locale.ROOT);
        return switch (m) {
            case "x86_64", "amd64", "x64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            case "x86", "i386", "i486", "i586", "i686" -> X86;
            case "arm", "armv7l", "armv7", "armhf", "armel", "armv6l" -> ARM;
            default -> throw new IllegalArgumentException("unsupported native architecture for seccomp: " + machine);
        };
    }

    /** The arch of the running JVM. */
    public static Arch native_() {
        return ofMachine(System.getProperty("os.arch"));
    }
}
