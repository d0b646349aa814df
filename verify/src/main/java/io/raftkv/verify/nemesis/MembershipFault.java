package io.raftkv.verify.nemesis;

import java.util.concurrent.Callable;

/**
 * A membership change that has been made: its description, completed as the change finishes,
 * and what is left to do (stop and wipe a removed server left running, release the claimed nodes).
 */
final class MembershipFault implements Fault {
    private volatile String description;
    private final Callable<String> finish;

    /**
     * @param description what was done
     * @param finish      run on heal; returns what to add to the description, or an empty string
     */
    MembershipFault(String description, Callable<String> finish) {
        this.description = description;
        this.finish = finish;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void heal() throws Exception {
        String more = finish.call();
        if (!more.isEmpty()) {
            description = description + "; " + more;
        }
    }
}
