package io.jruntime.spec;

import java.util.List;

/** One hook: an absolute {@code path}, its argv ({@code args}), {@code env}, and a {@code timeout} in seconds (> 0). */
public record Hook(String path, List<String> args, List<String> env, Integer timeout) {}
