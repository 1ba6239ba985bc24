/*
 * probe: the container process of the conformance suite.
 *
 * It reports, as ONE JSON document on stdout, what a process sees from inside a
 * container: ids, namespaces, mounts, capabilities, limits, devices, clocks ...
 * It is linked statically, so the test rootfs needs no libc.
 *
 * Always reported: see collect_*() below. Optional checks, requested by argv and
 * reported in order under "checks":
 *   --stat PATH        lstat: type, mode, owner, major/minor, symlink target
 *   --read PATH        open+read (a directory is listed): ok, errno, bytes, text
 *   --open PATH        open(O_RDONLY|O_NONBLOCK|O_NOCTTY) only: ok, errno
 *   --write PATH       open(O_WRONLY|O_CREAT|O_APPEND) (in a directory: create and
 *                      remove a file inside it): ok, errno
 *   --mkdir PATH       mkdir(PATH, 0755) then rmdir: ok, errno
 *   --symlink PATH     symlink("target", PATH) then unlink: ok, errno
 *   --sysctl NAME      reads /proc/sys/NAME (dots become slashes)
 * Behaviour switches:
 *   --marker PATH      appends "ran <pid>\n" to PATH first thing (proves the program ran)
 *   --signal-file PATH on any catchable signal, writes its number to PATH and exits 0
 *   --sleep SECS       after printing, sleeps (a signal with --signal-file ends it)
 *   --exit CODE        exit status
 *   --quiet            prints nothing (for hooks and helpers)
 * Host-side helper mode (never inside a container):
 *   --console-socket SOCKPATH OUTFILE
 *                      listens on a unix socket, receives one pty master by
 *                      SCM_RIGHTS (runc's --console-socket protocol), copies what
 *                      the pty shows to OUTFILE until EOF, then exits.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <dirent.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ---------- a tiny JSON emitter: a stack of "is this the first member" flags ---------- */

static int first[64];
static int depth;

static void sep(void)
{
    if (depth > 0) {
        if (!first[depth])
            putchar(',');
        first[depth] = 0;
    }
}

static void jraw_str(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        default:
            if (c < 0x20 || c >= 0x7f)
                printf("\\u%04x", c); /* bytes, not code points: lossless enough for a report */
            else
                putchar(c);
        }
    }
    putchar('"');
}

/* values: called after key() inside an object, or directly inside an array */
static int after_key;

static void open_(char c)
{
    if (!after_key)
        sep();
    after_key = 0;
    putchar(c);
    depth++;
    first[depth] = 1;
}

static void close_(char c)
{
    putchar(c);
    depth--;
}

static void obj(void) { open_('{'); }
static void endobj(void) { close_('}'); }
static void arr(void) { open_('['); }
static void endarr(void) { close_(']'); }

static void k(const char *name)
{
    sep();
    jraw_str(name, strlen(name));
    putchar(':');
    after_key = 1;
}

static void vstr(const char *s)
{
    if (!after_key)
        sep();
    after_key = 0;
    if (s)
        jraw_str(s, strlen(s));
    else
        fputs("null", stdout);
}

static void vstrn(const char *s, size_t n)
{
    if (!after_key)
        sep();
    after_key = 0;
    jraw_str(s, n);
}

static void vint(long long v)
{
    if (!after_key)
        sep();
    after_key = 0;
    printf("%lld", v);
}

static void vuint(unsigned long long v)
{
    if (!after_key)
        sep();
    after_key = 0;
    printf("%llu", v);
}

static void vbool(int b)
{
    if (!after_key)
        sep();
    after_key = 0;
    fputs(b ? "true" : "false", stdout);
}

static void vnull(void)
{
    if (!after_key)
        sep();
    after_key = 0;
    fputs("null", stdout);
}

static void kstr(const char *name, const char *v) { k(name); vstr(v); }
static void kint(const char *name, long long v) { k(name); vint(v); }
static void kbool(const char *name, int v) { k(name); vbool(v); }

/* ---------- helpers ---------- */

static const char *errname(int e)
{
    switch (e) {
    case 0: return "OK";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case EACCES: return "EACCES";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EXDEV: return "EXDEV";
    case ENODEV: return "ENODEV";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENOSPC: return "ENOSPC";
    case EROFS: return "EROFS";
    case ENOSYS: return "ENOSYS";
    case ELOOP: return "ELOOP";
    case ENOTSUP: return "ENOTSUP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTTY: return "ENOTTY";
    default: return "E?";
    }
}

