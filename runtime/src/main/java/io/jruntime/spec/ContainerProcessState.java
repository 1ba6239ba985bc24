package io.jruntime.spec;

import java.util.List;

/**
 * What the runtime sends to a seccomp agent on {@code linux.seccomp.listenerPath} (config-linux.md
 * "The Container Process State"): the fd names in SCM_RIGHTS order ({@code seccompFd}), the container
 * process pid, the opaque {@code listenerMetadata} and the container state.
 */
public record ContainerProcessState(String ociVersion, List<String> fds, int pid, String metadata, State state) {}
