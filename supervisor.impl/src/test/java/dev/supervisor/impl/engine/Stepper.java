package dev.supervisor.impl.engine;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.Termination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Steps the supervision state machine by hand, as suture's tests feed their supervisor: the real
 * {@link Supervision}, {@link Inbox} and {@link Publisher}, virtual time, and scripted runs instead of
 * threads. A test posts a message, lets the machine handle what waits ({@link #settle()}), and decides
 * itself when a run is entered, becomes ready, returns, throws or ignores its stop. No thread, no deadline:
 * after every message the engine's invariants are checked ({@link Invariants}).
 */
final class Stepper {
  final VirtualScheduler clock = new VirtualScheduler();
  final Inbox inbox = new Inbox();
  final ScriptedRuns runs = new ScriptedRuns(inbox);
  final ConcurrentHashMap<String, Snapshot> published = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, GroupSnapshot> publishedGroups = new ConcurrentHashMap<>();
  final CompletableFuture<Termination> terminated = new CompletableFuture<>();
  final Supervision supervision;
  /** Whether the invariants are checked after every message: O(services) each, too slow for huge tests. */
  private final boolean checkEveryMessage;
  long handled;

  Stepper() {
    this(true);
  }

  /** @param checkEveryMessage false for tests of thousands of services: they call {@link #checkInvariants()} */
  Stepper(boolean checkEveryMessage) {
    this.checkEveryMessage = checkEveryMessage;
    supervision = new Supervision(new Timers(clock, inbox), Jitter.NONE, EngineLog.QUIET, runs,
        new Publisher(published, publishedGroups, new ListenerDispatcher(EngineLog.QUIET), Runnable::run,
            terminated));
  }

  /** Handles every message that waits, one at a time, checking the invariants after each. */
  void settle() {
    Message message;
    while ((message = inbox.poll()) != null) {
      supervision.handle(message);
      supervision.deliver();
      handled++;
      if (checkEveryMessage) {
        checkInvariants("after " + message);
      }
    }
  }

  void checkInvariants(String when) {
    List<String> violations = supervision.invariantViolations();
    if (!violations.isEmpty()) {
      throw new AssertionError(when + ": " + violations);
    }
  }

  /** Posts a request and settles; @return its reply (done, or still waiting for a run to end) */
  <T> CompletableFuture<T> request(Function<CompletableFuture<T>, Message> request) {
    CompletableFuture<T> reply = new CompletableFuture<>();
    inbox.post(request.apply(reply));
    settle();
    return reply;
  }

  void advance(Duration by) {
    clock.advance(by);
    settle();
  }

  /** Runs as a test says, with no thread: each launched run waits until the test enters, ends or stops it. */
  static final class ScriptedRuns implements RunThreads {
    private static final Thread NO_THREAD = new Thread(() -> { }, "scripted run (never started)");
    private final Mailbox mailbox;
    /** Launched, not entered yet. */
    final Set<Run> launched = new LinkedHashSet<>();
    /** Entered, not ended yet. */
    final Set<Run> inside = new LinkedHashSet<>();
    /** Runs whose stop() was called and that have not ended. */
    final Set<Run> stopCalled = new LinkedHashSet<>();
    final List<String> escalations = new ArrayList<>();

    ScriptedRuns(Mailbox mailbox) {
      this.mailbox = mailbox;
    }

    @Override public Run newRun(ServiceEntry entry, int attempt) { return new Run(entry, attempt, mailbox); }

    @Override public void launch(Run run) { launched.add(run); }

    @Override
    public void callStop(Run run) {
      if (run.instance() != null && run.claimStopCall()) {
        stopCalled.add(run);
      }
    }

    @Override
    public void escalate(ServiceEntry entry, Escalation escalation) {
      escalations.add(entry.name);
      mailbox.post(new Message.Escalated(entry, "scripted: no bundle to refresh"));
    }

    @Override public void release(String name, WorkerSource source) { }

    /** The run's thread gets its instance and enters run (or, asked to stop already, ends at once). */
    void enter(Run run) {
      launched.remove(run);
      if (run.stopRequested()) {
        end(run, null);
        return;
      }
      run.attach(NO_THREAD, SCRIPTED);
      inside.add(run);
      mailbox.post(new Message.RunEntered(run));
    }

    /** {@code run} returns ({@code error} null) or throws. */
    void end(Run run, Throwable error) {
      launched.remove(run);
      inside.remove(run);
      stopCalled.remove(run);
      run.finish();
      mailbox.post(new Message.RunEnded(run, error));
    }

    private static final Supervised SCRIPTED = ctx -> {
      throw new AssertionError("a scripted worker's run is never called");
    };
  }
}
