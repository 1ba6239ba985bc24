package io.jruntime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.JRuntimeException;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecLoader;
import io.jruntime.sys.RecordingSyscalls;
import org.junit.jupiter.api.Test;

/** When a rootless create goes on without a cgroup of its own (runc's rule), and when it must fail. */
class RootlessTest {
    static final JRuntimeException DENIED = new JRuntimeException("mkdir /sys/fs/cgroup/cpu/c1: permission denied");

    static Spec spec(String linux) {
        return SpecLoader.parse(("{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"},"
                + " \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"}, \"linux\": {" + linux + "}}").getBytes(), "config.json");
    }

    @Test
    void aUserWithoutLimitsGoesOnOnlyAfterAPermissionError() {
        RecordingSyscalls user = new RecordingSyscalls();
        user.uid = 1000;
        assertTrue(Rootless.withoutCgroup("auto", user, spec(""), DENIED));
        assertFalse(Rootless.withoutCgroup("auto", user, spec(""), new JRuntimeException("mkdir /sys/fs/cgroup/cpu/c1: no space left on device")));
        assertFalse(Rootless.withoutCgroup("false", user, spec(""), DENIED), "--rootless false: the error stands");
        assertFalse(Rootless.withoutCgroup("auto", user, spec("\"cgroupsPath\": \"/mine\""), DENIED), "an explicit cgroupsPath must be honoured");
        assertTrue(Rootless.withoutCgroup("auto", user, spec("\"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]}"), DENIED),
                "device rules alone are not limits");
    }

    @Test
    void rootOutsideAUserNamespaceIsNotRootlessUnlessAsked() {
        RecordingSyscalls root = new RecordingSyscalls();
        assertEquals(Rootless.inUserNamespace(), Rootless.withoutCgroup("auto", root, spec(""), DENIED),
                "root is rootless only inside a user namespace");
        assertTrue(Rootless.withoutCgroup("true", root, spec(""), DENIED));
    }

    @Test
    void limitsFailSayingWhy() {
        RecordingSyscalls user = new RecordingSyscalls();
        user.uid = 1000;
        JRuntimeException e = assertThrows(JRuntimeException.class,
                () -> Rootless.withoutCgroup("auto", user, spec("\"resources\": {\"memory\": {\"limit\": 1048576}}"), DENIED));
        assertEquals("rootless container cannot set resource limits: container could not join or create cgroup ("
                + DENIED.getMessage() + ")", e.getMessage());
    }
}
