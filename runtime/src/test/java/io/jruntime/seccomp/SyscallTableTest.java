package io.jruntime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The generated tables: well-formed, and right about numbers that matter (checked against the kernel's tables). */
class SyscallTableTest {

    @ParameterizedTest
    @CsvSource({
        "X86_64, read, 0", "X86_64, write, 1", "X86_64, getpid, 39", "X86_64, openat, 257", "X86_64, seccomp, 317",
        "X86_64, clone3, 435", "X86_64, fchmodat2, 452", "X86_64, uretprobe, 335", "X86_64, file_setattr, 469",
        "X86, read, 3", "X86, socketcall, 102", "X86, ipc, 117", "X86, socket, 359", "X86, getpid, 20",
        "X86, mmap2, 192", "X86, clone3, 435", "X86, map_shadow_stack, 453",
        "X32, read, 1073741824", "X32, rt_sigaction, 1073742336", "X32, ptrace, 1073742345", "X32, getpid, 1073741863",
        "X32, cachestat, 1073742275",
        "AARCH64, io_setup, 0", "AARCH64, openat, 56", "AARCH64, read, 63", "AARCH64, newfstatat, 79",
        "AARCH64, fstat, 80", "AARCH64, socket, 198", "AARCH64, mmap, 222", "AARCH64, seccomp, 277",
        "AARCH64, clone3, 435", "AARCH64, memfd_secret, 447", "AARCH64, mseal, 462",
        "ARM, restart_syscall, 0", "ARM, read, 3", "ARM, openat, 322", "ARM, socket, 281", "ARM, clone3, 435",
        "ARM, breakpoint, 983041", "ARM, cacheflush, 983042", "ARM, set_tls, 983045",
    })
    void knownNumbers(Arch arch, String name, int nr) {
        assertEquals(nr, SyscallTable.of(arch).number(name));
        assertEquals(name, SyscallTable.of(arch).name(nr));
    }

    @ParameterizedTest
    @CsvSource({"X86_64, socketcall", "X86_64, mmap2", "AARCH64, open", "AARCH64, fork", "ARM, mmap",
        "X32, uselib", "X86, arch_prctl_typo", "AARCH64, uretprobe", "ARM, memfd_secret"})
    void absentNames(Arch arch, String name) {
        assertEquals(-1, SyscallTable.of(arch).number(name));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void wellFormedAndUnique(Arch arch) throws IOException {
        String resource = arch.name().toLowerCase().replace("x86_64", "x86_64") + ".syscalls";
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(text.startsWith("# "), "header comment");
            Map<Integer, String> byNumber = new HashMap<>();
            int lines = 0;
            long last = -1;
            for (String line : text.split("\n")) {
                if (line.startsWith("#")) {
                    continue;
                }
                assertTrue(line.matches("[a-z_][a-z0-9_]* [0-9]+"), line);
                String[] f = line.split(" ");
                int nr = Integer.parseInt(f[1]);
                assertTrue(nr >= last, "sorted by number: " + line);
                last = nr;
                String before = byNumber.put(nr, f[0]);
                if (before != null) {
                    // The kernel's own alias: arm's unistd.h defines both names for 341.
                    assertEquals("arm_sync_file_range sync_file_range2", before + " " + f[0], "number " + nr);
                }
                lines++;
            }
            assertEquals(lines, SyscallTable.of(arch).all().size());
            int min = switch (arch) {
                case X86_64 -> 370;
                case X86 -> 450;
                case X32 -> 360;
                case AARCH64 -> 320;
                case ARM -> 420;
            };
            assertTrue(lines >= min, arch + " has " + lines);
        }
    }

    @Test
    void x32NumbersCarryTheX32Bit() {
        for (int nr : SyscallTable.of(Arch.X32).all().values()) {
            assertEquals(SeccompAbi.X32_SYSCALL_BIT, nr & SeccompAbi.X32_SYSCALL_BIT, "x32 " + nr);
        }
        for (int nr : SyscallTable.of(Arch.X86_64).all().values()) {
            assertEquals(0, nr & SeccompAbi.X32_SYSCALL_BIT);
        }
    }

    @Test
    void newerSyscallsHaveTheSameNumberOnEveryArch() {
        for (String name : List.of("cachestat", "fchmodat2", "map_shadow_stack", "futex_wake", "futex_wait",
                "futex_requeue", "statmount", "listmount", "lsm_get_self_attr", "lsm_set_self_attr",
                "lsm_list_modules", "mseal", "setxattrat", "getxattrat", "listxattrat", "removexattrat",
                "open_tree_attr", "file_getattr", "file_setattr")) {
            int n = SyscallTable.of(Arch.X86_64).number(name);
            assertTrue(n >= 451 && n <= 469, name);
            assertEquals(n, SyscallTable.of(Arch.X86).number(name), name);
            assertEquals(n | SeccompAbi.X32_SYSCALL_BIT, SyscallTable.of(Arch.X32).number(name), name);
            assertEquals(n, SyscallTable.of(Arch.AARCH64).number(name), name);
            assertEquals(n, SyscallTable.of(Arch.ARM).number(name), name);
        }
    }

    @Test
    void tablesAreLoadedOnceAndCached() {
        assertSame(SyscallTable.of(Arch.ARM), SyscallTable.of(Arch.ARM));
        assertEquals(0xf0006, SyscallTable.of(Arch.ARM).max());
        assertEquals(SeccompAbi.X32_SYSCALL_BIT | 547, SyscallTable.of(Arch.X32).max());
    }
}
