package io.jruntime.seccomp;

import io.jruntime.spec.LinuxSeccomp;
import io.jruntime.spec.LinuxSeccompArg;
import io.jruntime.spec.LinuxSyscall;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The filter's semantics written straight from the README, without BPF: which verdict a syscall
 * gets. Tests compare it with the interpreter running the compiled program, for every syscall
 * number and several argument vectors, so layout bugs (tree, trampolines, blocks) cannot hide.
 */
final class ReferenceModel {
    private final LinuxSeccomp s;
    private final Arch nativeArch;
    private final SeccompCompiler.Options options;
    private final int defaultAction;
    private final Set<Arch> filtered = new LinkedHashSet<>();
    private final Set<Arch> listed = new LinkedHashSet<>();

    ReferenceModel(LinuxSeccomp s, Arch nativeArch, SeccompCompiler.Options options) {
        this.s = s;
        this.nativeArch = nativeArch;
        this.options = options;
        this.defaultAction = SeccompCompiler.action(s.defaultAction(), s.defaultErrnoRet(), "d");
        filtered.add(nativeArch);
        for (String name : s.architectures() == null ? List.<String>of() : s.architectures()) {
            Arch a = Arch.ofScmpName(name);
            if (a != null && nativeArch.reachable().contains(a)) {
                filtered.add(a);
                listed.add(a);
            }
        }
    }

    int verdict(int auditArch, int nr, long[] args) {
        Arch arch = null;
        for (Arch a : filtered) {
            if (a.auditArch() == auditArch) {
                boolean x32Number = Integer.compareUnsigned(nr, SeccompAbi.X32_SYSCALL_BIT) >= 0 && nr != -1;
                if (a == Arch.X86_64 && x32Number || a == Arch.X32 && !x32Number && nr != -1) {
                    continue;
                }
                arch = a;
                break;
            }
        }
        if (arch == null) {
            final int audit = auditArch;
            boolean sameAudit = filtered.stream().anyMatch(a -> a.auditArch() == audit);
            if (!sameAudit) {
                return options.badArchAction();
            }
            // x86_64's half of the numbers where only x32 (or the reverse) is filtered; -1 keeps the default.
            return nr == -1 ? defaultAction : options.badArchAction();
        }
        Integer unconditional = null;
        List<Object[]> conditional = new ArrayList<>();
        SyscallTable t = SyscallTable.of(arch);
        for (LinuxSyscall sc : s.syscallList()) {
            int action = SeccompCompiler.action(sc.action(), sc.errnoRet(), "r");
            if (action == defaultAction) {
                continue;
            }
            List<List<LinuxSeccompArg>> sets = conditionSets(sc.args());
            for (String name : sc.names()) {
                for (List<LinuxSeccompArg> set : sets) {
                    List<LinuxSeccompArg> live = live(set, arch.args64());
                    if (t.number(name) >= 0 && t.number(name) == nr) {
                        if (live.isEmpty()) {
                            if (unconditional == null) {
                                unconditional = action;
                            }
                        } else {
                            conditional.add(new Object[] {action, live});
                        }
                    }
                    SeccompCompiler.Multiplexed mux = arch == Arch.X86 ? SeccompCompiler.Multiplexed.of(name) : null;
                    if (mux != null && live.isEmpty() && t.number(mux.via()) == nr) {
                        conditional.add(new Object[] {action,
                            List.of(new LinuxSeccompArg(0L, (long) mux.call(), null, "SCMP_CMP_EQ"))});
                    }
                }
            }
        }
        if (unconditional != null) {
            return unconditional;
        }
        boolean args64 = arch.args64();
        for (Object[] r : conditional) {
            @SuppressWarnings("unchecked")
            List<LinuxSeccompArg> conds = (List<LinuxSeccompArg>) r[1];
            if (conds.stream().allMatch(c -> holds(c, args, args64))) {
                return (int) r[0];
            }
        }
        if (stub(arch)) {
            long max = -1;
            for (LinuxSyscall sc : s.syscallList()) {
                for (String name : sc.names()) {
                    max = Math.max(max, t.number(name));
                }
            }
            long top = arch == Arch.X86_64 ? SeccompAbi.X32_SYSCALL_BIT - 1 : 0xffff_fffeL;
            long n = Integer.toUnsignedLong(nr);
            if (max >= 0 && n > max && n <= top) {
                return SeccompAbi.RET_ERRNO | 38;
            }
        }
        return defaultAction;
    }

    private boolean stub(Arch arch) {
        int a = defaultAction & SeccompAbi.RET_ACTION_FULL;
        return options.enosysStub() && listed.contains(arch) && a != SeccompAbi.RET_ALLOW && a != SeccompAbi.RET_LOG
                && a != SeccompAbi.RET_TRACE && defaultAction != (SeccompAbi.RET_ERRNO | 38);
    }

    private static List<List<LinuxSeccompArg>> conditionSets(List<LinuxSeccompArg> args) {
        List<LinuxSeccompArg> all = args == null ? List.of() : args;
        Set<Long> seen = new LinkedHashSet<>();
        boolean repeated = false;
        for (LinuxSeccompArg a : all) {
            repeated |= !seen.add(a.index());
        }
        if (!repeated) {
            return List.of(all);
        }
        List<List<LinuxSeccompArg>> out = new ArrayList<>();
        for (LinuxSeccompArg a : all) {
            out.add(List.of(a));
        }
        return out;
    }

    private static List<LinuxSeccompArg> live(List<LinuxSeccompArg> conds, boolean args64) {
        List<LinuxSeccompArg> out = new ArrayList<>();
        for (LinuxSeccompArg c : conds) {
            long mask = args64 ? c.value() : c.value() & 0xffff_ffffL;
            if (c.op().equals("SCMP_CMP_MASKED_EQ") && mask == 0) {
                continue;
            }
            out.add(c);
        }
        return out;
    }

    private static boolean holds(LinuxSeccompArg c, long[] args, boolean args64) {
        long width = args64 ? -1L : 0xffff_ffffL;
        long a = (c.index() < args.length ? args[(int) (long) c.index()] : 0) & width;
        long v = c.value() & width;
        long two = (c.valueTwo() == null ? 0 : c.valueTwo()) & width;
        int cmp = Long.compareUnsigned(a, v);
        return switch (c.op()) {
            case "SCMP_CMP_NE" -> cmp != 0;
            case "SCMP_CMP_LT" -> cmp < 0;
            case "SCMP_CMP_LE" -> cmp <= 0;
            case "SCMP_CMP_EQ" -> cmp == 0;
            case "SCMP_CMP_GE" -> cmp >= 0;
            case "SCMP_CMP_GT" -> cmp > 0;
            case "SCMP_CMP_MASKED_EQ" -> (a & v) == (two & v);
            default -> throw new IllegalArgumentException(c.op());
        };
    }
}
