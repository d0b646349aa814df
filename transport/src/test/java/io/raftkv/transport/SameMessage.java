package io.raftkv.transport;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Structural equality of messages, independent of the codec: records are compared component by
 * component (through their accessors), byte arrays by content, lists element by element. The
 * message records compare their byte arrays by reference, and AssertJ's recursive comparison is too
 * slow for megabyte arrays.
 */
final class SameMessage {
    /** Class.getRecordComponents is slow and uncached; the fuzz tests compare hundreds of thousands of messages. */
    private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();

    private SameMessage() {}

    /** Null if equal, else the path of the first difference. */
    static String difference(Object expected, Object actual) {
        return difference("message", expected, actual);
    }

    static boolean same(Object expected, Object actual) {
        return difference(expected, actual) == null;
    }

    private static String difference(String path, Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == actual ? null : path + ": " + expected + " vs " + actual;
        }
        if (expected.getClass() != actual.getClass()) {
            return path + ": " + expected.getClass().getSimpleName() + " vs " + actual.getClass().getSimpleName();
        }
        if (expected instanceof byte[] a) {
            return Arrays.equals(a, (byte[]) actual) ? null : path + ": byte arrays differ";
        }
        if (expected instanceof List<?> a) {
            List<?> b = (List<?>) actual;
            if (a.size() != b.size()) {
                return path + ": " + a.size() + " vs " + b.size() + " elements";
            }
            for (int i = 0; i < a.size(); i++) {
                String d = difference(path + "[" + i + "]", a.get(i), b.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (expected.getClass().isRecord()) {
            for (RecordComponent component : COMPONENTS.computeIfAbsent(expected.getClass(), Class::getRecordComponents)) {
                try {
                    String d = difference(path + "." + component.getName(), component.getAccessor().invoke(expected),
                            component.getAccessor().invoke(actual));
                    if (d != null) {
                        return d;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError("cannot read " + path + "." + component.getName(), e);
                }
            }
            return null;
        }
        return expected.equals(actual) ? null : path + ": " + expected + " vs " + actual;
    }
}
