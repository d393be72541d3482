package dev.supervisor.impl.engine;

import java.util.Locale;

/**
 * The {@link RunThreadMode} of the engine tests that use real threads: system property
 * {@value #PROPERTY}, {@code PLATFORM} when unset. So the same tests run on virtual threads: supervisor.impl's
 * pom runs the engine's tests a second time on a JDK 25 with {@code VIRTUAL}.
 */
public final class TestThreads {
  /** The system property: {@code PLATFORM} or {@code VIRTUAL}. */
  public static final String PROPERTY = "dev.supervisor.test.threads";

  private TestThreads() {}

  /** @return the mode the property asks for */
  public static RunThreadMode mode() {
    String value = System.getProperty(PROPERTY, RunThreadMode.PLATFORM.name());
    try {
      return RunThreadMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("system property " + PROPERTY + " = \"" + value + "\": must be one of "
          + java.util.Arrays.toString(RunThreadMode.values()), e);
    }
  }

  /** @return an engine on the threads of {@link #mode()} */
  public static Engine engine(Scheduler scheduler, Jitter jitter, EngineLog log) {
    return new Engine(scheduler, jitter, log, mode());
  }

  /**
   * @return whether {@code thread} is virtual: {@code Thread.isVirtual()}, looked up since the tests compile for
   *     Java 17, which has neither the method nor virtual threads
   */
  public static boolean isVirtual(Thread thread) {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (NoSuchMethodException java17) {
      return false;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
