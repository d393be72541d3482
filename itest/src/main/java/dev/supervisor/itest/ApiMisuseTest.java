package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorAdmin;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import dev.supervisor.api.Termination;
import dev.supervisor.itest.workers.StartupWorkers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.osgi.framework.Bundle;

/**
 * Misuse of the {@link Supervisor} service: removing twice, a token the supervisor did not issue, unknown
 * names, null arguments, absurd timeouts, and every call after the supervisor stopped. Each is a
 * {@link SupervisorException} of the right kind, never a NullPointerException and never a hang: every call
 * runs on its own thread and must return within {@link #DEADLINE}.
 */
class ApiMisuseTest {

  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final String NOBODY = "misuse.nobody";
  private static final String NO_GROUP = "misuse/nogroup";

  private static Supervisors supervisors;
  private static ExecutorService callers;

  @BeforeAll
  static void open() {
    supervisors = new Supervisors();
    callers = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "misuse-caller");
      thread.setDaemon(true); // a hung call must not keep the framework alive
      return thread;
    });
  }

  @AfterAll
  static void close() {
    callers.shutdownNow();
    supervisors.close();
  }

  /** A call to the supervisor that may throw anything. */
  interface Call {
    Object call() throws Exception;
  }

  /** A misuse and the kind of refusal it must get ({@code null}: any SupervisorException). */
  record Misuse(String label, Kind kind, Call call) {}

  /** A call that is fine as long as it returns (or throws a SupervisorException) in time. */
  record Harmless(String label, Call call) {}

  /** Runs the call on its own thread; fails on a hang; returns what it returned or threw. */
  private static Object bounded(String what, Call call) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    callers.execute(() -> {
      try {
        result.complete(call.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + ": no answer within " + DEADLINE + " (a hang); caller threads: "
          + stacksOf("misuse-caller"));
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what + ": interrupted", e);
    }
  }

  /** A future's outcome within the deadline: its value, or what it failed with. */
  private static Object settle(String what, CompletableFuture<?> future) {
    return bounded(what + " (the future)", () -> {
      try {
        return future.get();
      } catch (ExecutionException e) {
        throw (Exception) (e.getCause() instanceof Exception cause ? cause : e);
      }
    });
  }

  private static void assertRefused(Misuse misuse) {
    Object outcome = bounded(misuse.label(), misuse.call());
    if (outcome instanceof CompletableFuture<?> future) {
      outcome = settle(misuse.label(), future);
    }
    Object seen = outcome;
    if (!(outcome instanceof SupervisorException refused)) {
      fail(misuse.label() + ": expected a SupervisorException" + (misuse.kind() == null ? ""
          : " of kind " + misuse.kind()) + ", got " + describe(seen));
      return;
    }
    if (misuse.kind() != null) {
      assertEquals(misuse.kind(), refused.kind(), () -> misuse.label() + ": " + describe(seen));
    }
    assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank(),
        () -> misuse.label() + ": a refusal must say why: " + describe(seen));
  }

  private static String describe(Object outcome) {
    if (outcome instanceof Throwable error) {
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      return trace.toString();
    }
    return "a normal return: " + outcome;
  }

  private static String stacksOf(String prefix) {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (thread.getName().startsWith(prefix)) {
        out.append("\n").append(thread.getName());
        for (StackTraceElement frame : stack) {
          out.append("\n    at ").append(frame);
        }
      }
    });
    return out.toString();
  }

  /** A token this test made up: the supervisor did not issue it. */
  private static ServiceToken foreignToken(String name) {
    return new ServiceToken() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void remove() {
        throw new UnsupportedOperationException("a forged token");
      }
    };
  }

  private static final Supervised IDLE_WORKER = ctx -> ctx.awaitStop();

  /** @return the SupervisorAdmin service, as the test bundle gets it */
  private static SupervisorAdmin admin() {
    var reference = Osgi.context().getServiceReference(SupervisorAdmin.class);
    assertTrue(reference != null, "no SupervisorAdmin service");
    return Osgi.context().getService(reference);
  }

  @TestFactory
  Stream<DynamicTest> misuseIsRefusedWithTheRightKind() {
    Supervisor supervisor = supervisors.get();
    SupervisorAdmin admin = admin();
    supervisors.awaitRunning(StartupWorkers.CHAIN_A, StartupWorkers.API);
    String running = StartupWorkers.CHAIN_A;
    List<Misuse> rows = new ArrayList<>(List.of(
        new Misuse("remove((ServiceToken) null)", Kind.WRONG_SUPERVISOR, () -> {
          supervisor.remove((ServiceToken) null);
          return null;
        }),
        new Misuse("remove((String) null)", Kind.INVALID_ARGUMENT, () -> {
          supervisor.remove((String) null);
          return null;
        }),
        new Misuse("remove(a whiteboard service by name)", Kind.NOT_OWNER, () -> {
          supervisor.remove(running);
          return null;
        }),
        new Misuse("remove(another bundle's service by name)", Kind.NOT_OWNER, () -> {
          supervisor.remove(StartupWorkers.API);
          return null;
        }),
        new Misuse("admin.remove(null)", Kind.INVALID_ARGUMENT, () -> {
          admin.remove(null);
          return null;
        }),
        new Misuse("admin.remove(a whiteboard service)", Kind.NOT_OWNER, () -> {
          admin.remove(running);
          return null;
        }),
        new Misuse("remove(a token made by the test, naming a running service)", Kind.WRONG_SUPERVISOR, () -> {
          supervisor.remove(foreignToken(running));
          return null;
        }),
        new Misuse("remove(a token made by the test, naming nobody)", Kind.WRONG_SUPERVISOR, () -> {
          supervisor.remove(foreignToken(NOBODY));
          return null;
        }),
        new Misuse("remove(a token whose name() is null)", Kind.WRONG_SUPERVISOR, () -> {
          supervisor.remove(foreignToken(null));
          return null;
        }),
        new Misuse("add(null, worker)", Kind.INVALID_ARGUMENT, () -> supervisor.add(null, IDLE_WORKER)),
        new Misuse("add(spec, null worker)", Kind.INVALID_ARGUMENT,
            () -> supervisor.add(ServiceSpec.builder("misuse.nullworker").build(), (dev.supervisor.api.Supervised) null)),
        new Misuse("add(spec, null factory)", Kind.INVALID_ARGUMENT, () -> supervisor.add(
            ServiceSpec.builder("misuse.nullfactory").build(),
            (java.util.function.Supplier<dev.supervisor.api.Supervised>) null)),
        new Misuse("add(null, factory)", Kind.INVALID_ARGUMENT, () -> supervisor.add(null, () -> IDLE_WORKER)),
        new Misuse("awaitStarted(null timeout)", Kind.INVALID_ARGUMENT, () -> supervisor.awaitStarted(null)),
        new Misuse("add(the name of a running service)", Kind.ALREADY_EXISTS,
            () -> supervisor.add(ServiceSpec.builder(running).build(), IDLE_WORKER)),
        new Misuse("configureGroup(null)", Kind.INVALID_ARGUMENT, () -> {
          supervisor.configureGroup(null);
          return null;
        }),
        new Misuse("awaitReady(null, 1 s)", Kind.INVALID_ARGUMENT,
            () -> supervisor.awaitReady(null, Duration.ofSeconds(1))),
        new Misuse("awaitReady(running, null timeout)", null, () -> supervisor.awaitReady(running, null)),
        new Misuse("awaitReady(unknown, null timeout)", Kind.INVALID_ARGUMENT,
            () -> supervisor.awaitReady(NOBODY, null)),
        new Misuse("whenReady(null)", Kind.INVALID_ARGUMENT, () -> supervisor.whenReady(null)),
        new Misuse("terminateGroup(null)", Kind.INVALID_ARGUMENT, () -> supervisor.terminateGroup(null)),
        new Misuse("terminateGroup(unknown)", Kind.UNKNOWN_GROUP, () -> supervisor.terminateGroup("misuse/nowhere")),
        new Misuse("whenGroupTerminated(null)", Kind.INVALID_ARGUMENT, () -> supervisor.whenGroupTerminated(null)),
        new Misuse("whenGroupTerminated(unknown)", Kind.UNKNOWN_GROUP,
            () -> supervisor.whenGroupTerminated("misuse/nowhere")),
        new Misuse("awaitTermination(null) while running", null, () -> supervisor.awaitTermination(null))));
    for (String operation : List.of("start", "stop", "restart", "reset")) {
      for (String name : new String[] {NOBODY, null}) {
        Kind kind = name == null ? Kind.INVALID_ARGUMENT : Kind.UNKNOWN_SERVICE;
        rows.add(new Misuse(operation + "(" + name + ")", kind, () -> {
          serviceCommand(supervisor, operation, name);
          return null;
        }));
      }
    }
    for (String operation : List.of("stopGroup", "restartGroup", "resetGroup")) {
      for (String path : new String[] {NO_GROUP, null}) {
        rows.add(new Misuse(operation + "(" + path + ")", path == null ? Kind.INVALID_ARGUMENT : Kind.UNKNOWN_GROUP,
            () -> groupCommand(supervisor, operation, path)));
      }
    }
    Stream<DynamicTest> refused = rows.stream().map(row -> dynamicTest(row.label(), () -> {
      long startsBefore = supervisors.awaitState(running, State.RUNNING).startCount();
      assertRefused(row);
      ServiceInfo after = supervisors.info(running).orElseThrow();
      assertEquals(State.RUNNING, after.state(), () -> row.label() + " disturbed " + Supervisors.describe(after));
      assertEquals(startsBefore, after.startCount(), () -> row.label() + " restarted " + running);
    }));

    List<Harmless> harmless = List.of(
        new Harmless("info(unknown) is empty", () -> assertEmpty(supervisor.info(NOBODY))),
        new Harmless("info(null) is empty", () -> assertEmpty(supervisor.info(null))),
        new Harmless("group(unknown) is empty", () -> assertEmpty(supervisor.group(NO_GROUP))),
        new Harmless("group(null) is empty", () -> assertEmpty(supervisor.group(null))),
        new Harmless("remove(unknown name) does nothing", () -> {
          supervisor.remove(NOBODY);
          return null;
        }),
        new Harmless("admin.remove(unknown name) does nothing", () -> {
          admin.remove(NOBODY);
          return null;
        }),
        new Harmless("removeAll() returns", () -> {
          supervisor.removeAll();
          return null;
        }),
        new Harmless("addListener(null) does nothing", () -> {
          supervisor.addListener(null);
          return null;
        }),
        new Harmless("removeListener(null) does nothing", () -> {
          supervisor.removeListener(null);
          return null;
        }),
        new Harmless("awaitReady(running, 10^18 s) returns at once",
            () -> supervisor.awaitReady(running, Duration.ofSeconds(Long.MAX_VALUE)).name()),
        new Harmless("awaitTermination(1 ms) while running is a TimeoutException",
            () -> {
              assertInstanceOf(TimeoutException.class, catching(() -> supervisor.awaitTermination(
                  Duration.ofMillis(1))));
              return null;
            }));
    Stream<DynamicTest> fine = harmless.stream().map(row -> dynamicTest(row.label(), () -> {
      Object outcome = bounded(row.label(), row.call());
      if (outcome instanceof Throwable error) {
        fail(row.label() + ": " + describe(error));
      }
    }));
    return Stream.concat(refused, fine);
  }

  private static Object assertEmpty(Optional<?> value) {
    assertTrue(value.isEmpty(), () -> "expected empty, got " + value);
    return null;
  }

  private static Object catching(Call call) {
    try {
      return call.call();
    } catch (Exception e) {
      return e;
    }
  }

  @Test
  void removingTwiceIsUnknownServiceTheSecondTime() {
    Supervisor supervisor = supervisors.get();
    ServiceToken token = (ServiceToken) bounded("add", () -> supervisor.add(
        ServiceSpec.builder("misuse.twice").build(), IDLE_WORKER));
    supervisors.awaitState("misuse.twice", State.RUNNING);
    assertEquals(null, bounded("the first remove", () -> {
      token.remove();
      return null;
    }));
    supervisors.awaitGone("misuse.twice");
    assertRefused(new Misuse("token.remove() again", Kind.UNKNOWN_SERVICE, () -> {
      token.remove();
      return null;
    }));
    assertRefused(new Misuse("supervisor.remove(token) again", Kind.UNKNOWN_SERVICE, () -> {
      supervisor.remove(token);
      return null;
    }));
  }

  /**
   * A bundle that keeps the Supervisor object after the supervisor bundle stopped gets SUPERVISOR_STOPPED
   * from every control call (reads still answer), never a NullPointerException or a hang. The impl bundle is
   * started again afterwards and the startup workers come back, for the tests that follow.
   */
  @Test
  void everyCallAfterTheSupervisorStoppedIsSupervisorStopped() throws Exception {
    Supervisor kept = supervisors.get();
    ServiceToken token = kept.add(ServiceSpec.builder("misuse.kept").build(), IDLE_WORKER);
    supervisors.awaitState("misuse.kept", State.RUNNING);
    Bundle impl = Osgi.bundle(Osgi.IMPL_BUNDLE);
    impl.stop();
    try {
      List<Misuse> rows = new ArrayList<>(List.of(
          new Misuse("add", Kind.SUPERVISOR_STOPPED,
              () -> kept.add(ServiceSpec.builder("misuse.late").build(), IDLE_WORKER)),
          new Misuse("remove(its own token)", Kind.SUPERVISOR_STOPPED, () -> {
            kept.remove(token);
            return null;
          }),
          new Misuse("token.remove()", Kind.SUPERVISOR_STOPPED, () -> {
            token.remove();
            return null;
          }),
          new Misuse("remove(its own service by name)", Kind.SUPERVISOR_STOPPED, () -> {
            kept.remove("misuse.kept");
            return null;
          }),
          new Misuse("remove(unknown name)", Kind.SUPERVISOR_STOPPED, () -> {
            kept.remove(NOBODY);
            return null;
          }),
          new Misuse("removeAll", Kind.SUPERVISOR_STOPPED, () -> {
            kept.removeAll();
            return null;
          }),
          new Misuse("awaitReady", Kind.SUPERVISOR_STOPPED,
              () -> kept.awaitReady(StartupWorkers.CHAIN_A, Duration.ofSeconds(1))),
          new Misuse("whenReady", Kind.SUPERVISOR_STOPPED, () -> kept.whenReady(StartupWorkers.CHAIN_A)),
          new Misuse("configureGroup", Kind.SUPERVISOR_STOPPED, () -> {
            kept.configureGroup(GroupSpec.builder("misuse").build());
            return null;
          })));
      for (String operation : List.of("start", "stop", "restart", "reset")) {
        rows.add(new Misuse(operation + "(chain.a)", Kind.SUPERVISOR_STOPPED, () -> {
          serviceCommand(kept, operation, StartupWorkers.CHAIN_A);
          return null;
        }));
      }
      rows.add(new Misuse("startAll", Kind.SUPERVISOR_STOPPED, () -> {
        kept.startAll();
        return null;
      }));
      rows.add(new Misuse("stopAll", Kind.SUPERVISOR_STOPPED, () -> {
        kept.stopAll();
        return null;
      }));
      rows.add(new Misuse("restartAll", Kind.SUPERVISOR_STOPPED, () -> {
        kept.restartAll();
        return null;
      }));
      rows.add(new Misuse("resetAll", Kind.SUPERVISOR_STOPPED, () -> {
        kept.resetAll();
        return null;
      }));
      for (String operation : List.of("stopGroup", "restartGroup", "resetGroup")) {
        rows.add(new Misuse(operation + "(root)", Kind.SUPERVISOR_STOPPED,
            () -> groupCommand(kept, operation, "")));
      }
      List<String> failures = new ArrayList<>();
      for (Misuse row : rows) {
        try {
          assertRefused(row);
        } catch (AssertionError e) {
          failures.add(e.getMessage());
        }
      }
      // reads and termination still answer
      for (Harmless row : List.of(
          new Harmless("info", () -> kept.info(StartupWorkers.CHAIN_A)),
          new Harmless("services", kept::services),
          new Harmless("groups", kept::groups),
          new Harmless("whenTerminated completes", () -> kept.whenTerminated().get(5, TimeUnit.SECONDS)),
          new Harmless("awaitTermination returns", () -> assertInstanceOf(Termination.class,
              kept.awaitTermination(Duration.ofSeconds(5)), "awaitTermination")),
          new Harmless("addListener", () -> {
            kept.addListener(update -> { });
            return null;
          }))) {
        Object outcome = bounded(row.label(), row.call());
        if (outcome instanceof Throwable error && !(error instanceof SupervisorException)) {
          failures.add(row.label() + ": " + describe(error));
        }
      }
      assertEquals(List.of(), failures, "calls on a stopped supervisor");
    } finally {
      impl.start();
      supervisors.awaitRunning(StartupWorkers.all().toArray(String[]::new));
    }
  }

  private static void serviceCommand(Supervisor supervisor, String operation, String name) {
    switch (operation) {
      case "start" -> supervisor.start(name);
      case "stop" -> supervisor.stop(name);
      case "restart" -> supervisor.restart(name);
      case "reset" -> supervisor.reset(name);
      default -> throw new AssertionError(operation);
    }
  }

  private static Object groupCommand(Supervisor supervisor, String operation, String path)
      throws InterruptedException {
    switch (operation) {
      case "stopGroup":
        return supervisor.stopGroup(path);
      case "restartGroup":
        supervisor.restartGroup(path);
        return null;
      case "resetGroup":
        supervisor.resetGroup(path);
        return null;
      default:
        throw new AssertionError(operation);
    }
  }
}
