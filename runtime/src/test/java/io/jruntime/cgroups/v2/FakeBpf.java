package io.jruntime.cgroups.v2;

import io.jruntime.sys.CgroupSyscalls;
import io.jruntime.sys.ErrnoException;
import java.util.ArrayList;
import java.util.List;

/** A {@link CgroupSyscalls} that records the bpf calls (and opens nothing real) for DevicesV2 tests. */
final class FakeBpf implements CgroupSyscalls {
    final List<String> calls = new ArrayList<>();
    byte[] loaded;
    int[] attached = new int[0];

    @Override
    public int open(String path, int flags, int mode) {
        calls.add("open " + path);
        return 100;
    }

    @Override
    public long write(int fd, byte[] data) {
        throw new UnsupportedOperationException();
    }

    @Override
    public byte[] read(int fd, int max) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close(int fd) {
        calls.add("close " + fd);
    }

    @Override
    public void mkdir(String path, int mode) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void rmdir(String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long statfsType(String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int bpfProgLoad(int progType, int expectedAttachType, byte[] insns, String license) {
        calls.add("load type=" + progType + " attach=" + expectedAttachType + " license=" + license);
        loaded = insns;
        return 200;
    }

    @Override
    public void bpfProgAttach(int targetFd, int progFd, int attachType, int flags) {
        calls.add("attach " + targetFd + " " + progFd + " " + attachType + " flags=" + flags);
    }

    @Override
    public void bpfProgDetach(int targetFd, int progFd, int attachType) {
        calls.add("detach " + targetFd + " " + progFd + " " + attachType);
    }

    @Override
    public int[] bpfProgQuery(int targetFd, int attachType) {
        calls.add("query " + targetFd);
        return attached;
    }

    @Override
    public int bpfProgGetFdById(int id) throws ErrnoException {
        calls.add("getfd " + id);
        return 300 + id;
    }
}
