/*
 * jruntime-init: the native stage of jruntime. A plan interpreter; see PROTOCOL.md.
 *
 *   jruntime-init SYNC_FD KEEP_BELOW
 *
 * SYNC_FD is the socket to Java; every fd from KEEP_BELOW up is closed at once
 * (fds 3..SYNC_FD-1 are the caller's --preserve-fds, SYNC_FD+1 may be the console
 * socket). It reads one MSG_PLAN and runs its ops in order. The process and
 * namespace ops live here, the filesystem ops in fs.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "protocol.h"
#include "stage.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct stage st = {.sync_fd = -1, .root_fd = -1, .fifo_fd = -1};

/* ---- messages ---------------------------------------------------------------- */

static int write_full(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int read_full(int fd, void *buf, size_t len) {
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) errno = EPIPE;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void send_msg(uint32_t type, const void *payload, uint32_t len) {
    uint32_t hdr[2] = {type, len};
    if (write_full(st.sync_fd, hdr, sizeof hdr) < 0 || (len && write_full(st.sync_fd, payload, len) < 0))
        _exit(2); /* Java is gone: nobody to tell */
}

/* Reads one message; returns its payload (malloc'd) and sets *len. */
static char *recv_msg(uint32_t expected, uint32_t *len) {
    uint32_t hdr[2];
    if (read_full(st.sync_fd, hdr, sizeof hdr) < 0) _exit(2); /* Java closed: abort quietly */
    char *payload = malloc(hdr[1] + 1);
    if (!payload || (hdr[1] && read_full(st.sync_fd, payload, hdr[1]) < 0)) _exit(2);
    if (hdr[0] != expected) fail(EPROTO, "protocol: expected message %u, got %u", expected, hdr[0]);
    *len = hdr[1];
    return payload;
}

void fail(int err, const char *fmt, ...) {
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (st.sync_fd >= 0) {
        char buf[4 + sizeof text];
        int32_t e = err;
        size_t n = strlen(text);
        memcpy(buf, &e, 4);
        memcpy(buf + 4, text, n);
        send_msg(MSG_ERROR, buf, (uint32_t)(4 + n));
    } else if (err) {
        dprintf(2, "jruntime-init: %s: %s\n", text, strerror(err));
    } else {
        dprintf(2, "jruntime-init: %s\n", text);
    }
    _exit(1);
}

/* ---- arguments ---------------------------------------------------------------- */

uint64_t arg_u64(const struct op *op, uint32_t i) {
    uint64_t v;
    if (i >= op->argc || op->args[i].len != 8) fail(EPROTO, "protocol: op %u argument %u is not an integer", op->code, i);
    memcpy(&v, op->args[i].data, 8);
    return v;
}

const char *arg_str(const struct op *op, uint32_t i) {
    if (i >= op->argc || op->args[i].len == 0 || op->args[i].data[op->args[i].len - 1] != '\0')
        fail(EPROTO, "protocol: op %u argument %u is not a string", op->code, i);
    return op->args[i].len == 1 ? NULL : op->args[i].data;
}

/* Splits a plan payload into ops, pointing into the payload. */
static struct op *parse_plan(char *p, uint32_t len, size_t *count) {
    size_t cap = 64, n = 0;
    struct op *ops = malloc(cap * sizeof *ops);
    char *end = p + len;
    while (p < end) {
        if (end - p < 8) fail(EPROTO, "protocol: truncated op");
        if (n == cap) ops = realloc(ops, (cap *= 2) * sizeof *ops);
        struct op *op = &ops[n++];
        memcpy(&op->code, p, 4);
        memcpy(&op->argc, p + 4, 4);
        p += 8;
        op->args = calloc(op->argc ? op->argc : 1, sizeof *op->args);
        for (uint32_t i = 0; i < op->argc; i++) {
            if (end - p < 4) fail(EPROTO, "protocol: truncated argument");
            memcpy(&op->args[i].len, p, 4);
            p += 4;
            if ((uint64_t)(end - p) < op->args[i].len) fail(EPROTO, "protocol: truncated argument");
            op->args[i].data = p;
            p += op->args[i].len;
        }
    }
    *count = n;
    return ops;
}

/* ---- namespace and process ops ------------------------------------------------ */

static const char *ns_name(uint64_t type) {
    switch (type) {
    case CLONE_NEWUSER: return "user";
    case CLONE_NEWNS: return "mount";
    case CLONE_NEWPID: return "pid";
    case CLONE_NEWNET: return "network";
    case CLONE_NEWIPC: return "ipc";
    case CLONE_NEWUTS: return "uts";
    case CLONE_NEWCGROUP: return "cgroup";
    case CLONE_NEWTIME: return "time";
    default: return "unknown";
    }
}

/* OP_JOIN_NAMESPACES. All paths are opened first (joining the mount namespace
 * changes what later paths mean). Namespaces owned by the host user namespace
 * can only be joined before leaving it, and the ones owned by a joined user
 * namespace only after joining it; so, like runc's nsexec: non-user ones first,
 * an EPERM defers one; then the user namespace; then the deferred ones. */
static void op_join_namespaces(const struct op *op) {
    uint32_t n = op->argc / 2;
    int fds[16];
    uint64_t types[16];
    int deferred[16] = {0};
    if (n > 16) fail(EINVAL, "join namespaces: too many");
    for (uint32_t i = 0; i < n; i++) {
        types[i] = arg_u64(op, 2 * i);
        const char *path = arg_str(op, 2 * i + 1);
        fds[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0) fail(errno, "open %s namespace %s", ns_name(types[i]), path);
    }
    for (uint32_t i = 0; i < n; i++) {
        if (types[i] == CLONE_NEWUSER) continue;
        if (setns(fds[i], (int)types[i]) < 0) {
            if (errno != EPERM) fail(errno, "setns %s namespace %s", ns_name(types[i]), arg_str(op, 2 * i + 1));
            deferred[i] = 1;
        }
    }
    for (uint32_t i = 0; i < n; i++)
        if (types[i] == CLONE_NEWUSER && setns(fds[i], CLONE_NEWUSER) < 0)
            fail(errno, "setns user namespace %s", arg_str(op, 2 * i + 1));
    for (uint32_t i = 0; i < n; i++)
        if (deferred[i] && setns(fds[i], (int)types[i]) < 0)
            fail(errno, "setns %s namespace %s", ns_name(types[i]), arg_str(op, 2 * i + 1));
    for (uint32_t i = 0; i < n; i++) close(fds[i]);
}

/* OP_CLONE: the container init is a new child (pid and time namespaces apply to
 * children only). The stage tells Java the child's host pid and exits; the child
 * is re-parented to the caller's subreaper. */
static void op_clone(const struct op *op) {
    uint64_t flags = arg_u64(op, 0);
    long pid = syscall(SYS_clone, (unsigned long)(flags | SIGCHLD), NULL, NULL, NULL, NULL);
    if (pid < 0) fail(errno, "clone container init");
    if (pid > 0) {
        int32_t p = (int32_t)pid;
        send_msg(MSG_PID, &p, 4);
        _exit(0);
    }
}

static void wait_continue(void) {
    uint32_t len;
    free(recv_msg(MSG_CONTINUE, &len));
}

/* OP_CAPS: capset(2) with the three sets, then the ambient set (raised last;
 * a capability the kernel refuses to raise is skipped, as runc does). */
static void op_caps(const struct op *op) {
    uint64_t eff = arg_u64(op, 0), perm = arg_u64(op, 1), inh = arg_u64(op, 2), amb = arg_u64(op, 3);
    uint64_t last = arg_u64(op, 4);
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2] = {
        {.effective = (uint32_t)eff, .permitted = (uint32_t)perm, .inheritable = (uint32_t)inh},
        {.effective = (uint32_t)(eff >> 32), .permitted = (uint32_t)(perm >> 32), .inheritable = (uint32_t)(inh >> 32)},
    };
    if (syscall(SYS_capset, &hdr, data) < 0) fail(errno, "capset");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) fail(errno, "clear ambient capabilities");
    for (uint64_t c = 0; c <= last && c < 64; c++)
        if (amb & (1ULL << c)) prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0);
}

