package dev.supervisor.health;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervisor;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.junit.jupiter.api.Test;

/** The status rule and the result log of one group's check, against hand-made snapshots. */
class GroupHealthCheckTest {
  private static final Instant SINCE = Instant.parse("2026-11-22T08:00:00Z");
  private static final Failure CRASH = new Failure(FailureKind.EXCEPTION, "java.io.IOException", "broker gone", "",
      SINCE);

  private final Map<String, ServiceInfo> services = new HashMap<>();
  private final List<String> members = new ArrayList<>();
  private State groupState = State.RUNNING;

  @Test
  void theStatusRule() {
    assertEquals(Result.Status.OK, MemberHealth.statusOf(info("a", State.RUNNING, 3, null)), "running after crashes");
    assertEquals(Result.Status.OK, MemberHealth.statusOf(info("a", State.STOPPED, 0, null)), "stopped by hand");
    assertEquals(Result.Status.OK, MemberHealth.statusOf(info("a", State.IDLE, 0, null)));
    assertEquals(Result.Status.OK, MemberHealth.statusOf(info("a", State.WAITING, 0, null)), "waits for a dependency");
    assertEquals(Result.Status.OK, MemberHealth.statusOf(info("a", State.STARTING, 0, null)), "a first start");
    assertEquals(Result.Status.WARN, MemberHealth.statusOf(info("a", State.STARTING, 1, CRASH)));
    assertEquals(Result.Status.WARN, MemberHealth.statusOf(info("a", State.WAITING, 2, CRASH)));
    assertEquals(Result.Status.WARN, MemberHealth.statusOf(info("a", State.BACKOFF, 1, CRASH)));
    assertEquals(Result.Status.CRITICAL, MemberHealth.statusOf(info("a", State.FAILED, 4, CRASH)));
    assertEquals(Result.Status.WARN, MemberHealth.statusOf(info("a", State.WAITING, 0, null, List.of("dbb"))),
        "waits for a name missing past its grace period");
  }

  @Test
  void anOverdueDependencyWarnsNamingTheServiceAndTheDependency() {
    member(info("api", State.WAITING, 0, null, List.of("dbb", "cache")));
    member(info("b", State.RUNNING, 0, null));
    Result result = check("ingest").execute();
    assertEquals(Result.Status.WARN, result.getStatus());
    assertEquals(List.of(
        "WARN service 'api' waits for 'dbb', 'cache', not registered for longer than PT30S "
            + "(supervisor.missingDependencyGrace): a misspelt name, or a bundle that has not started?",
        "OK 1 member(s) fine: b RUNNING"), lines(result));
  }

  @Test
  void somethingWorseStillDecides() {
    member(info("api", State.WAITING, 2, CRASH, List.of("dbb")));
    member(info("c", State.FAILED, 3, CRASH));
    Result result = check("ingest").execute();
    assertEquals(Result.Status.CRITICAL, result.getStatus());
    assertEquals(List.of(
        "WARN service 'api' is WAITING since 2026-11-22T08:00:00Z after 2 consecutive failure(s); last failure: "
            + "EXCEPTION: java.io.IOException: broker gone",
        "WARN service 'api' waits for 'dbb', not registered for longer than PT30S "
            + "(supervisor.missingDependencyGrace): a misspelt name, or a bundle that has not started?",
        "CRITICAL service 'c' is FAILED since 2026-11-22T08:00:00Z after 3 consecutive failure(s); last failure: "
            + "EXCEPTION: java.io.IOException: broker gone"), lines(result));
  }

  @Test
  void allRunningIsOkAndNamesTheMembers() {
    member(info("a", State.RUNNING, 0, null));
    member(info("b", State.RUNNING, 0, null));
    Result result = check("ingest").execute();
    assertEquals(Result.Status.OK, result.getStatus());
    assertEquals(List.of("OK 2 member(s) fine: a RUNNING, b RUNNING"), lines(result));
  }