static void kerr(int e)
{
    kint("errno", e);
    kstr("error", errname(e));
}

/* Reads a whole small file; returns malloc'ed NUL-terminated text or NULL (errno set). */
static char *slurp(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    char *buf = malloc(max + 1);
    size_t n = 0;
    while (n < max) {
        ssize_t r = read(fd, buf + n, max - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

static void kfile(const char *name, const char *path)
{
    k(name);
    char *s = slurp(path, 65536, NULL);
    if (s) {
        vstr(s);
        free(s);
    } else {
        vnull();
    }
}

/* ---------- collectors ---------- */

static void collect_ids(void)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    k("uid"); obj(); kint("real", r); kint("effective", e); kint("saved", s); endobj();
    k("gid"); obj(); kint("real", gr); kint("effective", ge); kint("saved", gs); endobj();
    gid_t groups[256];
    int n = getgroups(256, groups);
    k("groups"); arr();
    for (int i = 0; i < n; i++)
        vint(groups[i]);
    endarr();
    kfile("uid_map", "/proc/self/uid_map");
    kfile("gid_map", "/proc/self/gid_map");
    kfile("setgroups", "/proc/self/setgroups");
}

static void collect_ns(void)
{
    static const char *names[] = {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
                                  "time", "time_for_children", "user", "uts"};
    k("namespaces"); obj();
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char path[64], link[256];
        snprintf(path, sizeof path, "/proc/self/ns/%s", names[i]);
        ssize_t n = readlink(path, link, sizeof link - 1);
        k(names[i]);
        if (n < 0) {
            vnull();
        } else {
            link[n] = 0;
            vstr(link);
        }
    }
    endobj();
}

/* /proc/self/mountinfo: id parent major:minor root mountpoint options [optional...] - fstype source superopts */
static void collect_mounts(void)
{
    char *text = slurp("/proc/self/mountinfo", 1 << 20, NULL);
    k("mounts"); arr();
    if (text) {
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char *f[64];
            int nf = 0;
            char *s2 = NULL;
            for (char *w = strtok_r(line, " ", &s2); w && nf < 64; w = strtok_r(NULL, " ", &s2))
                f[nf++] = w;
            int dash = -1;
            for (int i = 6; i < nf; i++)
                if (strcmp(f[i], "-") == 0) {
                    dash = i;
                    break;
                }
            if (nf < 7 || dash < 0 || dash + 3 > nf)
                continue;
            obj();
            kint("id", atoi(f[0]));
            kint("parent", atoi(f[1]));
            kstr("dev", f[2]);
            kstr("root", f[3]);
            kstr("mountPoint", f[4]);
            kstr("options", f[5]);
            k("optional"); arr();
            for (int i = 6; i < dash; i++)
                vstr(f[i]);
            endarr();
            kstr("fsType", f[dash + 1]);
            kstr("source", f[dash + 2]);
            kstr("superOptions", dash + 3 < nf ? f[dash + 3] : "");
            endobj();
        }
        free(text);
    }
    endarr();
}

static void collect_status(void)
{
    static const char *fields[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
                                   "NoNewPrivs", "Seccomp", "Seccomp_filters"};
    char *text = slurp("/proc/self/status", 1 << 16, NULL);
    k("status"); obj();
    if (text) {
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char *colon = strchr(line, ':');
            if (!colon)
                continue;
            *colon = 0;
            for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
                if (strcmp(line, fields[i]) == 0) {
                    char *v = colon + 1;
                    while (*v == ' ' || *v == '\t')
                        v++;
                    kstr(fields[i], v);
                }
        }
        free(text);
    }
    endobj();
}

