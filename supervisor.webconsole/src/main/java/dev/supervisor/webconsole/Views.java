package dev.supervisor.webconsole;

import dev.supervisor.api.Failure;
import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.ServiceInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** How services and groups look in JSON (the documented shape of {@code /supervisor/api/services} and {@code /groups}). */
final class Views {
  private Views() {}

  static void service(Json json, ServiceInfo info) {
    Set<String> declared = new HashSet<>(info.spec().dependsOn());
    json.beginObject()
        .member("name", info.name())
        .member("id", info.id())
        .member("state", info.state().name())
        .member("since", info.stateSince())
        .member("group", info.group())
        .member("owner", info.owner())
        .member("starts", info.startCount())
        .member("failures", info.failureCount())
        .member("restarts", info.restartCount())
        .member("consecutiveFailures", info.consecutiveFailures())
        .member("uptime", info.currentUptime())
        .member("totalUptime", info.totalUptime())
        .memberInstant("nextRestartAt", info.nextRestartAt())
        .member("dependencies", info.spec().dependsOn())
        .member("derivedDependencies", info.spec().allDependencies().stream().filter(d -> !declared.contains(d)).toList())
        .member("missingDependencies", info.missingDependencies())
        .member("dependents", info.dependents());
    failure(json, "lastError", info.lastFailure());
    json.endObject();
  }

  static void group(Json json, GroupInfo g, boolean withMembers) {
    json.beginObject()
        .member("path", g.path())
        .member("state", g.state().name())
        .member("strategy", g.spec().strategy().name())
        .member("failureCount", g.failureCount())
        .member("failureThreshold", g.spec().failureThreshold())
        .member("failureDecay", g.spec().failureDecay())
        .member("restartsInWindow", g.restartsInWindow())
        .member("maxRestarts", g.spec().maxRestarts())
        .member("restartWindow", g.spec().restartWindow())
        .member("escalations", g.escalations())
        .memberInstant("backoffUntil", g.backoffUntil())
        .member("memberCount", g.members().size())
        .member("children", g.children());
    if (withMembers) {
      json.member("members", g.members());
    }
    failure(json, "lastFailure", g.lastFailure());
    json.endObject();
  }

  static void failure(Json json, String name, Optional<Failure> failure) {
    json.name(name);
    if (failure.isEmpty()) {
      json.nullValue();
      return;
    }
    Failure f = failure.get();
    json.beginObject()
        .member("kind", f.kind().name())
        .member("exception", f.exceptionClass())
        .member("message", f.message())
        .member("time", f.time())
        .endObject();
  }

  static String services(List<ServiceInfo> page, int total, int matched, int offset, int limit,
      int[] stateCounts) {
    Json json = new Json().beginObject()
        .member("total", total)
        .member("matched", matched)
        .member("offset", offset)
        .member("limit", limit);
    json.name("counts").beginObject();
    for (dev.supervisor.api.State s : dev.supervisor.api.State.values()) {
      json.member(s.name(), stateCounts[s.ordinal()]);
    }
    json.endObject().name("services").beginArray();
    for (ServiceInfo info : page) {
      service(json, info);
    }
    return json.endArray().endObject().toString();
  }
}
