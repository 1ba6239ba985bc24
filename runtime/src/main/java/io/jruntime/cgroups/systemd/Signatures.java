package io.jruntime.cgroups.systemd;

/**
 * D-Bus type signatures: splitting into single complete types, validity (the specification's rules: at most 255
 * characters, arrays and structs each nested at most 32 deep, dict entries only as array elements with a basic key,
 * no empty struct), alignment. "h" (unix fd) is refused: this client does not negotiate fd passing.
 */
final class Signatures {
    static final int MAX_LENGTH = 255;
    private static final int MAX_NESTING = 32;

    private Signatures() {
    }

    /** Checks that {@code sig} is a sequence of complete types and returns how many there are. */
    static int count(String sig) {
        if (sig.length() > MAX_LENGTH) {
            throw bad(sig, "longer than 255 characters");
        }
        int n = 0;
        for (int i = 0; i < sig.length(); n++) {
            i = next(sig, i, 0, 0);
        }
        return n;
    }

    /** Checks that {@code sig} is exactly one complete type, as a variant's signature must be. */
    static void single(String sig) {
        if (sig.isEmpty() || sig.length() > MAX_LENGTH || next(sig, 0) != sig.length()) {
            throw bad(sig, "a variant holds exactly one complete type");
        }
    }

    /** The index just after the single complete type that starts at {@code i}. */
    static int next(String sig, int i) {
        return next(sig, i, 0, 0);
    }

    private static int next(String sig, int i, int arrays, int structs) {
        if (i >= sig.length()) {
            throw bad(sig, "ends inside a type");
        }
        char c = sig.charAt(i);
        switch (c) {
            case 'y', 'b', 'n', 'q', 'i', 'u', 'x', 't', 'd', 's', 'o', 'g', 'v' -> {
                return i + 1;
            }
            case 'h' -> throw new DBusException(null,
                    "D-Bus signature \"" + sig + "\": unix file descriptors (h) are not supported");
            case 'a' -> {
                if (arrays == MAX_NESTING) {
                    throw bad(sig, "arrays nested deeper than 32");
                }
                if (i + 1 < sig.length() && sig.charAt(i + 1) == '{') {
                    if (structs == MAX_NESTING) {
                        throw bad(sig, "structs nested deeper than 32");
                    }
                    int k = i + 2;
                    if (k >= sig.length() || !basic(sig.charAt(k))) {
                        next(sig, k, arrays + 1, structs + 1); // an 'h' key is refused as such
                        throw bad(sig, "a dict entry's key must be a basic type");
                    }
                    int v = next(sig, k + 1, arrays + 1, structs + 1);
                    if (v >= sig.length() || sig.charAt(v) != '}') {
                        throw bad(sig, "a dict entry holds exactly a key and a value");
                    }
                    return v + 1;
                }
                return next(sig, i + 1, arrays + 1, structs);
            }
            case '(' -> {
                if (structs == MAX_NESTING) {
                    throw bad(sig, "structs nested deeper than 32");
                }
                int k = i + 1;
                if (k < sig.length() && sig.charAt(k) == ')') {
                    throw bad(sig, "empty struct");
                }
                while (k < sig.length() && sig.charAt(k) != ')') {
                    k = next(sig, k, arrays, structs + 1);
                }
                if (k >= sig.length()) {
                    throw bad(sig, "unclosed struct");
                }
                return k + 1;
            }
            default -> throw bad(sig, "unexpected '" + c + "' at " + i);
        }
    }

    static boolean basic(char c) {
        return switch (c) {
            case 'y', 'b', 'n', 'q', 'i', 'u', 'x', 't', 'd', 's', 'o', 'g' -> true;
            default -> false;
        };
    }

    /** The alignment of a value whose type starts with {@code c}. */
    static int alignment(char c) {
        return switch (c) {
            case 'y', 'g', 'v' -> 1;
            case 'n', 'q' -> 2;
            case 'x', 't', 'd', '(', '{' -> 8;
            default -> 4; // b i u s o a h
        };
    }

    static DBusException bad(String sig, String why) {
        return new DBusException(null, "invalid D-Bus signature \"" + sig + "\": " + why);
    }
}
