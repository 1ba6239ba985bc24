package io.jruntime.init;

/**
 * The messages between Java and the native stage: the mirror of {@code enum msg_type} in
 * {@code runtime/src/main/c/protocol.h}, documented with the handshake diagram in
 * {@code runtime/src/main/c/PROTOCOL.md}.
 */
public sealed interface Message {
    int PLAN = 1, CONTINUE = 2, PID = 3, SYNC = 4, READY = 5, ERROR = 6, SECCOMP_FD = 40;

    /** Java to C: the plan, encoded by {@link Plan#encode()}. */
    record PlanMessage(byte[] ops) implements Message {}

    /** Java to C: go on past OP_WAIT_CONTINUE or OP_SYNC. */
    record Continue() implements Message {}

    /** C to Java: the host pid of the container init (sent by the stage at OP_CLONE). */
    record Pid(int pid) implements Message {}

    /** C to Java: the init waits at a hook point ({@link Op#SYNC_CREATE_CONTAINER}) for a Continue. */
    record Sync(int tag) implements Message {}

    /**
     * C to Java: the init loaded a filter with a listener (OP_SECCOMP_LISTENER); {@code fd} is the listener's
     * number in the init. Java copies it with pidfd_getfd, then sends a Continue.
     */
    record SeccompFd(int fd) implements Message {}

    /** C to Java: everything up to the exec fifo is done. */
    record Ready() implements Message {}

    /**
     * C to Java: a step failed. {@code text} names the step and the path; {@code errno} is 0 when the
     * text is the whole message (e.g. {@code exec: "foo": executable file not found in $PATH}).
     */
    record Error(int errno, String text) implements Message {
        /** The message for the user: {@code text: strerror}, in Go's wording as runc prints it. */
        public String describe() {
            return errno == 0 ? text : text + ": " + io.jruntime.sys.Errno.describe(errno);
        }
    }

    /** The native stage closed the socket without a word (it or the init died). */
    record Eof() implements Message {}
}
