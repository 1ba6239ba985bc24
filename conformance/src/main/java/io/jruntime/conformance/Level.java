package io.jruntime.conformance;

/** RFC 2119 strength of a requirement, as the spec words it. */
public enum Level {
    MUST, SHOULD, MAY
}
