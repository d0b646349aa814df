package io.raftkv.core.harness;

import io.raftkv.core.InitialState;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import java.util.random.RandomGenerator;

/** How a {@link TestNode} builds its core; tests of the harness itself swap in deliberately broken cores. */
@FunctionalInterface
public interface CoreFactory {
    CoreFactory STANDARD = RaftCore::new;

    RaftCore create(RaftConfig config, RandomGenerator random, InitialState initial);
}
