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
  private boolean over;

  Ending(int exitStatus, String service, Failure cause) {
    this.exitStatus = exitStatus;
    this.service = service;
    this.cause = cause;
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
