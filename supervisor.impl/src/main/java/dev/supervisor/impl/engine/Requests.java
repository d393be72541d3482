package dev.supervisor.impl.engine;

import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a caller's thread talks to the control thread: it posts a request with a future and waits for the
 * answer, and an error the control thread answered with is thrown on the caller's thread as it is. Refused
 * once the engine is closed.
 */
final class Requests {
  private final Inbox inbox;
  private volatile boolean closed;

  Requests(Inbox inbox) {
    this.inbox = inbox;
  }

  /** From now on every request is refused with {@code SUPERVISOR_STOPPED}. */
  void close() {
    closed = true;
  }

  boolean closed() {
    return closed;
  }

  /** Posts the request and waits for its answer. */
  <T> T call(Function<CompletableFuture<T>, Message> request) {
    try {
      return send(request).join();
    } catch (CompletionException | CancellationException e) {
      throw rethrow(e.getCause() == null ? e : e.getCause());
    }
  }

  /**
   * Posts the request without waiting.
   *
   * @return the future the request is answered on
   * @throws SupervisorException SUPERVISOR_STOPPED at once, once the engine is closed
   */
  <T> CompletableFuture<T> send(Function<CompletableFuture<T>, Message> request) {
    if (closed) {
      throw stopped();
    }
    CompletableFuture<T> reply = new CompletableFuture<>();
    inbox.post(request.apply(reply));
    return reply;
  }

  /**
   * Posts a request without waiting: the future is its answer.
   *
   * @param request null when an argument is missing: the future then fails with {@code INVALID_ARGUMENT}
   * @param missing what the caller failed to give, for that error
   */
  <T> CompletableFuture<T> post(Function<CompletableFuture<T>, Message> request, String missing) {
    CompletableFuture<T> reply = new CompletableFuture<>();
    if (request == null) {
      reply.completeExceptionally(new SupervisorException(Kind.INVALID_ARGUMENT, null, missing));
    } else if (closed) {
      reply.completeExceptionally(stopped());
    } else {
      inbox.post(request.apply(reply));
    }
    return reply;
  }

  /** Posts the request and waits for its answer; an interrupt ends the wait, and nothing else. */
  <T> T callInterruptibly(Function<CompletableFuture<T>, Message> request) throws InterruptedException {
    try {
      return send(request).get();
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  /** See {@code Engine.removeEach}: all removals are posted, then all are waited for. */
  void removeEach(Collection<Long> ids) {
    if (closed) {
      throw stopped();
    }
    List<CompletableFuture<Void>> replies = new ArrayList<>();
    for (long id : ids) {
      CompletableFuture<Void> reply = new CompletableFuture<>();
      inbox.post(new Message.Command(Message.Action.REMOVE, null, id, reply));
      replies.add(reply);
    }
    List<SupervisorException> unclean = new ArrayList<>();
    for (CompletableFuture<Void> reply : replies) {
      try {
        reply.join();
      } catch (CompletionException | CancellationException e) {
        RuntimeException error = rethrow(e.getCause() == null ? e : e.getCause());
        if (!(error instanceof SupervisorException refused)) {
          throw error;
        }
        if (refused.kind() == Kind.STOP_FAILURE) {
          unclean.add(refused);
        } else if (refused.kind() != Kind.UNKNOWN_SERVICE) {
          throw refused;
        }
      }
    }
    if (unclean.size() == 1) {
      throw unclean.get(0);
    }
    if (!unclean.isEmpty()) {
      throw new SupervisorException(Kind.STOP_FAILURE, null, unclean.size() + " services were removed, but did "
          + "not stop cleanly: " + unclean.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")));
    }
  }

  /** @return the name, checked: a null name is {@code INVALID_ARGUMENT} */
  static String named(String name) {
    if (name == null) {
      throw new SupervisorException(Kind.INVALID_ARGUMENT, null, "a service name is required, got null");
    }
    return name;
  }

  /** @return the timeout in nanoseconds, capped (a timeout of centuries means: wait) */
  static long nanos(String name, Duration timeout) {
    if (timeout == null) {
      throw new SupervisorException(Kind.INVALID_ARGUMENT, name, "a timeout is required, got null");
    }
    return timeout.isNegative() ? 0 : TimeUnit.NANOSECONDS.convert(timeout);
  }

  /** @return what to throw on the caller's thread for what the control thread answered with */
  static RuntimeException rethrow(Throwable error) {
    if (error instanceof RuntimeException runtime) {
      return runtime;
    }
    if (error instanceof Error fatal) {
      throw fatal;
    }
    return new SupervisorException(Kind.START_FAILURE, null, String.valueOf(error.getMessage()), error);
  }

  static SupervisorException stopped() {
    return new SupervisorException(Kind.SUPERVISOR_STOPPED, null, "the supervisor has been shut down");
  }
}
