/*
 * Process attributes of config.md's process object and linux.memoryPolicy: the scheduler,
 * the I/O priority, the CPU affinity of exec'd processes and the NUMA memory policy; and the
 * session keyring (runc's, no spec field). Each op
 * is one syscall with values Java computed (io.jruntime.linux.ProcessAttributes); C only
 * performs it and names what failed. Kept apart from main.c so op numbers 45-54 merge cleanly.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "protocol.h"
#include "stage.h"

/* struct sched_attr of sched_setattr(2), with the utilization clamps (SCHED_ATTR_SIZE_VER1). */
struct sched_attr_v1 {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
    uint32_t sched_util_min;
    uint32_t sched_util_max;
};

/* OP_SCHED_SETATTR: u64 policy, u64 flags, i64 nice, u64 priority, u64 runtime, u64 deadline, u64 period. */
void op_sched_setattr(const struct op *op) {
    struct sched_attr_v1 attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.sched_policy = (uint32_t)arg_u64(op, 0);
    attr.sched_flags = arg_u64(op, 1);
    attr.sched_nice = (int32_t)(int64_t)arg_u64(op, 2);
    attr.sched_priority = (uint32_t)arg_u64(op, 3);
    attr.sched_runtime = arg_u64(op, 4);
    attr.sched_deadline = arg_u64(op, 5);
    attr.sched_period = arg_u64(op, 6);
    if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0) {
        int err = errno;
        /* The two usual causes of EPERM for SCHED_FIFO/SCHED_RR, which the bare errno does not tell. */
        const char *hint = err == EPERM && (attr.sched_policy == 1 || attr.sched_policy == 2)
            ? " (real-time policies need CAP_SYS_NICE in the initial user namespace and, with RT group"
              " scheduling, a real-time budget for the cgroup: linux.resources.cpu.realtimeRuntime)"
            : "";
        fail(err, "process.scheduler: sched_setattr policy %u nice %d priority %u flags %#lx%s",
             attr.sched_policy, attr.sched_nice, attr.sched_priority, (unsigned long)attr.sched_flags, hint);
    }
}

/* OP_IOPRIO_SET: u64 ioprio (class << 13 | level), for this process (IOPRIO_WHO_PROCESS 1, pid 0). */
void op_ioprio_set(const struct op *op) {
    uint64_t prio = arg_u64(op, 0);
    if (syscall(SYS_ioprio_set, 1, 0, (int)prio) < 0)
        fail(errno, "process.ioPriority: ioprio_set class %lu priority %lu", (unsigned long)(prio >> 13),
             (unsigned long)(prio & 0x1fff));
}

/* OP_SCHED_SETAFFINITY: bytes cpu mask (u64 words, CPU n is bit n), str the list it came from (for errors). */
void op_sched_setaffinity(const struct op *op) {
    if (op->argc < 2 || op->args[0].len == 0 || op->args[0].len % 8 != 0) fail(EPROTO, "protocol: malformed cpu mask");
    const char *list = arg_str(op, 1);
    if (syscall(SYS_sched_setaffinity, 0, (size_t)op->args[0].len, op->args[0].data) < 0)
        fail(errno, "process.execCPUAffinity: sched_setaffinity %s", list ? list : "");
}

/* OP_SET_MEMPOLICY: u64 mode|flags, bytes node mask (u64 words; empty: none), str the node list (for errors). */
void op_set_mempolicy(const struct op *op) {
    if (op->argc < 3 || op->args[1].len % 8 != 0) fail(EPROTO, "protocol: malformed node mask");
    uint64_t mode = arg_u64(op, 0);
    const char *nodes = arg_str(op, 2);
    /* maxnode counts one more than the bits the kernel reads (set_mempolicy(2)'s historic off-by-one). */
    unsigned long maxnode = op->args[1].len ? (unsigned long)op->args[1].len * 8 + 1 : 0;
    if (syscall(SYS_set_mempolicy, (int)mode, op->args[1].len ? op->args[1].data : NULL, maxnode) < 0)
        fail(errno, "linux.memoryPolicy: set_mempolicy mode %#lx nodes \"%s\"", (unsigned long)mode, nodes ? nodes : "");
}

/* OP_SESSION_KEYRING: join (creating it if needed) the named session keyring instead of keeping the
 * caller's, whose keys would otherwise be the container's to use (runc's _ses.<id>). Kernels without
 * keyrings (ENOSYS) are let through, as runc. A non-zero perm is added to the keyring's permissions
 * (search for the exec'd processes that join it later); a keyring left with other permissions fails. */
void op_session_keyring(const struct op *op) {
    const char *name = arg_str(op, 0);
    uint32_t add = (uint32_t)arg_u64(op, 1);
    long id = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name);
    if (id < 0) {
        if (errno == ENOSYS) return;
        fail(errno, "unable to join session keyring");
    }
    if (!add) return;
    char desc[512]; /* type;uid;gid;perm;description */
    long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, id, desc, sizeof desc);
    if (n < 0 || n > (long)sizeof desc) fail(n < 0 ? errno : ENAMETOOLONG, "unable to mod keyring permissions: describe");
    desc[sizeof desc - 1] = '\0';
    char *perm = desc;
    for (int field = 0; field < 3 && perm; field++) {
        perm = strchr(perm, ';');
        if (perm) perm++;
    }
    if (!perm) fail(EPROTO, "unable to mod keyring permissions: describe gave \"%s\"", desc);
    uint32_t bits = (uint32_t)strtoul(perm, NULL, 16) | add;
    if (syscall(SYS_keyctl, KEYCTL_SETPERM, id, bits) < 0) fail(errno, "unable to mod keyring permissions");
}