static void collect_rlimits(void)
{
    static const struct { int res; const char *name; } lim[] = {
        {RLIMIT_CPU, "RLIMIT_CPU"}, {RLIMIT_FSIZE, "RLIMIT_FSIZE"}, {RLIMIT_DATA, "RLIMIT_DATA"},
        {RLIMIT_STACK, "RLIMIT_STACK"}, {RLIMIT_CORE, "RLIMIT_CORE"}, {RLIMIT_RSS, "RLIMIT_RSS"},
        {RLIMIT_NPROC, "RLIMIT_NPROC"}, {RLIMIT_NOFILE, "RLIMIT_NOFILE"},
        {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"}, {RLIMIT_AS, "RLIMIT_AS"}, {RLIMIT_LOCKS, "RLIMIT_LOCKS"},
        {RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"}, {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"},
        {RLIMIT_NICE, "RLIMIT_NICE"}, {RLIMIT_RTPRIO, "RLIMIT_RTPRIO"}, {RLIMIT_RTTIME, "RLIMIT_RTTIME"},
    };
    k("rlimits"); obj();
    for (size_t i = 0; i < sizeof lim / sizeof *lim; i++) {
        struct rlimit rl;
        k(lim[i].name); obj();
        if (getrlimit(lim[i].res, &rl) == 0) {
            k("soft"); vuint(rl.rlim_cur);
            k("hard"); vuint(rl.rlim_max);
        } else {
            kerr(errno);
        }
        endobj();
    }
    endobj();
}

static void collect_uts(void)
{
    struct utsname u;
    if (uname(&u) == 0) {
        kstr("hostname", u.nodename);
        kstr("domainname", u.domainname);
        kstr("machine", u.machine);
        kstr("release", u.release);
    }
    kint("personality", personality(0xffffffff));
}

static void collect_process(int argc, char **argv)
{
    kint("pid", getpid());
    kint("ppid", getppid());
    k("args"); arr();
    for (int i = 0; i < argc; i++)
        vstr(argv[i]);
    endarr();
    k("env"); arr();
    for (char **e = environ; *e; e++)
        vstr(*e);
    endarr();
    char cwd[PATH_MAX];
    kstr("cwd", getcwd(cwd, sizeof cwd) ? cwd : NULL);
    mode_t m = umask(0);
    umask(m);
    kint("umask", m);
    char *oom = slurp("/proc/self/oom_score_adj", 64, NULL);
    k("oomScoreAdj");
    if (oom)
        vint(atoll(oom));
    else
        vnull();
    free(oom);
    kfile("cgroup", "/proc/self/cgroup");
    k("tty"); obj();
    for (int fd = 0; fd <= 2; fd++) {
        char name[8];
        snprintf(name, sizeof name, "%d", fd);
        kbool(name, isatty(fd));
    }
    endobj();
    /* The terminal's window size (TIOCGWINSZ on stdout), for process.consoleSize; null without a tty. */
    struct winsize ws;
    k("winsize");
    if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0) {
        obj();
        kint("rows", ws.ws_row);
        kint("cols", ws.ws_col);
        endobj();
    } else {
        vnull();
    }
}

