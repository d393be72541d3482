package dev.supervisor.impl.engine;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.Supervised;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh engine in virtual time for each test, with a recorder listening to every update. */
abstract class EngineTestBase {
  VirtualScheduler clock;
  Recorder recorder;
  Engine engine;

  @BeforeEach
  void startEngine() {
    clock = new VirtualScheduler();
    recorder = new Recorder();
    engine = TestThreads.engine(clock, Jitter.NONE, EngineLog.QUIET);
    engine.addListener(recorder);
  }

  @AfterEach
  void closeEngine() {
    engine.close();
    // Every timer the engine set is cancelled or has fired once it has closed: none is left behind.
    org.junit.jupiter.api.Assertions.assertEquals(0, clock.pendingTimers(), "timers left after close");
  }

  /** A spec with jitter off, so delays are exact. */
  static ServiceSpec.Builder spec(String name) {
    return ServiceSpec.builder(name).jitter(0.0);
  }

  ServiceToken add(ServiceSpec.Builder spec, Supervised worker) {
    return engine.add(spec.build(), worker);
  }

  /** Advances virtual time, then waits until the engine has handled what the timers posted. */
  void advance(Duration by) {
    clock.advance(by);
    engine.sync();
  }

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
