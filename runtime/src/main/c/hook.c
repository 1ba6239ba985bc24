/* Hook mode: runs one createContainer or startContainer hook in a container's namespaces.
 *
 *   jruntime-init hook PID runtime|container PATH ARGV0 [ARGS...]
 *
 * Java (HookRunner) starts this like any hook: the container state on stdin, the hook's env as the
 * environment, its timeout. We join every namespace of PID that differs from ours, then fork (pid
 * and time namespaces apply to children) and exec PATH. config.md: a createContainer hook's path
 * resolves in the runtime namespace ("runtime": opened before joining, exec'd by fd), a
 * startContainer hook's path in the container namespace ("container": exec'd after joining).
 * The exit status is the hook's, or 128+signal. Errors go to stderr, which Java reports. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stage.h"

extern char **environ;

static const struct { const char *name; int type; } NAMESPACES[] = {
    {"user", CLONE_NEWUSER}, {"mnt", CLONE_NEWNS}, {"pid", CLONE_NEWPID}, {"net", CLONE_NEWNET},
    {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};
#define NS_COUNT (sizeof NAMESPACES / sizeof NAMESPACES[0])

__attribute__((noreturn)) static void die(const char *what, const char *on) {
    dprintf(2, "jruntime hook: %s %s: %s\n", what, on, strerror(errno));
    _exit(1);
}

/* Opens /proc/PID/ns/NAME when it is not our own namespace; -1 when it is (or the kernel lacks it). */
static int open_ns(const char *pid, const char *name) {
    char theirs[64], ours[64];
    struct stat a, b;
    snprintf(theirs, sizeof theirs, "/proc/%s/ns/%s", pid, name);
    snprintf(ours, sizeof ours, "/proc/self/ns/%s", name);
    if (stat(theirs, &a) < 0) {
        if (errno == ENOENT) return -1;
        die("stat", theirs);
    }
    if (stat(ours, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) return -1;
    int fd = open(theirs, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("open", theirs);
    return fd;
}

int hook_main(int argc, char **argv) {
    if (argc < 6) {
        dprintf(2, "usage: jruntime-init hook PID runtime|container PATH ARGV0 [ARGS...]\n");
        return 2;
    }
    const char *pid = argv[2], *where = argv[3], *path = argv[4];
    int exe = -1;
    if (strcmp(where, "runtime") == 0) {
        /* Not O_CLOEXEC: a script exec'd by fd is read by its interpreter through /dev/fd/N. */
        exe = open(path, O_PATH);
        if (exe < 0) die("open hook", path);
    } else if (strcmp(where, "container") != 0) {
        dprintf(2, "jruntime hook: unknown path namespace %s\n", where);
        return 2;
    }
    int fds[NS_COUNT];
    for (size_t i = 0; i < NS_COUNT; i++) fds[i] = open_ns(pid, NAMESPACES[i].name);
    /* As op_join_namespaces: the user namespace owns the others, so join it first; a namespace the
     * host user namespace owns is joined before, which an EPERM tells us, then retried. */
    int deferred[NS_COUNT] = {0};
    for (size_t i = 1; i < NS_COUNT; i++)
        if (fds[i] >= 0 && setns(fds[i], NAMESPACES[i].type) < 0) {
            if (errno != EPERM) die("setns", NAMESPACES[i].name);
            deferred[i] = 1;
        }
    if (fds[0] >= 0 && setns(fds[0], CLONE_NEWUSER) < 0) die("setns", "user");
    for (size_t i = 1; i < NS_COUNT; i++)
        if (deferred[i] && setns(fds[i], NAMESPACES[i].type) < 0) die("setns", NAMESPACES[i].name);
    for (size_t i = 0; i < NS_COUNT; i++)
        if (fds[i] >= 0) close(fds[i]);

    pid_t child = fork();
    if (child < 0) die("fork", "hook");
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0); /* a timed-out hook dies with us */
        if (exe >= 0) syscall(SYS_execveat, exe, "", &argv[5], environ, AT_EMPTY_PATH);
        else execve(path, &argv[5], environ);
        die("exec hook", path);
    }
    int status;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) die("wait for hook", path);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}