/* Scheduler (sched_getattr), I/O priority, CPU affinity, NUMA memory policy, network interfaces. */
static void collect_sched(void)
{
    struct {
        unsigned int size, policy;
        unsigned long long flags;
        int nice;
        unsigned int priority;
        unsigned long long runtime, deadline, period;
        unsigned int util_min, util_max;
    } attr;
    memset(&attr, 0, sizeof attr);
    k("scheduler"); obj();
    if (syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0) == 0) {
        kint("policy", attr.policy);
        kint("flags", (long long)attr.flags);
        kint("nice", attr.nice);
        kint("priority", attr.priority);
        kint("runtime", (long long)attr.runtime);
        kint("deadline", (long long)attr.deadline);
        kint("period", (long long)attr.period);
    } else {
        kerr(errno);
    }
    endobj();
    /* ioprio_get(IOPRIO_WHO_PROCESS, 0): class << 13 | level */
    long io = syscall(SYS_ioprio_get, 1, 0);
    k("ioPriority"); obj();
    if (io >= 0) {
        kint("class", io >> 13);
        kint("priority", io & 0x1fff);
    } else {
        kerr(errno);
    }
    endobj();
    unsigned long long cpus[16];
    memset(cpus, 0, sizeof cpus);
    k("cpuAffinity"); arr();
    if (syscall(SYS_sched_getaffinity, 0, sizeof cpus, cpus) > 0)
        for (int c = 0; c < 16 * 64; c++)
            if (cpus[c / 64] & (1ULL << (c % 64)))
                vint(c);
    endarr();
    int mode = -1;
    unsigned long long nodes[16];
    memset(nodes, 0, sizeof nodes);
    k("memoryPolicy"); obj();
    if (syscall(SYS_get_mempolicy, &mode, nodes, 16 * 64, NULL, 0UL) == 0) {
        /* mode carries the mode flags (MPOL_F_STATIC_NODES 1<<15, MPOL_F_RELATIVE_NODES 1<<14, MPOL_F_NUMA_BALANCING 1<<13) */
        kint("mode", mode & 0xff);
        kint("flags", mode & ~0xff);
        k("nodes"); arr();
        for (int n = 0; n < 16 * 64; n++)
            if (nodes[n / 64] & (1ULL << (n % 64)))
                vint(n);
        endarr();
    } else {
        kerr(errno);
    }
    endobj();
    /* Interfaces of this network namespace (getifaddrs: netlink): name, up, and addresses "addr/prefix scope". */
    k("netInterfaces"); arr();
    struct ifaddrs *ifs = NULL;
    if (getifaddrs(&ifs) == 0) {
        for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
            if (!i->ifa_addr || i->ifa_addr->sa_family != AF_PACKET)
                continue;
            obj();
            kstr("name", i->ifa_name);
            kbool("up", (i->ifa_flags & IFF_UP) != 0);
            k("addresses"); arr();
            for (struct ifaddrs *a = ifs; a; a = a->ifa_next) {
                if (!a->ifa_addr || strcmp(a->ifa_name, i->ifa_name) != 0)
                    continue;
                int fam = a->ifa_addr->sa_family;
                if (fam != AF_INET && fam != AF_INET6)
                    continue;
                char addr[INET6_ADDRSTRLEN] = "", text[INET6_ADDRSTRLEN + 8];
                const void *src = fam == AF_INET ? (const void *)&((struct sockaddr_in *)a->ifa_addr)->sin_addr
                                                 : (const void *)&((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;
                inet_ntop(fam, src, addr, sizeof addr);
                int prefix = 0;
                if (a->ifa_netmask) {
                    const unsigned char *m = fam == AF_INET
                        ? (const unsigned char *)&((struct sockaddr_in *)a->ifa_netmask)->sin_addr
                        : (const unsigned char *)&((struct sockaddr_in6 *)a->ifa_netmask)->sin6_addr;
                    for (int b = 0; b < (fam == AF_INET ? 4 : 16); b++)
                        prefix += __builtin_popcount(m[b]);
                }
                snprintf(text, sizeof text, "%s/%d", addr, prefix);
                vstr(text);
            }
            endarr();
            endobj();
        }
        freeifaddrs(ifs);
    }
    endarr();
}

static void collect_fds(void)
{
    k("fds"); obj();
    DIR *d = opendir("/proc/self/fd");
    if (d) {
        int self = dirfd(d);
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            if (atoi(de->d_name) == self)
                continue;
            char path[300], link[512];
            snprintf(path, sizeof path, "/proc/self/fd/%s", de->d_name);
            ssize_t n = readlink(path, link, sizeof link - 1);
            link[n < 0 ? 0 : n] = 0;
            kstr(de->d_name, link);
        }
        closedir(d);
    }
    endobj();
}

static void stat_value(const char *path)
{
    struct stat st;
    obj();
    kstr("path", path);
    if (lstat(path, &st) != 0) {
        kbool("exists", 0);
        kerr(errno);
        endobj();
        return;
    }
    kbool("exists", 1);
    const char *t = "?";
    switch (st.st_mode & S_IFMT) {
    case S_IFCHR: t = "c"; break;
    case S_IFBLK: t = "b"; break;
    case S_IFDIR: t = "d"; break;
    case S_IFREG: t = "f"; break;
    case S_IFLNK: t = "l"; break;
    case S_IFIFO: t = "p"; break;
    case S_IFSOCK: t = "s"; break;
    }
    kstr("type", t);
    kint("mode", st.st_mode & 07777);
    kint("uid", st.st_uid);
    kint("gid", st.st_gid);
    kint("size", st.st_size);
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        kint("major", major(st.st_rdev));
        kint("minor", minor(st.st_rdev));
    }
    if (S_ISLNK(st.st_mode)) {
        char link[PATH_MAX];
        ssize_t n = readlink(path, link, sizeof link - 1);
        link[n < 0 ? 0 : n] = 0;
        kstr("link", link);
    }
    endobj();
}

