package io.jruntime.cgroups.v2;

import io.jruntime.cgroups.v1.RdmaV1;

/** cgroup v2 rdma: rdma.max has the same format as in v1. */
public final class RdmaV2 extends RdmaV1 {}
