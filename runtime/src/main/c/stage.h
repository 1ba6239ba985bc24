/* Shared declarations of the native stage: the op being run, its arguments, failure. */
#ifndef JRUNTIME_STAGE_H
#define JRUNTIME_STAGE_H

#include <stddef.h>
#include <stdint.h>

struct arg {
    uint32_t len;
    const char *data;
};

struct op {
    uint32_t code;
    uint32_t argc;
    struct arg *args;
};

/* State that lives across ops. */
struct stage {
    int sync_fd;   /* the socket to Java; -1 once READY was sent           */
    int root_fd;   /* O_PATH fd of the container root (rootfs, then "/")    */
    int fifo_fd;   /* O_PATH fd of exec.fifo                                */
    char exec_path[4096]; /* the executable found by OP_RESOLVE_EXEC       */
    char home[4096];      /* HOME=... for OP_EXEC, set by OP_HOME          */
    int idmap_trees[64];  /* detached idmapped trees by slot (OP_IDMAP_TREE), 0 = empty; CLOEXEC */
};

extern struct stage st;

/* Report "<what>: errno" to Java (or stderr once the socket is gone) and exit. */
__attribute__((noreturn, format(printf, 2, 3))) void fail(int err, const char *fmt, ...);

uint64_t arg_u64(const struct op *op, uint32_t i);
const char *arg_str(const struct op *op, uint32_t i); /* NULL for an empty string */

/* hook.c: `jruntime-init hook ...`, a createContainer/startContainer hook in a container's namespaces. */
int hook_main(int argc, char **argv);

/* fs.c: one function per filesystem op. */
void op_rootfs(const struct op *op);
void op_mount(const struct op *op);
void copy_tree(int src, int dst, const char *path);
void op_mount_setattr(const struct op *op);
void op_idmap_tree(const struct op *op);
void op_idmap_attach(const struct op *op);
void op_mknod(const struct op *op);
void op_bind_device(const struct op *op);
void op_symlink(const struct op *op);
void op_mask(const struct op *op);
void op_readonly(const struct op *op);
void op_pivot_root(void);
void op_move_root(void);
void op_remount(const struct op *op);
void op_chdir(const struct op *op);
void op_write_proc(const struct op *op);
void op_apparmor_exec(const struct op *op);
void op_selinux_label(const struct op *op, const char *attr);
void op_selinux_file_label(const struct op *op);
void op_console(const struct op *op);
void op_resolve_exec(const struct op *op);
void op_home(const struct op *op);

/* proc.c: process attributes (scheduler, I/O priority, CPU affinity, memory policy). */
void op_sched_setattr(const struct op *op);
void op_ioprio_set(const struct op *op);
void op_sched_setaffinity(const struct op *op);
void op_set_mempolicy(const struct op *op);
void op_session_keyring(const struct op *op);

#endif
