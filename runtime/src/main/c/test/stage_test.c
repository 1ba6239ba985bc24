/*
 * The native stage on its own: runs jruntime-init with hand-encoded plans and checks the
 * messages it answers. Needs no privileges (no namespaces). Built and run by `make` (and so by
 * the Maven build); silent on success, exits 1 naming the failed case.
 *
 *   stage_test PATH-TO-jruntime-init
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../protocol.h"

static const char *stage;
static int failures;

struct buf { char data[8192]; uint32_t len; };

static void put(struct buf *b, const void *p, uint32_t n) { memcpy(b->data + b->len, p, n); b->len += n; }
static void op(struct buf *b, uint32_t code, uint32_t argc) { put(b, &code, 4); put(b, &argc, 4); }
static void str(struct buf *b, const char *s) { uint32_t n = (uint32_t)strlen(s) + 1; put(b, &n, 4); put(b, s, n); }
static void u64(struct buf *b, uint64_t v) { uint32_t n = 8; put(b, &n, 4); put(b, &v, 8); }

struct reply { uint32_t type; int32_t value; char text[4096]; };

static int read_full(int fd, void *p, size_t n) {
    char *c = p;
    while (n) { ssize_t r = read(fd, c, n); if (r <= 0) return -1; c += r; n -= (size_t)r; }
    return 0;
}

/* One message from the stage; type 0 at end of file. */
static struct reply receive(int fd) {
    struct reply r = {0};
    uint32_t hdr[2];
    if (read_full(fd, hdr, 8) < 0) return r;
    char payload[8192] = {0};
    if (hdr[1] && read_full(fd, payload, hdr[1]) < 0) return r;
    r.type = hdr[0];
    if (hdr[1] >= 4) memcpy(&r.value, payload, 4);
    if (hdr[1] > 4) memcpy(r.text, payload + 4, hdr[1] - 4);
    return r;
}

static void send_msg(int fd, uint32_t type, const struct buf *b) {
    uint32_t hdr[2] = {type, b ? b->len : 0};
    if (write(fd, hdr, 8) != 8 || (b && b->len && write(fd, b->data, b->len) != (ssize_t)b->len)) perror("write");
}

/* Starts the stage with its sync socket at fd 3, sends the plan; returns our end. */
static int start(const struct buf *plan, pid_t *pid) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) { perror("socketpair"); exit(1); }
    *pid = fork();
    if (*pid == 0) {
        dup2(sv[1], 3);
        execl(stage, stage, "3", "4", (char *)NULL);
        _exit(127);
    }
    close(sv[1]);
    send_msg(sv[0], MSG_PLAN, plan);
    return sv[0];
}

static int finish(int fd, pid_t pid) {
    int status = 0;
    close(fd);
    waitpid(pid, &status, 0);
    return status;
}

#define CHECK(name, cond) do { if (!(cond)) { fprintf(stderr, "stage_test: %s: FAILED (%s)\n", name, #cond); failures++; } } while (0)

static void expect_error(const char *name, const struct buf *plan, int err, const char *text) {
    pid_t pid;
    int fd = start(plan, &pid);
    struct reply r = receive(fd);
    int status = finish(fd, pid);
    CHECK(name, r.type == MSG_ERROR);
    CHECK(name, r.value == err);
    if (strcmp(r.text, text) != 0) { fprintf(stderr, "stage_test: %s: got \"%s\"\n", name, r.text); failures++; }
    CHECK(name, WIFEXITED(status) && WEXITSTATUS(status) == 1);
}

static void bytes(struct buf *b, const void *p, uint32_t n) { put(b, &n, 4); put(b, p, n); }

