package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Which threads carry a worker's code. The mode of this test run ({@link TestThreads}) is checked here, so a run
 * meant for virtual threads that got platform threads (a JVM without them) fails by name instead of passing on
 * the wrong threads; and {@code VIRTUAL} on a Java without virtual threads says so in one line and uses platform
 * threads. Nothing is timed: the worker records its threads, the recorder waits for states.
 */
class RunThreadModeTest {
  private final VirtualScheduler clock = new VirtualScheduler();
  private final Recorder recorder = new Recorder();
  /** What the engine logged at WARN and ERROR, each line with its level. */
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final EngineLog log = new EngineLog() {
    @Override public void info(String message) {}

    @Override public void warn(String message, Throwable error) { logged.add("WARN " + message); }

    @Override public void error(String message, Throwable error) { logged.add("ERROR " + message); }
  };
  private Engine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private Engine start(Engine made) {
    engine = made;
    engine.addListener(recorder);
    return engine;
  }

  @Test
  void runAndStopAreCalledOnTheThreadsThatTheTestRunAsksFor() throws Exception {
    RunThreadMode mode = TestThreads.mode();
    start(TestThreads.engine(clock, Jitter.NONE, log));
    Carried worker = runAndStop("carried");
    String which = TestThreads.PROPERTY + "=" + mode + " on Java " + Runtime.version().feature() + ": ";
    assertEquals(mode == RunThreadMode.VIRTUAL, TestThreads.isVirtual(worker.runThread),
        which + "run was on " + worker.runThread);
    assertEquals(mode == RunThreadMode.VIRTUAL, TestThreads.isVirtual(worker.stopThread),
        which + "stop() was on " + worker.stopThread);
    assertEquals(List.of(), logged);
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_20)
  void virtualBeforeJava21IsRefusedInOneWarningAndRunsUsePooledPlatformThreads() throws Exception {
    start(new Engine(clock, Jitter.NONE, log, RunThreadMode.VIRTUAL));
    Carried first = runAndStop("first");
    assertFalse(TestThreads.isVirtual(first.runThread), first.runThread::toString);
    // Back in the pool once its run was over (the next run may take it): the name of an idle pooled platform
    // thread (see Engine).
    assertTrue(first.runThread.getName().startsWith("supervisor-worker-idle-"), first.runThread::toString);
    engine.add(ServiceSpec.builder("second").build(), RunContext::awaitStop);
    recorder.await("second", RUNNING);
    engine.restart("second");
    recorder.await("second", RUNNING, 2);

    assertEquals(1, logged.size(), () -> "one line, said when the engine was made: " + logged);
    String warning = logged.get(0);
    assertTrue(warning.startsWith("WARN supervisor.threads=VIRTUAL refused: Java " + Runtime.version().feature()
        + " has no virtual threads (they need Java 21 or later)"), warning);
    assertTrue(warning.endsWith("; runs use platform threads"), warning);
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void virtualFromJava21OnCarriesRunAndStopOnVirtualThreadsWithoutAWord() throws Exception {
    start(new Engine(clock, Jitter.NONE, log, RunThreadMode.VIRTUAL));
    Carried worker = runAndStop("carried");
    assertTrue(TestThreads.isVirtual(worker.runThread), worker.runThread::toString);
    assertTrue(TestThreads.isVirtual(worker.stopThread), worker.stopThread::toString);
    assertEquals("supervisor-run-carried", worker.runThreadName, "named while busy, as a platform thread is");
    assertEquals(List.of(), logged);
  }

  /** Starts a {@link Carried} worker, stops it once it runs, and waits until it has STOPPED. */
  private Carried runAndStop(String name) throws InterruptedException {
    Carried worker = new Carried();
    engine.add(ServiceSpec.builder(name).build(), worker);
    worker.inRun.await(); // a stop asked earlier would find run not called yet, and call no stop()
    engine.stop(name);
    recorder.await(name, STOPPED);
    return worker;
  }

  /** Blocks in run until its stop() is called; records the thread of each. */
  private static final class Carried implements Supervised {
    final CountDownLatch inRun = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    volatile Thread runThread;
    volatile String runThreadName;
    volatile Thread stopThread;

    @Override
    public void run(RunContext ctx) throws InterruptedException {
      runThread = Thread.currentThread();
      runThreadName = runThread.getName();
      inRun.countDown();
      stopped.await();
    }

    @Override
    public void stop() {
      stopThread = Thread.currentThread();
      stopped.countDown();
    }
  }
}