static void collect_devices(void)
{
    static const char *paths[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random",
                                  "/dev/urandom", "/dev/tty", "/dev/console", "/dev/ptmx",
                                  "/dev/pts/ptmx", "/dev/fd", "/dev/stdin", "/dev/stdout",
                                  "/dev/stderr", "/dev/shm", "/dev/pts", "/dev/mqueue"};
    k("devices"); obj();
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        k(paths[i]);
        stat_value(paths[i]);
    }
    endobj();
}

static void collect_labels(void)
{
    static const char *files[] = {"/proc/self/attr/current", "/proc/self/attr/apparmor/current",
                                  "/proc/self/attr/exec"};
    k("labels"); obj();
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        k(files[i]);
        obj();
        size_t n;
        char *s = slurp(files[i], 4096, &n);
        if (s) {
            while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == 0))
                n--;
            k("value"); vstrn(s, n);
            free(s);
        } else {
            kerr(errno);
        }
        endobj();
    }
    endobj();
}

static void collect_clocks(void)
{
    static const struct { clockid_t id; const char *name; } clocks[] = {
        {CLOCK_MONOTONIC, "monotonic"}, {CLOCK_BOOTTIME, "boottime"}, {CLOCK_REALTIME, "realtime"}};
    k("clocks"); obj();
    for (size_t i = 0; i < sizeof clocks / sizeof *clocks; i++) {
        struct timespec ts;
        clock_gettime(clocks[i].id, &ts);
        k(clocks[i].name); obj();
        kint("secs", ts.tv_sec);
        kint("nanosecs", ts.tv_nsec);
        endobj();
    }
    endobj();
}

/* ---------- optional checks ---------- */

static void check_read(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) {
            kbool("ok", 0);
            kerr(errno);
            return;
        }
        kbool("ok", 1);
        kbool("directory", 1);
        k("entries"); arr();
        struct dirent *de;
        while ((de = readdir(d)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                vstr(de->d_name);
        endarr();
        closedir(d);
        return;
    }
    size_t n;
    errno = 0;
    char *s = slurp(path, 4096, &n);
    if (!s) {
        kbool("ok", 0);
        kerr(errno);
        return;
    }
    kbool("ok", 1);
    kint("bytes", n);
    k("text"); vstrn(s, n);
    free(s);
}

static void check_write(const char *path)
{
    struct stat st;
    int fd;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        char file[PATH_MAX];
        snprintf(file, sizeof file, "%s/.probe-write-%d", path, getpid());
        fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0)
            unlink(file);
    } else {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0644);
    }
    if (fd < 0) {
        kbool("ok", 0);
        kerr(errno);
        return;
    }
    close(fd);
    kbool("ok", 1);
}

static void check_result(int rc)
{
    kbool("ok", rc == 0);
    kerr(rc == 0 ? 0 : errno);
}

static void run_checks(int argc, char **argv)
{
    k("checks"); arr();
    for (int i = 1; i < argc; i++) {
        const char *op = argv[i];
        const char *arg = i + 1 < argc ? argv[i + 1] : NULL;
        if (!arg)
            break;
        if (!strcmp(op, "--stat")) {
            obj(); kstr("check", op); kstr("path", arg); k("stat"); stat_value(arg); endobj();
        } else if (!strcmp(op, "--read")) {
            obj(); kstr("check", op); kstr("path", arg); check_read(arg); endobj();
        } else if (!strcmp(op, "--open")) {
            obj(); kstr("check", op); kstr("path", arg);
            int fd = open(arg, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
            check_result(fd < 0 ? -1 : 0);
            if (fd >= 0)
                close(fd);
            endobj();
        } else if (!strcmp(op, "--write")) {
            obj(); kstr("check", op); kstr("path", arg); check_write(arg); endobj();
        } else if (!strcmp(op, "--mkdir")) {
            obj(); kstr("check", op); kstr("path", arg);
            int rc = mkdir(arg, 0755);
            check_result(rc);
            if (rc == 0)
                rmdir(arg);
            endobj();
        } else if (!strcmp(op, "--symlink")) {
            obj(); kstr("check", op); kstr("path", arg);
            int rc = symlink("target", arg);
            check_result(rc);
            if (rc == 0)
                unlink(arg);
            endobj();
        } else if (!strcmp(op, "--sysctl")) {
            char path[PATH_MAX] = "/proc/sys/";
            size_t l = strlen(path);
            for (const char *c = arg; *c && l < sizeof path - 1; c++)
                path[l++] = *c == '.' ? '/' : *c;
            path[l] = 0;
            obj(); kstr("check", op); kstr("name", arg);
            size_t n;
            char *s = slurp(path, 4096, &n);
            if (s) {
                while (n > 0 && s[n - 1] == '\n')
                    n--;
                kbool("ok", 1);
                k("value"); vstrn(s, n);
                free(s);
            } else {
                kbool("ok", 0);
                kerr(errno);
            }
            endobj();
        } else {
            continue;
        }
        i++;
    }
    endarr();
}

/* ---------- behaviour switches ---------- */

static const char *signal_file;

static void on_signal(int sig)
{
    if (signal_file) {
        int fd = open(signal_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0) {
            char buf[16];
            int n = snprintf(buf, sizeof buf, "%d\n", sig);
            if (write(fd, buf, n) < 0) {
                /* nothing to report to */
            }
            close(fd);
        }
    }
    _exit(0);
}

static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return NULL;
}