/* Ops 45-48 (proc.c): values the kernel refuses come back naming the config field. */
static void process_attribute_ops(void) {
    struct buf b;
    uint64_t zero[16] = {0};

    b = (struct buf){0};
    op(&b, OP_SCHED_SETATTR, 7); u64(&b, 99); u64(&b, 0); u64(&b, 0); u64(&b, 0); u64(&b, 0); u64(&b, 0); u64(&b, 0);
    expect_error("sched_setattr", &b, EINVAL, "process.scheduler: sched_setattr policy 99 nice 0 priority 0 flags 0");

    b = (struct buf){0};
    op(&b, OP_IOPRIO_SET, 1); u64(&b, 7ULL << 13);
    expect_error("ioprio_set", &b, EINVAL, "process.ioPriority: ioprio_set class 7 priority 0");

    b = (struct buf){0};
    op(&b, OP_SCHED_SETAFFINITY, 2); bytes(&b, zero, sizeof zero); str(&b, "");
    expect_error("sched_setaffinity", &b, EINVAL, "process.execCPUAffinity: sched_setaffinity ");

    b = (struct buf){0};
    op(&b, OP_SCHED_SETAFFINITY, 2); bytes(&b, zero, 3); str(&b, "0");
    expect_error("affinity mask", &b, EPROTO, "protocol: malformed cpu mask");

    b = (struct buf){0};
    op(&b, OP_SET_MEMPOLICY, 3); u64(&b, 99); bytes(&b, zero, 0); str(&b, "");
    expect_error("set_mempolicy", &b, EINVAL, "linux.memoryPolicy: set_mempolicy mode 0x63 nodes \"\"");
}

/* Ops 50-52: the kernel's refusal comes back naming the label and the attr file. Where no LSM takes the
 * write (this machine: neither AppArmor nor SELinux), attr/exec refuses it; without the per-LSM
 * attr/apparmor directory the AppArmor op falls back to attr/exec, which is what this checks. */
static void lsm_ops(void) {
    if (access("/proc/self/attr/apparmor", F_OK) == 0 || access("/sys/fs/selinux/enforce", F_OK) == 0) {
        fprintf(stderr, "stage_test: an LSM is enabled here: LSM op cases skipped\n");
        return;
    }
    struct buf b = (struct buf){0};
    op(&b, OP_APPARMOR_EXEC, 1); str(&b, "jrt-profile");
    pid_t pid;
    int fd = start(&b, &pid);
    struct reply r = receive(fd);
    finish(fd, pid);
    CHECK("apparmor exec", r.type == MSG_ERROR && r.value != 0);
    if (strcmp(r.text, "unable to apply apparmor profile \"jrt-profile\": write /proc/self/attr/exec") != 0) {
        fprintf(stderr, "stage_test: apparmor exec: got \"%s\"\n", r.text);
        failures++;
    }

    b = (struct buf){0};
    op(&b, OP_SELINUX_EXEC_LABEL, 1); str(&b, "system_u:system_r:container_t:s0");
    fd = start(&b, &pid);
    r = receive(fd);
    finish(fd, pid);
    CHECK("selinux exec label", r.type == MSG_ERROR && r.value != 0);
    if (strcmp(r.text, "set selinux label \"system_u:system_r:container_t:s0\": write /proc/self/attr/exec") != 0) {
        fprintf(stderr, "stage_test: selinux exec label: got \"%s\"\n", r.text);
        failures++;
    }

    b = (struct buf){0};
    op(&b, OP_SELINUX_KEY_LABEL, 1); str(&b, "system_u:object_r:container_t:s0");
    fd = start(&b, &pid);
    r = receive(fd);
    finish(fd, pid);
    CHECK("selinux key label", r.type == MSG_ERROR && r.value != 0);
    if (strcmp(r.text, "set selinux label \"system_u:object_r:container_t:s0\": write /proc/self/attr/keycreate") != 0) {
        fprintf(stderr, "stage_test: selinux key label: got \"%s\"\n", r.text);
        failures++;
    }
}

