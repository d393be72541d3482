package dev.supervisor.health;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervisor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;

/**
 * The health of one supervision group: its direct members by {@link MemberHealth}'s rule, and the group's
 * own state ({@code BACKOFF} while its restarts pause is a warning, {@code FAILED} critical). Child groups
 * have checks of their own. The result's log names every member that is not OK, with its state, since
 * when, its consecutive failures and its last failure, or with the dependencies it has waited for past their
 * grace period; when all are fine it names them in one line.
 *
 * <p>Threads: Felix HC calls {@link #execute} on its own threads; it reads the supervisor's snapshots
 * only, which never wait for the supervisor.
 */
final class GroupHealthCheck implements HealthCheck {
  private final Supervisor supervisor;
  private final String path;

  GroupHealthCheck(Supervisor supervisor, String path) {
    this.supervisor = supervisor;
    this.path = path;
  }

  /** @return how operators read the group's path: "(root)" for the root group */
  static String displayName(String path) {
    return path.isEmpty() ? "(root)" : path;
  }

  @Override
  public Result execute() {
    FormattingResultLog log = new FormattingResultLog();
    Optional<GroupInfo> found = supervisor.group(path);
    if (found.isEmpty()) {
      log.temporarilyUnavailable("supervision group {} does not exist (any more)", displayName(path));
      return new Result(log);
    }
    GroupInfo group = found.get();
    if (group.state() == State.FAILED) {
      log.critical("group {} gave up (over its restart intensity); last failure: {}", displayName(path),
          group.lastFailure().map(Object::toString).orElse("none"));
    } else if (group.state() == State.BACKOFF) {
      log.warn("group {} pauses restarts until {} (failure count {})", displayName(path),
          group.backoffUntil().map(Object::toString).orElse("?"), String.format(Locale.ROOT, "%.2f", group.failureCount()));
    }
    List<String> fine = new ArrayList<>();
    for (String name : group.members()) {
      Optional<ServiceInfo> member = supervisor.info(name);
      if (member.isEmpty()) {
        continue; // removed since the group snapshot was taken
      }
      ServiceInfo info = member.get();
      Result.Status status = MemberHealth.statusOf(info);
      if (status == Result.Status.OK) {
        fine.add(name + " " + info.state());
        continue;
      }
      String failure = info.lastFailure().map(Object::toString).orElse("none");
      if (status == Result.Status.CRITICAL) {
        log.critical("service '{}' is {} since {} after {} consecutive failure(s); last failure: {}", name,
            info.state(), info.stateSince(), info.consecutiveFailures(), failure);
        continue; // the worst there is: nothing else about it needs saying
      }
      if (MemberHealth.isRestarting(info)) {
        log.warn("service '{}' is {} since {} after {} consecutive failure(s); last failure: {}", name,
            info.state(), info.stateSince(), info.consecutiveFailures(), failure);
      }
      if (MemberHealth.hasOverdueDependencies(info)) {
        log.warn("service '{}' waits for {}, not registered for longer than {} (supervisor.missingDependencyGrace):"
            + " a misspelt name, or a bundle that has not started?", name,
            info.overdueDependencies().stream().map(d -> "'" + d + "'").collect(Collectors.joining(", ")),
            info.spec().missingDependencyGrace());
      }
    }
    if (!fine.isEmpty()) {
      log.info("{} member(s) fine: {}", fine.size(), String.join(", ", fine));
    } else if (group.members().isEmpty()) {
      log.info("group {} has no members", displayName(path));
    }
    return new Result(log);
  }

  @Override
  public String toString() {
    return "health check of supervision group " + displayName(path);
  }
}