static int has(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], name))
            return 1;
    return 0;
}

/* runc's console socket protocol: the runtime connects and sends the pty master with SCM_RIGHTS. */
static int console_socket(const char *sockpath, const char *outfile)
{
    int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sockpath);
    unlink(sockpath);
    if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(ls, 1) < 0) {
        perror("probe: console socket");
        return 1;
    }
    /* tell the caller we are listening */
    printf("listening\n");
    fflush(stdout);
    int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0) {
        perror("probe: accept");
        return 1;
    }
    char data[4096];
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                         .msg_controllen = sizeof control};
    if (recvmsg(c, &msg, 0) < 0) {
        perror("probe: recvmsg");
        return 1;
    }
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    if (!cm || cm->cmsg_type != SCM_RIGHTS) {
        fprintf(stderr, "probe: no file descriptor received\n");
        return 1;
    }
    int master;
    memcpy(&master, CMSG_DATA(cm), sizeof master);
    close(c);
    close(ls);
    unlink(sockpath);
    int out = open(outfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        perror("probe: output");
        return 1;
    }
    char buf[8192];
    for (;;) {
        ssize_t n = read(master, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) /* EIO once the last slave fd is closed */
            break;
        if (write(out, buf, n) != n)
            break;
    }
    close(out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "--console-socket"))
        return console_socket(argv[2], argv[3]);

    const char *marker = opt(argc, argv, "--marker");
    if (marker) {
        int fd = open(marker, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            char buf[32];
            int n = snprintf(buf, sizeof buf, "ran %d\n", getpid());
            if (write(fd, buf, n) < 0) {
                /* reported by its absence */
            }
            close(fd);
        }
    }
    signal_file = opt(argc, argv, "--signal-file");
    if (signal_file) {
        struct sigaction sa = {.sa_handler = on_signal};
        sigemptyset(&sa.sa_mask);
        for (int s = 1; s < NSIG; s++)
            if (s != SIGKILL && s != SIGSTOP && s != SIGCHLD)
                sigaction(s, &sa, NULL);
    }

    if (!has(argc, argv, "--quiet")) {
        /* collect before printing the first byte, so a slow reader sees one complete document */
        static char out[1 << 22];
        setvbuf(stdout, out, _IOFBF, sizeof out);
        depth = 0;
        after_key = 1;
        obj();
        kstr("probe", "jruntime-conformance-probe/1");
        collect_process(argc, argv);
        collect_ids();
        collect_ns();
        collect_status();
        collect_rlimits();
        collect_uts();
        collect_fds();
        collect_sched();
        collect_devices();
        collect_labels();
        collect_clocks();
        collect_mounts();
        run_checks(argc, argv);
        endobj();
        putchar('\n');
        fflush(stdout);
    }

    const char *sleep_s = opt(argc, argv, "--sleep");
    if (sleep_s) {
        struct timespec ts = {.tv_sec = atol(sleep_s)};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
            ;
    }
    const char *code = opt(argc, argv, "--exit");
    return code ? atoi(code) : 0;
}