/* Ops 55-56 (fs.c): slots Java got wrong are protocol errors, never a stray fd used as a tree. */
static void idmap_ops(void) {
    struct buf b = {0};
    op(&b, OP_IDMAP_ATTACH, 6); u64(&b, 3); str(&b, "/d"); u64(&b, CREATE_DIR); u64(&b, 0); u64(&b, 0); str(&b, "mounts[0]");
    expect_error("idmap attach of an empty slot", &b, EPROTO, "protocol: idmapped mount slot 3 is empty");

    b = (struct buf){0};
    op(&b, OP_IDMAP_TREE, 7); u64(&b, 64); str(&b, "/"); str(&b, "0 0 1\n"); str(&b, "0 0 1\n"); u64(&b, 0); u64(&b, 0);
    str(&b, "mounts[0]");
    expect_error("idmap tree slot out of range", &b, EPROTO, "protocol: idmapped mount slot 64 is taken or out of range");
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    stage = argv[1];
    struct buf b;

    b = (struct buf){0};
    op(&b, OP_RESOLVE_EXEC, 2); str(&b, "nosuchprog"); str(&b, "/nonexistent:/bin");
    expect_error("missing executable", &b, 0, "exec: \"nosuchprog\": executable file not found in $PATH");

    b = (struct buf){0};
    op(&b, OP_RESOLVE_EXEC, 2); str(&b, "/proc/version"); str(&b, "");
    expect_error("not executable", &b, 0, "exec: \"/proc/version\": permission denied");

    b = (struct buf){0};
    op(&b, OP_RESOLVE_EXEC, 2); str(&b, "/nonexistent"); str(&b, "");
    expect_error("absent path", &b, ENOENT, "exec: \"/nonexistent\": stat /nonexistent");

    b = (struct buf){0};
    op(&b, OP_WRITE_PROC, 2); str(&b, "nonexistent"); str(&b, "1");
    expect_error("proc write", &b, ENOENT, "open /proc/nonexistent");

    lsm_ops();

    b = (struct buf){0};
    op(&b, 99, 0);
    expect_error("unknown op", &b, EPROTO, "protocol: unknown op 99");

    b = (struct buf){0};
    op(&b, OP_SETSID, 0);
    expect_error("no exec", &b, EPROTO, "protocol: the plan ended without OP_EXEC");

    b = (struct buf){0};
    op(&b, OP_UNSHARE, 1); str(&b, "not an int");
    expect_error("bad argument", &b, EPROTO, "protocol: op 2 argument 0 is not an integer");

    b = (struct buf){0};
    op(&b, OP_SETSID, 3); u64(&b, 1);
    expect_error("truncated", &b, EPROTO, "protocol: truncated argument");

    /* clone, continue, ready, exec: the whole happy path without namespaces */
    b = (struct buf){0};
    op(&b, OP_CLONE, 1); u64(&b, 0);
    op(&b, OP_WAIT_CONTINUE, 0);
    op(&b, OP_SYNC, 1); u64(&b, SYNC_CREATE_CONTAINER);
    op(&b, OP_RESOLVE_EXEC, 2); str(&b, "true"); str(&b, "/usr/bin:/bin");
    op(&b, OP_READY, 0);
    op(&b, OP_CLOSE_FDS, 1); u64(&b, 3);
    op(&b, OP_EXEC, 2); u64(&b, 1); str(&b, "true");
    pid_t pid;
    int fd = start(&b, &pid);
    struct reply r = receive(fd);
    CHECK("clone", r.type == MSG_PID && r.value > 0);
    int status;
    waitpid(pid, &status, 0);
    CHECK("stage exits after clone", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    send_msg(fd, MSG_CONTINUE, NULL);
    r = receive(fd);
    CHECK("sync", r.type == MSG_SYNC && r.value == SYNC_CREATE_CONTAINER);
    send_msg(fd, MSG_CONTINUE, NULL);
    r = receive(fd);
    CHECK("ready", r.type == MSG_READY);
    r = receive(fd);
    CHECK("socket closed after ready", r.type == 0);
    close(fd);

    /* a filter with a listener: its fd number comes to Java, the init waits for Java's copy */
    b = (struct buf){0};
    op(&b, OP_NO_NEW_PRIVS, 0);
    op(&b, OP_SECCOMP_LISTENER, 2);
    uint32_t prog_len = 8;
    uint16_t ret_k = 0x06;            /* BPF_RET | BPF_K */
    uint32_t allow = 0x7fff0000;      /* SECCOMP_RET_ALLOW */
    put(&b, &prog_len, 4); put(&b, &ret_k, 2); put(&b, "\0\0", 2); put(&b, &allow, 4);
    u64(&b, 1 << 3);                  /* SECCOMP_FILTER_FLAG_NEW_LISTENER */
    op(&b, OP_SETSID, 0);
    fd = start(&b, &pid);
    r = receive(fd);
    CHECK("seccomp listener fd", r.type == MSG_SECCOMP_FD && r.value > 3);
    send_msg(fd, MSG_CONTINUE, NULL);
    r = receive(fd);
    CHECK("goes on after continue", r.type == MSG_ERROR && strcmp(r.text, "protocol: the plan ended without OP_EXEC") == 0);
    finish(fd, pid);

    process_attribute_ops();
    idmap_ops();

    if (failures) {
        fprintf(stderr, "stage_test: %d failed\n", failures);
        return 1;
    }
    return 0;
}
