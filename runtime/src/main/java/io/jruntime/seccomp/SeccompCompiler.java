package io.jruntime.seccomp;

import static io.jruntime.seccomp.SeccompAbi.BPF_AND;
import static io.jruntime.seccomp.SeccompAbi.BPF_JEQ;
import static io.jruntime.seccomp.SeccompAbi.BPF_JGE;
import static io.jruntime.seccomp.SeccompAbi.BPF_JGT;
import static io.jruntime.seccomp.SeccompAbi.DATA_ARCH;
import static io.jruntime.seccomp.SeccompAbi.DATA_ARGS;
import static io.jruntime.seccomp.SeccompAbi.DATA_NR;
import static io.jruntime.seccomp.SeccompAbi.X32_SYSCALL_BIT;

import io.jruntime.JRuntimeException;
import io.jruntime.seccomp.Assembler.Label;
import io.jruntime.spec.LinuxSeccomp;
import io.jruntime.spec.LinuxSeccompArg;
import io.jruntime.spec.LinuxSyscall;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Compiles the spec's {@code linux.seccomp} into a classic BPF program for seccomp(2), the way
 * runc does with libseccomp, without libseccomp. See README.md beside this class for the program
 * layout and for where the semantics follow libseccomp, runc, or neither.
 */
public final class SeccompCompiler {
    private SeccompCompiler() {}

    /** errno returned by SCMP_ACT_ERRNO and SCMP_ACT_TRACE when errnoRet is absent (runc's default). */
    public static final int EPERM = 1;
    /** errno runc's stub returns for syscalls newer than the profile. */
    public static final int ENOSYS = 38;

    /**
     * How to compile.
     *
     * @param warnings receives one line per thing skipped (unknown syscall names, impossible
     *     architectures, flags that cannot apply); runc logs these at debug level
     * @param badArchAction the verdict for an architecture (ABI) not in the filter: libseccomp's
     *     default, and so runc's, is SCMP_ACT_KILL (kill the thread)
     * @param enosysStub runc's -ENOSYS stub: in each listed architecture, a syscall numbered above
     *     every syscall the profile names gets ENOSYS instead of the default action, so that programs
     *     fall back from syscalls the profile predates (only when the default action is not allow,
     *     log or trace)
     */
    public record Options(Consumer<String> warnings, int badArchAction, boolean enosysStub) {
        public Options {
            Objects.requireNonNull(warnings, "warnings");
        }

        /** runc's behaviour, warnings dropped. */
        public static Options defaults() {
            return new Options(w -> { }, SeccompAbi.RET_KILL_THREAD, true);
        }

        public Options withWarnings(Consumer<String> w) {
            return new Options(w, badArchAction, enosysStub);
        }

        public Options withBadArchAction(int action) {
            return new Options(warnings, action, enosysStub);
        }

        public Options withEnosysStub(boolean on) {
            return new Options(warnings, badArchAction, on);
        }
    }

    /** Compiles for the machine named {@code nativeArch} ({@code uname -m} or Java's {@code os.arch}). */
    public static SeccompProgram compile(LinuxSeccomp seccomp, String nativeArch) {
        return compile(seccomp, Arch.ofMachine(nativeArch), Options.defaults());
    }

    /** Compiles for {@code nativeArch}, reporting what was skipped to {@code warnings}. */
    public static SeccompProgram compile(LinuxSeccomp seccomp, String nativeArch, Consumer<String> warnings) {
        return compile(seccomp, Arch.ofMachine(nativeArch), Options.defaults().withWarnings(warnings));
    }

    /** Compiles for {@code nativeArch} with {@code options}. */
    public static SeccompProgram compile(LinuxSeccomp seccomp, Arch nativeArch, Options options) {
        return new Compilation(seccomp, nativeArch, options).run();
    }

    // ---------------------------------------------------------------- actions and flags

