package io.jruntime.sys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Syscalls} for unit tests: records every call as a line ("kill 42 9"), answers file reads and
 * stats from maps the test fills, and fails with ENOENT for what it was not told about. Calls that need
 * a real kernel (spawn, sockets) throw ENOSYS.
 */
public class RecordingSyscalls implements Syscalls {
    public final List<String> calls = new ArrayList<>();
    public final Map<String, byte[]> files = new HashMap<>();
    public final Map<String, FileStat> stats = new HashMap<>();
    public int uid = 0, gid = 0;
    public int pid = 4242;

    public RecordingSyscalls file(String path, String content) {
        files.put(path, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public RecordingSyscalls dir(String path) {
        stats.put(path, new FileStat(FileStat.S_IFDIR | 0755, 0, 0, 0, 0));
        return this;
    }

    public RecordingSyscalls regular(String path) {
        stats.put(path, new FileStat(FileStat.S_IFREG | 0644, 0, 0, 0, 0));
        return this;
    }

    private void record(String line) {
        calls.add(line);
    }

    @Override
    public void kill(int pid, int signal) {
        record("kill " + pid + " " + signal);
    }

    @Override
    public int getuid() {
        return uid;
    }

    @Override
    public int getgid() {
        return gid;
    }

    @Override
    public int getpid() {
        return pid;
    }

    @Override
    public int[] socketpair() throws ErrnoException {
        record("socketpair");
        throw new ErrnoException("socketpair", Errno.ENOSYS);
    }

    @Override
    public int posixSpawn(String path, List<String> argv, List<String> env, List<int[]> dup2) throws ErrnoException {
        record("posix_spawn " + String.join(" ", argv));
        throw new ErrnoException("posix_spawn", Errno.ENOSYS);
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws ErrnoException {
        record("read " + fd);
        throw new ErrnoException("read", Errno.ENOSYS);
    }

    @Override
    public void writeFully(int fd, byte[] buf, int off, int len) {
        record("write " + fd + " " + len);
    }

    @Override
    public void close(int fd) {
        record("close " + fd);
    }

    @Override
    public int open(String path, int flags, int mode) throws ErrnoException {
        record("open " + path);
        throw new ErrnoException("open " + path, Errno.ENOSYS);
    }

    @Override
    public int dupCloexec(int fd, int min) {
        record("dupCloexec " + fd + " " + min);
        return min;
    }

    @Override
    public void dup2(int from, int to) {
        record("dup2 " + from + " " + to);
    }

    @Override
    public void mkfifo(String path, int mode) {
        record("mkfifo " + path + " " + Integer.toOctalString(mode));
    }

    @Override
    public void setChildSubreaper(boolean on) {
        record("subreaper " + on);
    }

    @Override
    public WaitStatus waitpid(int pid, int options) throws ErrnoException {
        record("waitpid " + pid + " " + options);
        throw new ErrnoException("waitpid", Errno.ECHILD);
    }

    @Override
    public int recvFd(int socket) throws ErrnoException {
        record("recvFd " + socket);
        throw new ErrnoException("recvmsg", Errno.ENOSYS);
    }

    @Override
    public int connectUnix(String path) throws ErrnoException {
        record("connect " + path);
        throw new ErrnoException("connect", Errno.ENOSYS);
    }

    @Override
    public int listenUnix(String path) throws ErrnoException {
        record("listen " + path);
        throw new ErrnoException("listen", Errno.ENOSYS);
    }

    @Override
    public int accept(int socket) throws ErrnoException {
        record("accept " + socket);
        throw new ErrnoException("accept", Errno.ENOSYS);
    }

    @Override
    public int pidfdOpen(int pid) throws ErrnoException {
        record("pidfd_open " + pid);
        throw new ErrnoException("pidfd_open", Errno.ENOSYS);
    }

    @Override
    public int pidfdGetfd(int pidfd, int targetFd) throws ErrnoException {
        record("pidfd_getfd " + pidfd + " " + targetFd);
        throw new ErrnoException("pidfd_getfd", Errno.ENOSYS);
    }

    @Override
    public void sendFd(int socket, byte[] data, int fd) throws ErrnoException {
        record("sendFd " + socket + " " + fd);
        throw new ErrnoException("sendmsg", Errno.ENOSYS);
    }

    @Override
    public FileStat stat(String path) throws ErrnoException {
        record("stat " + path);
        FileStat st = stats.get(path);
        if (st == null) {
            throw new ErrnoException("stat " + path, Errno.ENOENT);
        }
        return st;
    }

    @Override
    public byte[] readFile(String path) throws ErrnoException {
        record("readFile " + path);
        byte[] b = files.get(path);
        if (b == null) {
            throw new ErrnoException("open " + path, Errno.ENOENT);
        }
        return b;
    }
}