/* Loads the filter; returns what seccomp(2) returned (the listener fd with NEW_LISTENER). */
static int op_seccomp(const struct op *op) {
    struct sock_fprog prog = {
        .len = (unsigned short)(op->args[0].len / sizeof(struct sock_filter)),
        .filter = (struct sock_filter *)(void *)op->args[0].data,
    };
    if (op->argc < 2 || op->args[0].len % sizeof(struct sock_filter) != 0) fail(EINVAL, "seccomp: malformed program");
    uint64_t flags = arg_u64(op, 1);
    long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)flags, &prog);
    if (rc < 0) {
        if (errno != ENOSYS || flags) fail(errno, "seccomp");
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) fail(errno, "seccomp");
        rc = 0;
    }
    return (int)rc;
}

/* OP_SECCOMP_LISTENER: a filter with SCMP_ACT_NOTIFY rules. From here on every syscall is under
 * the user's filter, so this does as little as runc does: one write(2) of the fd's number (write
 * may not be notified; the compiler refuses that), then wait while Java copies the fd out of this
 * process with pidfd_getfd and answers. Passing the fd itself with sendmsg would deadlock a
 * filter that notifies sendmsg: nobody would hold the listener yet to answer it. */
static void op_seccomp_listener(const struct op *op) {
    int fd = op_seccomp(op);
    if (fd <= 0) fail(EINVAL, "seccomp: the kernel returned no listener fd");
    int32_t n = fd;
    send_msg(MSG_SECCOMP_FD, &n, 4);
    wait_continue();
    close(fd);
}

