package io.jruntime.spec;

/**
 * One finding of {@link SpecValidator}: the JSON location in dotted form ({@code linux.namespaces[2].type},
 * map keys as {@code linux.sysctl["net.ipv4.ip_forward"]}) and what is wrong there. Errors stop
 * {@code create}; warnings are logged (the spec asks for warnings, not errors, e.g. for unknown capabilities).
 */
public record SpecProblem(Severity severity, String path, String message) {

    public enum Severity { ERROR, WARNING }

    public static SpecProblem error(String path, String message) {
        return new SpecProblem(Severity.ERROR, path, message);
    }

    public static SpecProblem warning(String path, String message) {
        return new SpecProblem(Severity.WARNING, path, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code path: message}, or the message alone for the document root. */
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
