package io.raftkv.lincheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Locates the shared known-answer histories ({@code <shared>/testdata/linearizability}). Looks at
 * the system property {@code raftkv.shared.dir} (set by surefire), then {@code ../shared} and
 * {@code ../../shared} relative to the working directory. Fails loudly if none exists: these
 * tests must never be skipped silently.
 */
final class SharedTestData {

    static final String PROPERTY = "raftkv.shared.dir";

    private SharedTestData() {
    }

    static Path linearizabilityDir() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            candidates.add(Path.of(prop));
        }
        candidates.add(Path.of("../shared"));
        candidates.add(Path.of("../../shared"));
        for (Path shared : candidates) {
            Path dir = shared.resolve("testdata/linearizability");
            if (Files.isRegularFile(dir.resolve("README.md"))) {
                return dir.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Known-answer histories not found: looked for "
                + "testdata/linearizability/README.md under " + candidates.stream()
                .map(p -> p.toAbsolutePath().normalize().toString()).toList()
                + " (working directory " + Path.of("").toAbsolutePath() + "). Set -D" + PROPERTY
                + "=<path to the shared directory>.");
    }
}
