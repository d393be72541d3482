package dev.supervisor.impl.engine;

import java.util.concurrent.ThreadLocalRandom;

/** Where the random part of a restart delay comes from; tests inject {@link #NONE} or a fixed value. */
@FunctionalInterface
public interface Jitter {

  /** No randomness: every delay is exactly the backoff value. */
  Jitter NONE = fraction -> 0.0;

  /** Uniformly random in [-fraction, +fraction]. */
  Jitter RANDOM = fraction -> fraction == 0.0 ? 0.0 : ThreadLocalRandom.current().nextDouble(-fraction, fraction);

  /**
   * @param fraction the spec's jitter, in [0, 1]
   * @return a factor offset in [-fraction, +fraction]; the delay is multiplied by (1 + offset)
   */
  double offset(double fraction);
}
