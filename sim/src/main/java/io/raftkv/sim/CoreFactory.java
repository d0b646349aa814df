package io.raftkv.sim;

import io.raftkv.core.InitialState;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import java.util.random.RandomGenerator;

/** Builds the consensus core each simulated node runs; tests substitute deliberately broken cores. */
@FunctionalInterface
public interface CoreFactory {
    CoreFactory STANDARD = RaftCore::new;

    RaftCore create(RaftConfig config, RandomGenerator random, InitialState initial);
}
