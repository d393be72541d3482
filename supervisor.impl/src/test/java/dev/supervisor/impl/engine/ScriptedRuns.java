package dev.supervisor.impl.engine;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.Supervised;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link RunThreads} of a {@link Stepper}: runs as a test says, with no thread. Each launched run waits
 * until the test enters, ends or stops it; stop() calls are noted; an escalator is called when the stepper
 * has no message left to handle.
 */
final class ScriptedRuns implements RunThreads {
  private static final Thread NO_THREAD = new Thread(() -> { }, "scripted run (never started)");
  /** The worker of every stepped service: the script stands in for its code, which is never called. */
  static final Supervised SCRIPTED = ctx -> {
    throw new AssertionError("a scripted worker's run is never called");
  };
  private final Mailbox mailbox;
  /** Launched, not entered yet. */
  final Set<Run> launched = new LinkedHashSet<>();
  /** Entered, not ended yet (an abandoned run too, until the test ends it). */
  final Set<Run> inside = new LinkedHashSet<>();
  /** Runs whose stop() was called and that have not ended. */
  final Set<Run> stopCalled = new LinkedHashSet<>();
  /** Escalations the engine asked for whose escalator has not been called yet. */
  private final Queue<Runnable> escalating = new ArrayDeque<>();
  /** Names whose escalator was called, in order. */
  final List<String> escalations = new ArrayList<>();
  /** Names whose worker source was closed, in order (once per registration, after its last run). */
  final List<String> released = new ArrayList<>();
  /** Who carries out each name's escalation; a name without one refuses, as a plain API worker does. */
  final Map<String, Escalator> escalators = new ConcurrentHashMap<>();

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

  /** Noted; the escalator is called once no message waits ({@link #callNextEscalator()}). */
  @Override
  public void escalate(ServiceEntry entry, Escalation escalation) {
    escalating.add(() -> {
      String name = entry.name;
      escalations.add(name);
      String refusal = null;
      try {
        // Outside Supervision.handle: an escalator may call the supervisor (a refresh removes and re-adds).
        escalators.getOrDefault(name, Escalator.NONE).escalate(name, escalation);
      } catch (RuntimeException e) {
        refusal = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      mailbox.post(new Message.Escalated(entry, refusal));
    });
  }

  /** Calls the escalator of the oldest escalation asked for and posts its answer. @return whether there was one */
  boolean callNextEscalator() {
    Runnable next = escalating.poll();
    if (next == null) {
      return false;
    }
    next.run();
    return true;
  }

  /** Notes the name whose worker source was closed. */
  @Override public void release(String name, WorkerSource source) { released.add(name); }

  /** @return the run of {@code name} launched and not entered yet; fails if there is none */
  Run launched(String name) {
    return launched.stream().filter(run -> run.name().equals(name)).reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no run of '" + name + "' was launched; launched: " + launched));
  }

  /** @return the newest run of {@code name}: launched, else entered; fails if there is none */
  Run current(String name) {
    for (Set<Run> runs : List.of(launched, inside)) {
      Run newest = runs.stream().filter(run -> run.name().equals(name)).reduce((first, second) -> second)
          .orElse(null);
      if (newest != null) {
        return newest;
      }
    }
    throw new AssertionError("no run of '" + name + "' is live; launched " + launched + ", inside " + inside);
  }

  /** @return whether a run of {@code name} was launched and waits to be entered */
  boolean isLaunched(String name) {
    return launched.stream().anyMatch(run -> run.name().equals(name));
  }

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
}
