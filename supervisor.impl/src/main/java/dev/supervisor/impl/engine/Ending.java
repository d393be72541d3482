package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import dev.supervisor.api.Termination;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The supervisor is ending: why (the first reason wins), and who waits for the end. Control thread only;
 * callers are answered through the {@link Publisher}.
 */
final class Ending {
  final int exitStatus;
  /** The service whose failure ends the supervisor, or null for a requested close. */
  final String service;
  final Failure cause;
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
  /** Every service registered when the end began: nothing is added or started after that. */
  private final List<ServiceEntry> services;
  /** Those before it have no live run; none gets one again, so the walk never goes back (linear in all). */
  private int firstWithLiveRun;
  private boolean over;

  Ending(int exitStatus, String service, Failure cause, List<ServiceEntry> services) {
    this.exitStatus = exitStatus;
    this.service = service;
    this.cause = cause;
    this.services = services;
  }

  /**
   * Called after every message while ending. A scan of every service each time made closing N running
   * workers quadratic (minutes for 100,000); this one resumes where the last stopped.
   *
   * @return whether no run of any service is left
   */
  boolean everyRunEnded() {
    while (firstWithLiveRun < services.size()) {
      if (services.get(firstWithLiveRun).hasLiveRun()) {
        return false;
      }
      firstWithLiveRun++;
    }
    return true;
  }

  /** @param waiter answered once every run has ended (at once if that is so already); null for nobody */
  void awaitedBy(CompletableFuture<Void> waiter, Publisher publisher) {
    if (waiter == null) {
      return;
    }
    if (over) {
      publisher.reply(waiter, null);
    } else {
      waiters.add(waiter);
    }
  }

  boolean over() {
    return over;
  }

  /** No run is left: listeners hear how it ended, and every waiter is answered. */
  void complete(Instant now, Publisher publisher) {
    over = true;
    publisher.terminated(new Termination(now, exitStatus, Optional.ofNullable(service), Optional.ofNullable(cause)));
    waiters.forEach(waiter -> publisher.reply(waiter, null));
    waiters.clear();
  }
}
