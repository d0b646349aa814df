package io.raftkv.cli;

import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the tail of every server log when a test fails: of the clusters the test created, or, if
 * it created none, of the clusters its class shares.
 */
final class LogsOnFailure implements BeforeAllCallback, BeforeEachCallback, TestWatcher {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LogsOnFailure.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        ProcessCluster.OF_THIS_CLASS.clear();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("first", ProcessCluster.OF_THIS_CLASS.size());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Integer first = context.getStore(NAMESPACE).get("first", Integer.class);
        List<ProcessCluster> all = List.copyOf(ProcessCluster.OF_THIS_CLASS);
        List<ProcessCluster> mine = first == null || first >= all.size() ? all : all.subList(first, all.size());
        StringBuilder text = new StringBuilder("==== " + context.getDisplayName() + " failed; server logs ====\n");
        for (ProcessCluster cluster : mine) {
            text.append("cluster in ").append(cluster.root).append('\n').append(cluster.logs(60));
        }
        System.out.println(text);
    }
}
