package io.jruntime.init;

/**
 * Everything {@link NativeStage#create} needs: the container's id, its bundle and parsed config, the state
 * dir and the exec fifo the lead created (mkfifo), and the create flags that reach the native stage.
 * {@code consoleSocket} is null without --console-socket; {@code preserveFds} is --preserve-fds;
 * {@code noNewKeyring} is --no-new-keyring (the init keeps the caller's session keyring).
 */
public record LaunchRequest(String id, java.nio.file.Path bundle, io.jruntime.spec.Spec spec, java.nio.file.Path stateDir,
                            java.nio.file.Path execFifo, String consoleSocket, int preserveFds, boolean noPivot,
                            boolean noNewKeyring) {}
