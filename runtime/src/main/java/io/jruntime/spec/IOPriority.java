package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code process.ioPriority}: {@code class} (IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE;
 * named {@code ioClass} here because {@code class} is a Java keyword) and {@code priority}, 0 (highest) to 7.
 */
public record IOPriority(@JsonProperty("class") String ioClass, Integer priority) {}
