package io.jruntime.conformance;

/** One requirement's result for one runtime. */
public record Outcome(Status status, String message) {
    public enum Status {
        PASS, FAIL, NOT_APPLICABLE
    }

    public static Outcome pass() {
        return new Outcome(Status.PASS, "");
    }

    public static Outcome fail(String why) {
        return new Outcome(Status.FAIL, clean(why));
    }

    public static Outcome notApplicable(String why) {
        return new Outcome(Status.NOT_APPLICABLE, clean(why));
    }

    static String clean(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replace("\r", " ").replace("\n", " ").replaceAll("\\s+", " ").strip();
        // JUnit's "==> expected: <x> but was: <y>" tail is already in our messages when it matters
        return t.length() > 600 ? t.substring(0, 600) + "..." : t;
    }
}
