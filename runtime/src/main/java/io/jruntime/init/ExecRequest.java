package io.jruntime.init;

/**
 * `exec`: run {@code process} inside the running container whose init has host pid {@code initPid}.
 * {@code spec} is the container's config (its namespaces say which ones to join, by
 * /proc/initPid/ns/*); {@code consoleSocket} is --console-socket (required with a terminal);
 * {@code preserveFds} is --preserve-fds; {@code noNewKeyring} is what the container was created with.
 */
public record ExecRequest(int initPid, io.jruntime.spec.Spec spec, io.jruntime.spec.Process process, String consoleSocket,
                          int preserveFds, String containerId, boolean noNewKeyring) {}