/* OP_EXEC: argc args, then the environment. The executable was resolved by
 * OP_RESOLVE_EXEC (or is args[0] when no such op ran). */
static void op_exec(const struct op *op) {
    uint64_t argc = arg_u64(op, 0);
    char **argv = calloc(argc + 1, sizeof *argv);
    char **envp = calloc(op->argc - argc + 2, sizeof *envp);
    uint32_t j = 0;
    for (uint64_t i = 0; i < argc; i++) argv[i] = (char *)op->args[1 + i].data;
    for (uint32_t i = 1 + (uint32_t)argc; i < op->argc; i++) envp[j++] = (char *)op->args[i].data;
    if (st.home[0]) envp[j] = st.home;
    const char *file = st.exec_path[0] ? st.exec_path : argv[0];
    execve(file, argv, envp);
    fail(errno, "exec %s", file);
}

static void run_op(const struct op *op) {
    switch (op->code) {
    case OP_JOIN_NAMESPACES: op_join_namespaces(op); break;
    case OP_UNSHARE:
        if (unshare((int)arg_u64(op, 0)) < 0) fail(errno, "unshare %#lx", (unsigned long)arg_u64(op, 0));
        break;
    case OP_WRITE_PROC: op_write_proc(op); break;
    case OP_APPARMOR_EXEC: op_apparmor_exec(op); break;
    case OP_SELINUX_EXEC_LABEL: op_selinux_label(op, "exec"); break;
    case OP_SELINUX_KEY_LABEL: op_selinux_label(op, "keycreate"); break;
    case OP_SESSION_KEYRING: op_session_keyring(op); break;
    case OP_CLONE: op_clone(op); break;
    case OP_WAIT_CONTINUE: wait_continue(); break;
    case OP_SYNC: {
        uint32_t tag = (uint32_t)arg_u64(op, 0);
        send_msg(MSG_SYNC, &tag, 4);
        wait_continue();
        break;
    }
    case OP_SETSID:
        if (setsid() < 0) fail(errno, "setsid");
        break;
    case OP_SETHOSTNAME: {
        const char *h = arg_str(op, 0);
        if (sethostname(h ? h : "", h ? strlen(h) : 0) < 0) fail(errno, "sethostname %s", h ? h : "");
        break;
    }
    case OP_SETDOMAINNAME: {
        const char *d = arg_str(op, 0);
        if (setdomainname(d ? d : "", d ? strlen(d) : 0) < 0) fail(errno, "setdomainname %s", d ? d : "");
        break;
    }
    case OP_MOUNT_HOST: {
        const char *src = arg_str(op, 0), *target = arg_str(op, 1), *type = arg_str(op, 2), *data = arg_str(op, 4);
        if (mount(src, target, type, (unsigned long)arg_u64(op, 3), data) < 0)
            fail(errno, "mount %s to %s", src ? src : type ? type : "(propagation)", target);
        break;
    }
    case OP_ROOTFS: op_rootfs(op); break;
    case OP_MOUNT: op_mount(op); break;
    case OP_MOUNT_SETATTR: op_mount_setattr(op); break;
    case OP_IDMAP_TREE: op_idmap_tree(op); break;
    case OP_IDMAP_ATTACH: op_idmap_attach(op); break;
    case OP_MKNOD: op_mknod(op); break;
    case OP_BIND_DEVICE: op_bind_device(op); break;
    case OP_SYMLINK: op_symlink(op); break;
    case OP_MASK: op_mask(op); break;
    case OP_SELINUX_FILE_LABEL: op_selinux_file_label(op); break;
    case OP_READONLY: op_readonly(op); break;
    case OP_PIVOT_ROOT: op_pivot_root(); break;
    case OP_MOVE_ROOT: op_move_root(); break;
    case OP_REMOUNT: op_remount(op); break;
    case OP_OPEN_FIFO:
        st.fifo_fd = open(arg_str(op, 0), O_PATH | O_CLOEXEC);
        if (st.fifo_fd < 0) fail(errno, "open exec fifo %s", arg_str(op, 0));
        break;
    case OP_CONSOLE: op_console(op); break;
    case OP_SETRLIMIT: {
        struct rlimit rl = {.rlim_cur = arg_u64(op, 1), .rlim_max = arg_u64(op, 2)};
        if (setrlimit((int)arg_u64(op, 0), &rl) < 0) fail(errno, "setrlimit %d", (int)arg_u64(op, 0));
        break;
    }
    case OP_CHDIR: op_chdir(op); break;
    case OP_RESOLVE_EXEC: op_resolve_exec(op); break;
    case OP_HOME: op_home(op); break;
    case OP_READY:
        send_msg(MSG_READY, NULL, 0);
        close(st.sync_fd);
        st.sync_fd = -1;
        break;
    case OP_FIFO_WAIT: {
        /* Reopen the O_PATH fd for writing: blocks until `start` opens the fifo for reading. */
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", st.fifo_fd);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0) fail(errno, "open exec fifo for writing");
        if (write(fd, "0", 1) != 1) fail(errno, "write exec fifo");
        close(fd);
        close(st.fifo_fd);
        st.fifo_fd = -1;
        break;
    }
    case OP_SETGROUPS: {
        gid_t gids[256];
        if (op->argc > 256) fail(EINVAL, "setgroups: too many groups");
        for (uint32_t i = 0; i < op->argc; i++) gids[i] = (gid_t)arg_u64(op, i);
        if (syscall(SYS_setgroups, (size_t)op->argc, gids) < 0) fail(errno, "setgroups");
        break;
    }
    case OP_SETRESID: {
        /* Raw syscalls: glibc's wrappers would broadcast to threads we do not have. */
        uid_t uid = (uid_t)arg_u64(op, 0);
        gid_t gid = (gid_t)arg_u64(op, 1);
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) fail(errno, "prctl PR_SET_KEEPCAPS");
        if (syscall(SYS_setresgid, gid, gid, gid) < 0) fail(errno, "setresgid %u", gid);
        if (syscall(SYS_setresuid, uid, uid, uid) < 0) fail(errno, "setresuid %u", uid);
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) fail(errno, "prctl PR_SET_KEEPCAPS");
        break;
    }
    case OP_UMASK: umask((mode_t)arg_u64(op, 0)); break;
    case OP_PERSONALITY:
        if (personality((unsigned long)arg_u64(op, 0)) < 0) fail(errno, "personality %#lx", (unsigned long)arg_u64(op, 0));
        break;
    case OP_CAPS_BOUNDING: {
        uint64_t keep = arg_u64(op, 0), last = arg_u64(op, 1);
        for (uint64_t c = 0; c <= last && c < 64; c++)
            if (!(keep & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
                fail(errno, "drop bounding capability %lu", (unsigned long)c);
        break;
    }
    case OP_CAPS: op_caps(op); break;
    case OP_NO_NEW_PRIVS:
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail(errno, "prctl PR_SET_NO_NEW_PRIVS");
        break;
    case OP_SECCOMP: op_seccomp(op); break;
    case OP_SECCOMP_LISTENER: op_seccomp_listener(op); break;
    case OP_CLOSE_FDS:
        if (syscall(SYS_close_range, (unsigned)arg_u64(op, 0), ~0U, CLOSE_RANGE_CLOEXEC) < 0) fail(errno, "close_range");
        break;
    case OP_EXEC: op_exec(op); break;
    case OP_DUMPABLE:
        if (prctl(PR_SET_DUMPABLE, (unsigned long)arg_u64(op, 0), 0, 0, 0) < 0) fail(errno, "prctl PR_SET_DUMPABLE");
        break;
    case OP_SCHED_SETATTR: op_sched_setattr(op); break;
    case OP_IOPRIO_SET: op_ioprio_set(op); break;
    case OP_SCHED_SETAFFINITY: op_sched_setaffinity(op); break;
    case OP_SET_MEMPOLICY: op_set_mempolicy(op); break;
    default: fail(EPROTO, "protocol: unknown op %u", op->code);
    }
}

