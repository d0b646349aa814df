package io.raftkv.cli;

import io.raftkv.verify.client.RespClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftkv get|set|del}: quick use of a cluster without redis-cli. */
final class KeyValueCommands {
    private KeyValueCommands() {}

    /** Options shared by the data commands. */
    abstract static class Base implements Callable<Integer> {
        @Option(names = "--endpoint", defaultValue = "127.0.0.1:6379", paramLabel = "HOST:PORT",
                description = "Client address of any member (default ${DEFAULT-VALUE}).")
        String endpoint;

        @Option(names = "--timeout-ms", defaultValue = "5000", description = "Timeout (default ${DEFAULT-VALUE}).")
        int timeoutMillis;

        int run(String... command) throws Exception {
            try (RespClient client = new RespClient(endpoint, timeoutMillis)) {
                Object reply = client.call(command);
                if (reply instanceof RespClient.ErrorReply error) {
                    System.err.println("(error) " + error.message());
                    return 1;
                }
                System.out.println(reply == null ? "(nil)" : reply instanceof Long n ? "(integer) " + n : reply);
                return 0;
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Read a key (linearizable).")
    static final class Get extends Base {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() throws Exception {
            return run("GET", key);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Write a key.")
    static final class Set extends Base {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        public Integer call() throws Exception {
            return run("SET", key, value);
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Delete keys.")
    static final class Del extends Base {
        @Parameters(arity = "1..*", paramLabel = "KEY")
        List<String> keys;

        @Override
        public Integer call() throws Exception {
            String[] command = new String[keys.size() + 1];
            command[0] = "DEL";
            for (int i = 0; i < keys.size(); i++) {
                command[i + 1] = keys.get(i);
            }
            return run(command);
        }
    }
}