    /**
     * The {@code SECCOMP_RET_*} value of an action name with its errnoRet (EPERM when absent for
     * ERRNO and TRACE, as runc). Fails for unknown names, for errnoRet on other actions (the spec's
     * MUST) and for errnoRet above 65535 (the 16 data bits of a filter verdict).
     */
    public static int action(String name, Long errnoRet, String where) {
        if (name == null || name.isEmpty()) {
            throw error(where + " is required");
        }
        boolean takesErrno = name.equals("SCMP_ACT_ERRNO") || name.equals("SCMP_ACT_TRACE");
        if (errnoRet != null && !takesErrno && isAction(name)) {
            throw error(where + ": errnoRet is only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not " + name);
        }
        if (errnoRet != null && (errnoRet < 0 || errnoRet > SeccompAbi.RET_DATA)) {
            throw error(where + ": errnoRet " + Long.toUnsignedString(errnoRet) + " is out of range (0 to 65535)");
        }
        int data = errnoRet == null ? EPERM : (int) (long) errnoRet;
        return switch (name) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> SeccompAbi.RET_KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> SeccompAbi.RET_KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> SeccompAbi.RET_TRAP;
            case "SCMP_ACT_ERRNO" -> SeccompAbi.RET_ERRNO | data;
            case "SCMP_ACT_TRACE" -> SeccompAbi.RET_TRACE | data;
            case "SCMP_ACT_ALLOW" -> SeccompAbi.RET_ALLOW;
            case "SCMP_ACT_LOG" -> SeccompAbi.RET_LOG;
            case "SCMP_ACT_NOTIFY" -> SeccompAbi.RET_USER_NOTIF;
            default -> throw error(where + ": unknown action \"" + name + "\"");
        };
    }

    private static boolean isAction(String name) {
        return switch (name) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
                    "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY" -> true;
            default -> false;
        };
    }

    /** The {@code SECCOMP_FILTER_FLAG_*} bit of a spec flag name, or 0 when unknown. */
    public static int flag(String name) {
        return switch (name) {
            case "SECCOMP_FILTER_FLAG_TSYNC" -> SeccompAbi.FILTER_FLAG_TSYNC;
            case "SECCOMP_FILTER_FLAG_LOG" -> SeccompAbi.FILTER_FLAG_LOG;
            case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> SeccompAbi.FILTER_FLAG_SPEC_ALLOW;
            case "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" -> SeccompAbi.FILTER_FLAG_WAIT_KILLABLE_RECV;
            default -> 0;
        };
    }

    static JRuntimeException error(String why) {
        return new JRuntimeException("seccomp: " + why);
    }

    // ---------------------------------------------------------------- the model

    /** Comparison operators, in the spec's order. */
    enum Op { NE, LT, LE, EQ, GE, GT, MASKED_EQ }

    /** One argument comparison; for MASKED_EQ {@code value} is the mask and {@code datum} the expected result. */
    record Cond(int index, Op op, long value, long datum) {}

    /** A rule as written: action and ANDed conditions (empty: the syscall alone). */
    record Rule(int action, List<Cond> conds) {}

    /** A config entry after validation: its names and one or more rules (runc splits same-argument conditions). */
    record Entry(List<String> names, int action, List<List<Cond>> condSets) {}

    /** What one syscall number does in one section: a verdict, or rules checked in order. */
    sealed interface Target permits Ret, Block {}

    record Ret(int value) implements Target {}

    static final class Block implements Target {
        final List<Rule> rules = new ArrayList<>();
        final Label label = new Label();
        final boolean args64;

        Block(boolean args64) {
            this.args64 = args64;
        }
    }

    /** The rules of one syscall number, merged as libseccomp merges them. */
    static final class SyscallRules {
        Integer unconditional;
        final List<Rule> conditional = new ArrayList<>();

        void add(Rule r) {
            if (unconditional != null) {
                return; // an unconditional rule already matches everything: later rules are redundant
            }
            if (r.conds().isEmpty()) {
                unconditional = r.action();
                conditional.clear(); // replaces the argument rules before it
            } else {
                conditional.add(r);
            }
        }
    }

    /** A run of syscall numbers [lo, hi] (unsigned) with one target. */
    record Range(long lo, long hi, Target target) {}

    // ---------------------------------------------------------------- one compilation

    private static final class Compilation {
        final LinuxSeccomp seccomp;
        final Arch nativeArch;
        final Options options;
        final Assembler asm = new Assembler();
        int defaultAction;
        final List<Entry> entries = new ArrayList<>();
        final Set<String> allNames = new LinkedHashSet<>();

        Compilation(LinuxSeccomp seccomp, Arch nativeArch, Options options) {
            this.seccomp = Objects.requireNonNull(seccomp, "seccomp");
            this.nativeArch = nativeArch;
            this.options = options;
        }

        SeccompProgram run() {
            defaultAction = action(seccomp.defaultAction(), seccomp.defaultErrnoRet(), "defaultAction");
            if (defaultAction == SeccompAbi.RET_USER_NOTIF) {
                throw error("SCMP_ACT_NOTIFY cannot be used as default action");
            }
            boolean notify = parseEntries();
            int flags = flags(notify);
            List<Arch> listed = listedArchs();
            List<List<Arch>> sections = sections(listed);

            // Unknown names of the rules kept: warned once, when no architecture of the filter knows them.
            Set<String> keptNames = new LinkedHashSet<>();
            for (Entry e : entries) {
                keptNames.addAll(e.names());
            }
            for (String name : keptNames) {
                boolean known = false;
                for (List<Arch> sec : sections) {
                    for (Arch a : sec) {
                        known |= SyscallTable.of(a).number(name) >= 0 || (a == Arch.X86 && Multiplexed.of(name) != null);
                    }
                }
                if (!known) {
                    options.warnings().accept("unknown seccomp syscall \"" + name + "\" ignored");
                }
            }

            // Arch dispatch: ld arch; jeq A1 -> section 1; jeq A2 -> section 2; ...; ret bad-arch.
            List<Label> sectionLabels = new ArrayList<>();
            asm.load(DATA_ARCH);
            Label badArch = new Label();
            for (int s = 0; s < sections.size(); s++) {
                Label sec = new Label();
                sectionLabels.add(sec);
                Label next = s == sections.size() - 1 ? badArch : new Label();
                asm.jump(BPF_JEQ, sections.get(s).get(0).auditArch(), sec, next);
                if (next != badArch) {
                    asm.bind(next);
                }
            }
            asm.bind(badArch);
            asm.ret(options.badArchAction());
            for (int s = 0; s < sections.size(); s++) {
                asm.bind(sectionLabels.get(s));
                section(sections.get(s), listed);
            }
            byte[] bpf = asm.assemble(nativeArch.byteOrder());
            int count = bpf.length / SeccompAbi.INSN_SIZE;
            if (count > SeccompAbi.MAX_INSNS) {
                throw error("the filter has " + count + " instructions, more than the kernel's limit of "
                        + SeccompAbi.MAX_INSNS);
            }
            return new SeccompProgram(bpf, count, flags, notify);
        }

        /** Validates the syscall entries into {@link #entries}; returns whether a rule uses SCMP_ACT_NOTIFY. */
        private boolean parseEntries() {
            boolean notify = false;
            List<LinuxSyscall> syscalls = seccomp.syscallList();
            for (int i = 0; i < syscalls.size(); i++) {
                LinuxSyscall sc = syscalls.get(i);
                String where = "syscalls[" + i + "]";
                if (sc == null) {
                    throw error(where + " is null");
                }
                if (sc.names() == null || sc.names().isEmpty()) {
                    throw error(where + ".names must contain at least one entry");
                }
                for (String n : sc.names()) {
                    if (n == null || n.isEmpty()) {
                        throw error("empty string is not a valid syscall");
                    }
                }
                int act = action(sc.action(), sc.errnoRet(), where + ".action");
                if (act == SeccompAbi.RET_USER_NOTIF) {
                    notify = true;
                    if (sc.names().contains("write")) {
                        throw error("SCMP_ACT_NOTIFY cannot be used for the write syscall");
                    }
                }
                List<Cond> conds = new ArrayList<>();
                int[] perIndex = new int[6];
                boolean repeated = false;
                List<LinuxSeccompArg> args = sc.args() == null ? List.of() : sc.args();
                for (int k = 0; k < args.size(); k++) {
                    Cond c = cond(args.get(k), where + ".args[" + k + "]");
                    repeated |= ++perIndex[c.index()] > 1;
                    conds.add(c);
                }
                List<List<Cond>> condSets = new ArrayList<>();
                if (repeated) {
                    // runc: "if two or more arguments have the same condition, revert to old
                    // behavior, adding each condition as a separate rule" (ORed, not ANDed).
                    for (Cond c : conds) {
                        condSets.add(List.of(c));
                    }
                } else {
                    condSets.add(List.copyOf(conds));
                }
                allNames.addAll(sc.names());
                if (act == defaultAction) {
                    continue; // redundant, as runc skips it (libseccomp would refuse it)
                }
                entries.add(new Entry(List.copyOf(sc.names()), act, condSets));
            }
            return notify;
        }

        private static Cond cond(LinuxSeccompArg a, String where) {
            if (a == null) {
                throw error(where + " is null");
            }
            if (a.index() == null) {
                throw error(where + ".index is required");
            }
            if (a.index() < 0 || a.index() > 5) {
                throw error(where + ".index " + a.index() + " is out of range (0 to 5)");
            }
            if (a.value() == null) {
                throw error(where + ".value is required");
            }
            if (a.op() == null || a.op().isEmpty()) {
                throw error(where + ".op is required");
            }
            Op op = switch (a.op()) {
                case "SCMP_CMP_NE" -> Op.NE;
                case "SCMP_CMP_LT" -> Op.LT;
                case "SCMP_CMP_LE" -> Op.LE;
                case "SCMP_CMP_EQ" -> Op.EQ;
                case "SCMP_CMP_GE" -> Op.GE;
                case "SCMP_CMP_GT" -> Op.GT;
                case "SCMP_CMP_MASKED_EQ" -> Op.MASKED_EQ;
                default -> throw error(where + ".op: unknown operator \"" + a.op() + "\"");
            };
            long two = a.valueTwo() == null ? 0 : a.valueTwo();
            return new Cond((int) (long) a.index(), op, a.value(), two);
        }

        private int flags(boolean notify) {
            int flags = 0;
            boolean waitKillable = false;
            for (String f : seccomp.flags() == null ? List.<String>of() : seccomp.flags()) {
                int bit = flag(f);
                if (bit == 0) {
                    throw error("seccomp flag " + f + " is not known to jruntime");
                }
                if (bit == SeccompAbi.FILTER_FLAG_WAIT_KILLABLE_RECV) {
                    waitKillable = true;
                } else {
                    flags |= bit;
                }
            }
            if (notify) {
                flags |= SeccompAbi.FILTER_FLAG_NEW_LISTENER;
                if ((flags & SeccompAbi.FILTER_FLAG_TSYNC) != 0) {
                    // The kernel refuses TSYNC with NEW_LISTENER unless told to report a failed sync as ESRCH.
                    flags |= SeccompAbi.FILTER_FLAG_TSYNC_ESRCH;
                }
                if (waitKillable) {
                    flags |= SeccompAbi.FILTER_FLAG_WAIT_KILLABLE_RECV;
                }
            } else if (waitKillable) {
                options.warnings().accept("seccomp flag SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV ignored: "
                        + "no SCMP_ACT_NOTIFY rule (the kernel accepts it only with a listener)");
            }
            return flags;
        }

        /** The config's architectures jruntime can filter on this machine, in config order. */
        private List<Arch> listedArchs() {
            List<Arch> out = new ArrayList<>();
            for (String name : seccomp.architectures() == null ? List.<String>of() : seccomp.architectures()) {
                Arch a = Arch.ofScmpName(name);
                if (a == null) {
                    if (!io.jruntime.spec.KnownValues.SECCOMP_ARCHS.contains(name)) {
                        throw error("error validating Seccomp architecture: unknown architecture \"" + name + "\"");
                    }
                    options.warnings().accept("seccomp architecture " + name + " ignored: it cannot run on "
                            + nativeArch.scmpName());
                } else if (!nativeArch.reachable().contains(a)) {
                    options.warnings().accept("seccomp architecture " + name + " ignored: it cannot run on "
                            + nativeArch.scmpName());
                } else if (!out.contains(a)) {
                    out.add(a);
                }
            }
            return out;
        }

        /**
         * The filter's architectures grouped by audit arch (x86_64 and x32 share one), the native one
         * first: like libseccomp, the native architecture is always filtered, listed or not.
         */
        private List<List<Arch>> sections(List<Arch> listed) {
            Map<Integer, List<Arch>> byAudit = new LinkedHashMap<>();
            byAudit.computeIfAbsent(nativeArch.auditArch(), x -> new ArrayList<>()).add(nativeArch);
            for (Arch a : listed) {
                List<Arch> sec = byAudit.computeIfAbsent(a.auditArch(), x -> new ArrayList<>());
                if (!sec.contains(a)) {
                    sec.add(a);
                }
            }
            return new ArrayList<>(byAudit.values());
        }

        // ------------------------------------------------------------ one audit arch

        private void section(List<Arch> archs, List<Arch> listed) {
            retLabels.clear();
            Map<Integer, Ret> rets = new LinkedHashMap<>();
            Ret deflt = ret(rets, defaultAction);
            TreeMap<Long, Target> explicit = new TreeMap<>();
            for (Arch a : archs) {
                Map<Integer, SyscallRules> rules = rules(a);
                for (Map.Entry<Integer, SyscallRules> e : rules.entrySet()) {
                    SyscallRules r = e.getValue();
                    Target t;
                    if (r.unconditional != null) {
                        t = ret(rets, r.unconditional);
                    } else {
                        Block b = new Block(a.args64());
                        b.rules.addAll(r.conditional);
                        t = b;
                    }
                    explicit.put(Integer.toUnsignedLong(e.getKey()), t);
                }
            }
            List<Range> background = background(archs, listed, deflt, rets);
            List<Range> ranges = overlay(background, explicit);

            // ld nr; a balanced tree of jge over the range starts, each argument block placed right
            // after the node that leads to it; then the section's verdicts.
            asm.load(DATA_NR);
            sectionRets = rets;
            sectionDefault = deflt;
            tree(ranges, 0, ranges.size() - 1);
            for (Ret r : rets.values()) {
                Label l = retLabels.get(r);
                if (l != null) { // referenced by the tree or a block
                    asm.bind(l);
                    asm.ret(r.value());
                }
            }
        }

        private final Map<Ret, Label> retLabels = new HashMap<>();

        private Label label(Ret r) {
            return retLabels.computeIfAbsent(r, x -> new Label());
        }

        private Label label(Target t) {
            return t instanceof Block b ? b.label : label((Ret) t);
        }

        private static Ret ret(Map<Integer, Ret> rets, int value) {
            return rets.computeIfAbsent(value, Ret::new);
        }

        /** Every rule of the config that applies to {@code arch}, merged per syscall number. */
        private Map<Integer, SyscallRules> rules(Arch arch) {
            SyscallTable table = SyscallTable.of(arch);
            Map<Integer, SyscallRules> out = new HashMap<>();
            for (Entry e : entries) {
                for (String name : e.names()) {
                    int nr = table.number(name);
                    Multiplexed mux = arch == Arch.X86 ? Multiplexed.of(name) : null;
                    for (List<Cond> conds : e.condSets()) {
                        List<Cond> live = live(conds, arch.args64());
                        if (nr >= 0) {
                            out.computeIfAbsent(nr, x -> new SyscallRules()).add(new Rule(e.action(), live));
                        }
                        if (mux != null && live.isEmpty()) {
                            // libseccomp: on i386 a rule for a socket or SysV IPC call also matches the
                            // socketcall(2)/ipc(2) multiplexer with that call number in the first argument.
                            // Argument conditions cannot apply there (the arguments are in memory), so
                            // only unconditional rules are multiplexed.
                            out.computeIfAbsent(table.number(mux.via()), x -> new SyscallRules())
                                    .add(new Rule(e.action(), List.of(new Cond(0, Op.EQ, mux.call(), 0))));
                        }
                    }
                }
            }
            return out;
        }

        /** The conditions that test something on this arch (libseccomp skips MASKED_EQ with a zero mask). */
        private static List<Cond> live(List<Cond> conds, boolean args64) {
            List<Cond> out = new ArrayList<>(conds.size());
            for (Cond c : conds) {
                if (c.op() == Op.MASKED_EQ && (args64 ? c.value() == 0 : (int) c.value() == 0)) {
                    continue;
                }
                out.add(c);
            }
            return out;
        }

        /**
         * What a syscall number with no rule gets: the default action, or the bad-arch action for the
         * other half of x86_64's number space when only one of x86_64 and x32 is filtered (as
         * libseccomp; -1, which tracers use to skip a syscall, keeps the default), or ENOSYS above
         * the profile's highest syscall (runc's stub).
         */
        private List<Range> background(List<Arch> archs, List<Arch> listed, Ret deflt, Map<Integer, Ret> rets) {
            List<Range> out = new ArrayList<>();
            out.add(new Range(0, 0xFFFF_FFFFL, deflt));
            boolean x86_64 = archs.contains(Arch.X86_64);
            boolean x32 = archs.contains(Arch.X32);
            Ret bad = ret(rets, options.badArchAction());
            if (x86_64 && !x32) {
                out = paint(out, X32_SYSCALL_BIT, 0xFFFF_FFFEL, bad);
            } else if (x32 && !x86_64) {
                out = paint(out, 0, X32_SYSCALL_BIT - 1, bad);
            }
            if (enosys()) {
                Ret enosys = ret(rets, SeccompAbi.RET_ERRNO | ENOSYS);
                for (Arch a : archs) {
                    if (!listed.contains(a)) {
                        continue; // runc's stub covers the listed architectures only
                    }
                    long max = maxNumber(SyscallTable.of(a));
                    if (max < 0) {
                        options.warnings().accept("could not find any syscalls for arch " + a.scmpName());
                        continue;
                    }
                    long top = a == Arch.X86_64 ? X32_SYSCALL_BIT - 1 : 0xFFFF_FFFEL;
                    if (max < top) {
                        out = paint(out, max + 1, top, enosys);
                    }
                }
            }
            return out;
        }

        private long maxNumber(SyscallTable t) {
            long max = -1;
            for (String name : allNames) {
                int nr = t.number(name);
                if (nr >= 0) {
                    max = Math.max(max, nr);
                }
            }
            return max;
        }

        private boolean enosys() {
            if (!options.enosysStub()) {
                return false;
            }
            int action = defaultAction & SeccompAbi.RET_ACTION_FULL;
            return action != SeccompAbi.RET_ALLOW && action != SeccompAbi.RET_LOG && action != SeccompAbi.RET_TRACE
                    && defaultAction != (SeccompAbi.RET_ERRNO | ENOSYS);
        }

        /** {@code ranges} with [lo, hi] set to {@code t}. */
        private static List<Range> paint(List<Range> ranges, long lo, long hi, Target t) {
            List<Range> out = new ArrayList<>(ranges.size() + 2);
            for (Range r : ranges) {
                if (r.hi() < lo || r.lo() > hi) {
                    out.add(r);
                    continue;
                }
                if (r.lo() < lo) {
                    out.add(new Range(r.lo(), lo - 1, r.target()));
                }
                out.add(new Range(Math.max(r.lo(), lo), Math.min(r.hi(), hi), t));
                if (r.hi() > hi) {
                    out.add(new Range(hi + 1, r.hi(), r.target()));
                }
            }
            return merge(out);
        }

        /** Single-number ranges for the explicit syscalls over the background, adjacent equal verdicts merged. */
        private static List<Range> overlay(List<Range> background, TreeMap<Long, Target> explicit) {
            List<Range> out = new ArrayList<>(background.size() + 2 * explicit.size());
            for (Range r : background) {
                long next = r.lo();
                for (Map.Entry<Long, Target> e : explicit.subMap(r.lo(), true, r.hi(), true).entrySet()) {
                    long nr = e.getKey();
                    if (nr > next) {
                        out.add(new Range(next, nr - 1, r.target()));
                    }
                    out.add(new Range(nr, nr, e.getValue()));
                    next = nr + 1;
                }
                if (next <= r.hi()) {
                    out.add(new Range(next, r.hi(), r.target()));
                }
            }
            return merge(out);
        }

        private static List<Range> merge(List<Range> in) {
            List<Range> out = new ArrayList<>(in.size());
            for (Range r : in) {
                if (!out.isEmpty()) {
                    Range last = out.get(out.size() - 1);
                    if (last.target() instanceof Ret && last.target().equals(r.target()) && last.hi() + 1 == r.lo()) {
                        out.set(out.size() - 1, new Range(last.lo(), r.hi(), r.target()));
                        continue;
                    }
                }
                out.add(r);
            }
            return out;
        }

        /**
         * A balanced binary search over the ranges [lo..hi] (indices): each node is one
         * {@code jge start-of-upper-half}; leaves are the targets themselves, so a tree over n
         * ranges costs n - 1 instructions and ceil(log2 n) jumps to run.
         */
        private void tree(List<Range> ranges, int lo, int hi) {
            if (lo == hi) {
                asm.ja(label(ranges.get(lo).target())); // only when the whole section is one range
                leaf(ranges.get(lo).target());
                return;
            }
            int mid = (lo + hi + 1) >>> 1;
            Label upper = mid == hi ? label(ranges.get(hi).target()) : new Label();
            Label lower = lo == mid - 1 ? label(ranges.get(lo).target()) : new Label();
            asm.jump(BPF_JGE, (int) ranges.get(mid).lo(), upper, lower);
            if (lo != mid - 1) {
                asm.bind(lower);
                tree(ranges, lo, mid - 1);
            } else {
                leaf(ranges.get(lo).target());
            }
            if (mid != hi) {
                asm.bind(upper);
                tree(ranges, mid, hi);
            } else {
                leaf(ranges.get(hi).target());
            }
        }

        private Map<Integer, Ret> sectionRets;
        private Ret sectionDefault;

        /**
         * A leaf's argument block goes right here, next to the one node that jumps to it (a block
         * belongs to one syscall number, so to one leaf). Blocks end in conditional jumps, so
         * nothing falls through into what follows.
         */
        private void leaf(Target t) {
            if (t instanceof Block b) {
                block(b, sectionRets, sectionDefault);
            }
        }

        /** A syscall's argument rules in order; the first whose conditions all hold gives the verdict. */
        private void block(Block b, Map<Integer, Ret> rets, Ret deflt) {
            asm.bind(b.label);
            for (int r = 0; r < b.rules.size(); r++) {
                Rule rule = b.rules.get(r);
                Label fail = r == b.rules.size() - 1 ? label(deflt) : new Label();
                Label match = label(ret(rets, rule.action()));
                for (int c = 0; c < rule.conds().size(); c++) {
                    Label pass = c == rule.conds().size() - 1 ? match : new Label();
                    condition(rule.conds().get(c), pass, fail, b.args64);
                    if (pass != match) {
                        asm.bind(pass);
                    }
                }
                if (fail != label(deflt)) {
                    asm.bind(fail);
                }
            }
        }

        /** One comparison of a 64-bit (or, on 32-bit ABIs, 32-bit) argument, unsigned, high word first. */
        private void condition(Cond c, Label pass, Label fail, boolean args64) {
            int lo = DATA_ARGS + 8 * c.index();
            int hi = lo + 4; // little-endian seccomp_data
            int vl = (int) c.value();
            int vh = (int) (c.value() >>> 32);
            if (!args64) {
                asm.load(lo);
                switch (c.op()) {
                    case EQ -> asm.jump(BPF_JEQ, vl, pass, fail);
                    case NE -> asm.jump(BPF_JEQ, vl, fail, pass);
                    case GT -> asm.jump(BPF_JGT, vl, pass, fail);
                    case GE -> asm.jump(BPF_JGE, vl, pass, fail);
                    case LT -> asm.jump(BPF_JGE, vl, fail, pass);
                    case LE -> asm.jump(BPF_JGT, vl, fail, pass);
                    case MASKED_EQ -> {
                        if (vl != -1) {
                            asm.alu(BPF_AND, vl);
                        }
                        asm.jump(BPF_JEQ, (int) c.datum() & vl, pass, fail);
                    }
                }
                return;
            }
            Label next = new Label();
            switch (c.op()) {
                case EQ, NE -> {
                    Label onLoEqual = c.op() == Op.EQ ? pass : fail;
                    Label onDiffer = c.op() == Op.EQ ? fail : pass;
                    asm.load(hi);
                    asm.jump(BPF_JEQ, vh, next, onDiffer);
                    asm.bind(next);
                    asm.load(lo);
                    asm.jump(BPF_JEQ, vl, onLoEqual, onDiffer);
                }
                case GT, GE -> {
                    // a > v  <=>  ah > vh, or ah == vh and al > vl (>= for GE)
                    Label lowWord = new Label();
                    asm.load(hi);
                    asm.jump(BPF_JGT, vh, pass, next);
                    asm.bind(next);
                    asm.jump(BPF_JEQ, vh, lowWord, fail);
                    asm.bind(lowWord);
                    asm.load(lo);
                    asm.jump(c.op() == Op.GT ? BPF_JGT : BPF_JGE, vl, pass, fail);
                }
                case LT, LE -> {
                    // a < v  <=>  not (a >= v); a <= v  <=>  not (a > v)
                    Label lowWord = new Label();
                    asm.load(hi);
                    asm.jump(BPF_JGT, vh, fail, next);
                    asm.bind(next);
                    asm.jump(BPF_JEQ, vh, lowWord, pass);
                    asm.bind(lowWord);
                    asm.load(lo);
                    asm.jump(c.op() == Op.LT ? BPF_JGE : BPF_JGT, vl, fail, pass);
                }
                case MASKED_EQ -> {
                    // (a & mask) == (datum & mask), libseccomp masks the datum too; a zero mask word is not tested.
                    int dl = (int) c.datum() & vl;
                    int dh = (int) (c.datum() >>> 32) & vh;
                    if (vh != 0) {
                        asm.load(hi);
                        if (vh != -1) {
                            asm.alu(BPF_AND, vh);
                        }
                        asm.jump(BPF_JEQ, dh, vl != 0 ? next : pass, fail);
                    }
                    if (vl != 0) {
                        asm.bind(next);
                        asm.load(lo);
                        if (vl != -1) {
                            asm.alu(BPF_AND, vl);
                        }
                        asm.jump(BPF_JEQ, dl, pass, fail);
                    }
                }
            }
        }
    }

    /** Socket and SysV IPC calls that i386 can also reach through socketcall(2) or ipc(2). */
    record Multiplexed(String via, int call) {
        private static final Map<String, Multiplexed> ALL = all();

        static Multiplexed of(String name) {
            return ALL.get(name);
        }

        private static Map<String, Multiplexed> all() {
            Map<String, Multiplexed> m = new HashMap<>();
            String[] socket = {null, "socket", "bind", "connect", "listen", "accept", "getsockname", "getpeername",
                "socketpair", "send", "recv", "sendto", "recvfrom", "shutdown", "setsockopt", "getsockopt",
                "sendmsg", "recvmsg", "accept4", "recvmmsg", "sendmmsg"};
            for (int i = 1; i < socket.length; i++) {
                m.put(socket[i], new Multiplexed("socketcall", i));
            }
            // linux/ipc.h call numbers.
            Object[][] ipc = {{"semop", 1}, {"semget", 2}, {"semctl", 3}, {"semtimedop", 4}, {"msgsnd", 11},
                {"msgrcv", 12}, {"msgget", 13}, {"msgctl", 14}, {"shmat", 21}, {"shmdt", 22}, {"shmget", 23},
                {"shmctl", 24}};
            for (Object[] e : ipc) {
                m.put((String) e[0], new Multiplexed("ipc", (Integer) e[1]));
            }
            return Map.copyOf(m);
        }
    }
}