/* Re-executes this binary from a sealed memfd copy, once: what the container could reach as
 * /proc/<pid>/exe is then a read-only anonymous copy, never the runtime's file on the host
 * (CVE-2019-5736; runc does the same). Falls back to running in place if memfds are unavailable. */
static void run_from_sealed_copy(char **argv) {
    if (getenv("_JRUNTIME_SEALED")) return;
    int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    int mem = (int)syscall(SYS_memfd_create, "jruntime-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (exe < 0 || mem < 0) goto out;
    struct stat sb;
    if (fstat(exe, &sb) < 0) goto out;
    for (off_t done = 0; done < sb.st_size;) {
        ssize_t n = sendfile(mem, exe, NULL, (size_t)(sb.st_size - done));
        if (n <= 0) goto out;
        done += n;
    }
    if (fcntl(mem, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) goto out;
    char *envp[] = {"_JRUNTIME_SEALED=1", NULL};
    syscall(SYS_execveat, mem, "", argv, envp, AT_EMPTY_PATH);
out:
    if (exe >= 0) close(exe);
    if (mem >= 0) close(mem);
}

int main(int argc, char **argv) {
    /* Not dumpable until exec: the container cannot ptrace us or open /proc/<pid>/exe (CVE-2019-5736). */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    run_from_sealed_copy(argv);
    if (argc >= 2 && strcmp(argv[1], "hook") == 0) return hook_main(argc, argv);
    if (argc != 3) {
        dprintf(2, "usage: jruntime-init SYNC_FD KEEP_BELOW (started by jruntime, not by hand)\n");
        return 2;
    }
    st.sync_fd = atoi(argv[1]);
    int keep_below = atoi(argv[2]);
    if (st.sync_fd < 3 || keep_below <= st.sync_fd) return 2;
    /* Nothing the JVM left open reaches the container. */
    if (syscall(SYS_close_range, (unsigned)keep_below, ~0U, 0) < 0) fail(errno, "close_range");
    fcntl(st.sync_fd, F_SETFD, FD_CLOEXEC);

    uint32_t len;
    char *plan = recv_msg(MSG_PLAN, &len);
    size_t n;
    struct op *ops = parse_plan(plan, len, &n);
    for (size_t i = 0; i < n; i++) run_op(&ops[i]);
    fail(EPROTO, "protocol: the plan ended without OP_EXEC");
}