  @Test
  void theWorstMemberDecidesAndEachNonOkMemberIsNamedWithItsStateAndLastFailure() {
    member(info("a", State.RUNNING, 0, null));
    member(info("b", State.BACKOFF, 1, CRASH));
    member(info("c", State.FAILED, 3, CRASH));
    Result result = check("ingest").execute();
    assertEquals(Result.Status.CRITICAL, result.getStatus());
    assertEquals(List.of(
        "WARN service 'b' is BACKOFF since 2026-11-22T08:00:00Z after 1 consecutive failure(s); last failure: "
            + "EXCEPTION: java.io.IOException: broker gone",
        "CRITICAL service 'c' is FAILED since 2026-11-22T08:00:00Z after 3 consecutive failure(s); last failure: "
            + "EXCEPTION: java.io.IOException: broker gone",
        "OK 1 member(s) fine: a RUNNING"), lines(result));
  }

  @Test
  void aPausedGroupWarnsAndAMissingGroupIsTemporarilyUnavailable() {
    groupState = State.BACKOFF;
    member(info("a", State.RUNNING, 0, null));
    assertEquals(Result.Status.WARN, check("ingest").execute().getStatus());
    assertEquals(Result.Status.TEMPORARILY_UNAVAILABLE, check("nowhere").execute().getStatus());
  }

  @Test
  void namesAndTagsOfTheRootAndOfAGroup() {
    assertEquals("Supervisor group (root)", GroupHealthChecks.nameOf(""));
    assertArrayEquals(new String[] {"supervisor", "supervisor.root"}, GroupHealthChecks.tagsOf(""));
    assertEquals("Supervisor group ingest/kafka", GroupHealthChecks.nameOf("ingest/kafka"));
    assertArrayEquals(new String[] {"supervisor", "ingest/kafka"}, GroupHealthChecks.tagsOf("ingest/kafka"));
  }

  private GroupHealthCheck check(String path) {
    Supervisor supervisor = fake(Supervisor.class, Map.of(
        "group", (Answer) args -> "ingest".equals(args[0]) ? Optional.of(group()) : Optional.empty(),
        "info", (Answer) args -> Optional.ofNullable(services.get((String) args[0]))));
    return new GroupHealthCheck(supervisor, path);
  }

  private GroupInfo group() {
    return fake(GroupInfo.class, Map.of("path", (Answer) args -> "ingest", "state", (Answer) args -> groupState,
        "members", (Answer) args -> List.copyOf(members), "backoffUntil", (Answer) args -> Optional.of(SINCE),
        "failureCount", (Answer) args -> 6.0, "lastFailure", (Answer) args -> Optional.empty()));
  }

  private void member(ServiceInfo info) {
    services.put(info.name(), info);
    members.add(info.name());
  }

  private static ServiceInfo info(String name, State state, int consecutiveFailures, Failure failure) {
    return info(name, state, consecutiveFailures, failure, List.of());
  }

  private static ServiceInfo info(String name, State state, int consecutiveFailures, Failure failure,
      List<String> overdue) {
    ServiceSpec spec = ServiceSpec.builder(name).missingDependencyGrace(Duration.ofSeconds(30)).build();
    return fake(ServiceInfo.class, Map.of("name", (Answer) args -> name, "state", (Answer) args -> state,
        "stateSince", (Answer) args -> SINCE, "consecutiveFailures", (Answer) args -> consecutiveFailures,
        "lastFailure", (Answer) args -> Optional.ofNullable(failure),
        "overdueDependencies", (Answer) args -> overdue, "spec", (Answer) args -> spec));
  }

  private static List<String> lines(Result result) {
    return StreamSupport.stream(result.spliterator(), false).filter(entry -> !entry.isDebug())
        .map(GroupHealthCheckTest::line).collect(Collectors.toList());
  }

  private static String line(ResultLog.Entry entry) {
    return entry.getStatus() + " " + entry.getMessage();
  }

  /** One faked method: its answer from the call's arguments. */
  private interface Answer {
    Object answer(Object[] args);
  }

  private static <T> T fake(Class<T> type, Map<String, Answer> answers) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      Answer answer = answers.get(method.getName());
      if (answer == null) {
        throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName() + " is not faked");
      }
      return answer.answer(args);
    }));
  }
}
