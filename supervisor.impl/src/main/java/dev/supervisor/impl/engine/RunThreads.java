package dev.supervisor.impl.engine;

import dev.supervisor.api.Escalation;

/**
 * Where the supervisor has code it does not own run (a worker's {@code run} and {@code stop()}, a source's
 * release, an escalator): never on the control thread. What happens there comes back only as messages
 * posted to the mailbox. {@link LiveRunThreads} runs it on carrier threads; tests may script it instead,
 * and step the state machine without a thread.
 */
interface RunThreads {
  /** @return a new run of {@code entry}, whose context talks to the control thread through the mailbox */
  Run newRun(ServiceEntry entry, int attempt);

  /** Starts {@code run}; RunEntered is posted once inside it and RunEnded when it is over. */
  void launch(Run run);

  /** Calls the worker's {@code stop()} (at most once per run); StopFailed is posted if it throws. */
  void callStop(Run run);

  /** Calls the registration's escalator; Escalated is posted with its answer. */
  void escalate(ServiceEntry entry, Escalation escalation);

  /** Closes a worker source. */
  void release(String name, WorkerSource source);
}
