package io.jruntime.conformance;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGenerator;

/** Display names from {@link Requirement}: "[MUST] quoted sentence", and the spec file for a class. */
public final class RequirementNames extends DisplayNameGenerator.Standard {
    @Override
    public String generateDisplayNameForClass(Class<?> testClass) {
        SpecFile f = testClass.getAnnotation(SpecFile.class);
        return f != null ? f.value() : super.generateDisplayNameForClass(testClass);
    }

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosing, Class<?> testClass, Method method) {
        Requirement r = method.getAnnotation(Requirement.class);
        return r != null ? "[" + r.level() + "] " + r.text() : super.generateDisplayNameForMethod(enclosing, testClass, method);
    }
}
