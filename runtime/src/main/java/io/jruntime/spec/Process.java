package io.jruntime.spec;

import java.util.List;

/**
 * The container process (config.md "Process", "POSIX process", "Linux Process"); also the document
 * given to {@code exec --process}. {@code terminal} and {@code noNewPrivileges} default to false when
 * absent; {@code oomScoreAdj} absent means "do not change oom_score_adj".
 */
public record Process(
        Boolean terminal,
        ConsoleSize consoleSize,
        User user,
        List<String> args,
        String commandLine,
        List<String> env,
        String cwd,
        LinuxCapabilities capabilities,
        List<PosixRlimit> rlimits,
        Boolean noNewPrivileges,
        String apparmorProfile,
        Integer oomScoreAdj,
        Scheduler scheduler,
        String selinuxLabel,
        IOPriority ioPriority,
        CPUAffinity execCPUAffinity) {

    /** A process running {@code args} in {@code cwd} as {@code user}, everything else absent. */
    public static Process of(User user, List<String> args, List<String> env, String cwd) {
        return new Process(null, null, user, args, null, env, cwd, null, null, null, null, null, null, null, null, null);
    }

    /** {@code terminal}, false when absent. */
    public boolean terminalEnabled() {
        return Boolean.TRUE.equals(terminal);
    }

    /** {@code noNewPrivileges}, false when absent. */
    public boolean noNewPrivilegesEnabled() {
        return Boolean.TRUE.equals(noNewPrivileges);
    }

    /** {@code args}, or an empty list when absent. */
    public List<String> argList() {
        return args == null ? List.of() : args;
    }

    /** {@code env}, or an empty list when absent. */
    public List<String> envList() {
        return env == null ? List.of() : env;
    }

    /** {@code rlimits}, or an empty list when absent. */
    public List<PosixRlimit> rlimitList() {
        return rlimits == null ? List.of() : rlimits;
    }

    public Process withTerminal(Boolean t) {
        return new Process(t, consoleSize, user, args, commandLine, env, cwd, capabilities, rlimits, noNewPrivileges,
                apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity);
    }

    public Process withUser(User u) {
        return new Process(terminal, consoleSize, u, args, commandLine, env, cwd, capabilities, rlimits, noNewPrivileges,
                apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity);
    }

    public Process withArgs(List<String> a) {
        return new Process(terminal, consoleSize, user, a, commandLine, env, cwd, capabilities, rlimits, noNewPrivileges,
                apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity);
    }

    public Process withEnv(List<String> e) {
        return new Process(terminal, consoleSize, user, args, commandLine, e, cwd, capabilities, rlimits, noNewPrivileges,
                apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity);
    }

    public Process withCwd(String c) {
        return new Process(terminal, consoleSize, user, args, commandLine, env, c, capabilities, rlimits, noNewPrivileges,
                apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity);
    }

    public Process withCapabilities(LinuxCapabilities c) {
        return new Process(terminal, consoleSize, user, args, commandLine, env, cwd, c, rlimits, noNewPrivileges,
                apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity);
    }

    public Process withRlimits(List<PosixRlimit> r) {
        return new Process(terminal, consoleSize, user, args, commandLine, env, cwd, capabilities, r, noNewPrivileges,
                apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity);
    }

    public Process withNoNewPrivileges(Boolean n) {
        return new Process(terminal, consoleSize, user, args, commandLine, env, cwd, capabilities, rlimits, n,
                apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity);
    }

    public Process withApparmorProfile(String a) {
        return new Process(terminal, consoleSize, user, args, commandLine, env, cwd, capabilities, rlimits, noNewPrivileges,
                a, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity);
    }

    public Process withSelinuxLabel(String s) {
        return new Process(terminal, consoleSize, user, args, commandLine, env, cwd, capabilities, rlimits, noNewPrivileges,
                apparmorProfile, oomScoreAdj, scheduler, s, ioPriority, execCPUAffinity);
    }
}
