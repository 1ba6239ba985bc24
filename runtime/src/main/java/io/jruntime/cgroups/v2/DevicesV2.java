package io.jruntime.cgroups.v2;

import io.jruntime.cgroups.CgroupDir;
import io.jruntime.cgroups.CgroupException;
import io.jruntime.cgroups.Controller;
import io.jruntime.cgroups.Fields;
import io.jruntime.cgroups.Resources;
import io.jruntime.sys.CgroupSyscalls;
import io.jruntime.sys.Errno;
import io.jruntime.sys.ErrnoException;

/**
 * cgroup v2 devices: the rules compiled by {@link DeviceFilter}, loaded with bpf(BPF_PROG_LOAD) and attached
 * to the cgroup directory with bpf(BPF_PROG_ATTACH, BPF_F_ALLOW_MULTI). Programs attached before (an earlier
 * apply) are detached after the new one is in place, so there is never a moment without a filter. The
 * attachment keeps the program alive after jruntime exits; it goes away with the cgroup.
 */
public final class DevicesV2 implements Controller {
    private final CgroupSyscalls sys;

    public DevicesV2(CgroupSyscalls sys) {
        this.sys = sys;
    }

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public String requestedField(Resources r) {
        return r.devices() == null ? null : Fields.RESOURCES + ".devices";
    }

    @Override
    public void apply(CgroupDir dir, Resources r) {
        if (r.devices() == null) {
            return;
        }
        byte[] prog = DeviceFilter.compile(r.devices());
        String field = Fields.RESOURCES + ".devices";
        int dirFd;
        try {
            dirFd = sys.open(dir.path().toString(), CgroupSyscalls.O_RDONLY | CgroupSyscalls.O_DIRECTORY | CgroupSyscalls.O_CLOEXEC, 0);
        } catch (ErrnoException e) {
            throw new CgroupException("open " + dir + ": " + e.reason() + " (" + field + ")", e.errno());
        }
        try {
            int[] old;
            try {
                old = sys.bpfProgQuery(dirFd, CgroupSyscalls.BPF_CGROUP_DEVICE);
            } catch (ErrnoException e) {
                old = new int[0]; // very old kernels cannot query: attach on top
            }
            int progFd;
            try {
                progFd = sys.bpfProgLoad(CgroupSyscalls.BPF_PROG_TYPE_CGROUP_DEVICE, CgroupSyscalls.BPF_CGROUP_DEVICE, prog, DeviceFilter.LICENSE);
            } catch (ErrnoException e) {
                throw new CgroupException("load the eBPF device filter for " + dir + ": " + e.getMessage() + " (" + field + ")", e.errno());
            }
            try {
                sys.bpfProgAttach(dirFd, progFd, CgroupSyscalls.BPF_CGROUP_DEVICE, CgroupSyscalls.BPF_F_ALLOW_MULTI);
            } catch (ErrnoException e) {
                throw new CgroupException("attach the eBPF device filter to " + dir + ": " + e.reason() + " (" + field + ")", e.errno());
            } finally {
                close(progFd);
            }
            for (int id : old) {
                detach(dir, dirFd, id);
            }
        } finally {
            close(dirFd);
        }
    }

    private void detach(CgroupDir dir, int dirFd, int progId) {
        int fd;
        try {
            fd = sys.bpfProgGetFdById(progId);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return; // already gone
            }
            throw new CgroupException("detach the old eBPF device filter " + progId + " from " + dir + ": " + e.reason(), e.errno());
        }
        try {
            sys.bpfProgDetach(dirFd, fd, CgroupSyscalls.BPF_CGROUP_DEVICE);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT) {
                throw new CgroupException("detach the old eBPF device filter " + progId + " from " + dir + ": " + e.reason(), e.errno());
            }
        } finally {
            close(fd);
        }
    }

    private void close(int fd) {
        try {
            sys.close(fd);
        } catch (ErrnoException ignored) {
            // nothing to do about a failed close of a bpf or directory fd
        }
    }
}
