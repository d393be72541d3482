package dev.supervisor.shell;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorAdmin;
import dev.supervisor.api.SupervisorException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Gogo commands of scope {@code supervisor}, registered with the {@code osgi.command.*} service
 * properties that the Felix Gogo runtime and Karaf's shell both look for. Each command prints to
 * {@code System.out} (Gogo gives each session its own) and returns nothing; a bad argument (an unknown
 * service or state, a missing name) ends the command with an {@link IllegalArgumentException} whose message
 * the shell shows as it is ({@code gogo: IllegalArgumentException: ...} in Felix, {@code Error executing
 * command: ...} in Karaf), without a stack trace.
 *
 * <p>A refusal of the supervisor is shown as {@link SupervisorException#forClient()} words it, the same as over
 * JMX.
 *
 * <p>Threads: the shell calls from its session threads; every call goes to the thread-safe {@link Supervisor}
 * (or, to remove, {@link SupervisorAdmin}). Control commands return once the supervisor took the request:
 * they do not wait for a worker; {@code remove} waits until each service has stopped; {@code await} and
 * {@code boot} wait at most their timeout, and an interrupt (Ctrl-C in the shell) ends the wait.
 */
@Component(service = SupervisorCommands.class, property = {
    "osgi.command.scope=supervisor",
    "osgi.command.function=list",
    "osgi.command.function=info",
    "osgi.command.function=start",
    "osgi.command.function=stop",
    "osgi.command.function=restart",
    "osgi.command.function=reset",
    "osgi.command.function=remove",
    "osgi.command.function=tree",
    "osgi.command.function=graph",
    "osgi.command.function=await",
    "osgi.command.function=boot"})
public final class SupervisorCommands {
  /** Up to this many names are listed in an "unknown service" message. */
  private static final int NAMES_IN_MESSAGES = 20;

  private final Supervisor supervisor;
  private final SupervisorAdmin admin;

  /**
   * @param supervisor the supervisor the commands read and control
   * @param admin what {@code remove} goes through (an operator removes what any bundle added)
   */
  @Activate
  public SupervisorCommands(@Reference Supervisor supervisor, @Reference SupervisorAdmin admin) {
    this.supervisor = supervisor;
    this.admin = admin;
  }

  @Descriptor("list the supervised services: name, group, state, since when, restarts, last error")
  public void list(
      @Descriptor("only these states, comma-separated, e.g. RUNNING,BACKOFF")
      @Parameter(names = {"-s", "--state"}, absentValue = "") String states,
      @Descriptor("only this group and its child groups, e.g. ingest")
      @Parameter(names = {"-g", "--group"}, absentValue = "") String group) {
    List<ServiceInfo> all = supervisor.services();
    List<ServiceInfo> shown = ServiceTable.filter(all, ServiceTable.states(states), group);
    out().print(ServiceTable.format(shown, all.size(), Instant.now()));
  }

  @Descriptor("show every metric and the effective spec of a service")
  public void info(
      @Descriptor("add the last failure's stack trace")
      @Parameter(names = {"-t", "--trace"}, presentValue = "true", absentValue = "false") boolean trace,
      @Descriptor("the service") String name) {
    ServiceInfo info = known(name);
    out().print(ServiceDetails.format(info, trace));
  }

  @Descriptor("start services (IDLE or STOPPED; cuts a BACKOFF delay short); FAILED ones need reset")
  public void start(
      @Descriptor("every service, in dependency order")
      @Parameter(names = {"-a", "--all"}, presentValue = "true", absentValue = "false") boolean all,
      @Descriptor("the services") String... names) {
    control("start", all, names, supervisor::start, supervisor::startAll);
  }

  @Descriptor("stop services and keep them (STOPPED); their running dependents stop first")
  public void stop(
      @Descriptor("every service, in reverse dependency order")
      @Parameter(names = {"-a", "--all"}, presentValue = "true", absentValue = "false") boolean all,
      @Descriptor("the services") String... names) {
    control("stop", all, names, supervisor::stop, supervisor::stopAll);
  }

  @Descriptor("restart services (dependents stop first and start again)")
  public void restart(
      @Descriptor("every service that is not FAILED")
      @Parameter(names = {"-a", "--all"}, presentValue = "true", absentValue = "false") boolean all,
      @Descriptor("the services") String... names) {
    control("restart", all, names, supervisor::restart, supervisor::restartAll);
  }

  @Descriptor("reset services: clear restart counts and delays; a FAILED service starts again")
  public void reset(
      @Descriptor("every service")
      @Parameter(names = {"-a", "--all"}, presentValue = "true", absentValue = "false") boolean all,
      @Descriptor("the services") String... names) {
    control("reset", all, names, supervisor::reset, supervisor::resetAll);
  }

  @Descriptor("remove services that a bundle added through the Supervisor service: stop them (dependents first) "
      + "and forget them; an OSGi service registration is refused (unregister it in its bundle, or stop it); a name "
      + "that is not supervised is reported and skipped")
  public void remove(@Descriptor("the services") String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("remove: give one or more service names");
    }
    for (String name : names) {
      Optional<ServiceInfo> target = supervisor.info(name);
      if (target.isEmpty()) {
        out().println(unknown(name, supervisor.services()) + "; nothing to remove");
        continue;
      }
      call(() -> admin.remove(name)); // a refusal ends the command; the lines above say what was removed
      out().println(name + ": removed (was " + target.get().state() + ")");
    }
  }

  @Descriptor("show the supervision groups and their services, with states and dependencies, as a tree")
  public void tree() {
    out().print(SupervisionTree.format(supervisor.groups(), supervisor.services()));
  }

  @Descriptor("print the dependency graph in Graphviz DOT (render with: dot -Tsvg)")
  public void graph() {
    out().print(DependencyDot.format(supervisor.services()));
  }

  @Descriptor("wait until services are RUNNING (for command files and scripts); a name not registered yet is "
      + "waited for too; fails with the state of the first that is not RUNNING when the timeout runs out")
  public void await(
      @Descriptor("how long to wait at most, ISO-8601 (PT30S) or seconds; default PT30S")
      @Parameter(names = {"-t", "--timeout"}, absentValue = "PT30S") String timeout,
      @Descriptor("the services") String... names) throws InterruptedException {
    if (names.length == 0) {
      throw new IllegalArgumentException("await: give one or more service names");
    }
    Duration limit = Durations.parse("await: --timeout", timeout);
    long deadline = System.nanoTime() + limit.toNanos();
    for (String name : names) {
      while (true) {
        Optional<ServiceInfo> info = supervisor.info(name);
        long left = deadline - System.nanoTime();
        if (info.isPresent() && info.get().state() == State.RUNNING) {
          break;
        }
        if (left <= 0) {
          throw new IllegalStateException("await: " + (info.isEmpty() ? "no service named '" + name + "' after "
              : "'" + name + "' is " + info.get().state() + " after ") + Durations.compact(limit));
        }
        if (info.isEmpty()) {
          Thread.sleep(Math.min(50, Math.max(1, left / 1_000_000))); // not registered yet: look again soon
          continue;
        }
        try {
          supervisor.awaitReady(name, Duration.ofNanos(left));
          break;
        } catch (TimeoutException e) {
          // the loop reports the state it ends in
        } catch (SupervisorException e) {
          if (e.kind() != SupervisorException.Kind.UNKNOWN_SERVICE) {
            throw new IllegalStateException("await: " + e.getMessage());
          }
        }
      }
    }
    out().println("RUNNING: " + String.join(", ", names));
  }

  @Descriptor("the boot report: waits until start-up has settled (every service RUNNING or come to rest) or the "
      + "timeout has passed, then prints one line per service with its state and why it is not running (or how "
      + "long it took to become ready); changes nothing")
  public void boot(
      @Descriptor("how long to wait at most, ISO-8601 (PT60S) or seconds; default PT0S: report at once")
      @Parameter(names = {"-t", "--timeout"}, absentValue = "PT0S") String timeout) throws InterruptedException {
    Duration limit = Durations.parse("boot: --timeout", timeout);
    try {
      out().print(supervisor.awaitStarted(limit));
    } catch (SupervisorException e) {
      throw e.forClient(); // worded as over JMX
    }
  }

  // ---------------------------------------------------------------- helpers

  private void control(String verb, boolean all, String[] names, Consumer<String> one, Runnable every) {
    if (all) {
      if (names.length > 0) {
        throw new IllegalArgumentException(verb + ": give service names or --all, not both");
      }
      int count = supervisor.services().size();
      call(every);
      out().println(verb + " requested for all " + ServiceTable.plural(count, "service"));
      return;
    }
    if (names.length == 0) {
      throw new IllegalArgumentException(verb + ": give one or more service names, or --all");
    }
    List<ServiceInfo> targets = new ArrayList<>();
    for (String name : names) {
      targets.add(known(name)); // every name is checked before anything is done
    }
    for (ServiceInfo target : targets) {
      call(() -> one.accept(target.name()));
      out().println(target.name() + ": " + verb + " requested (was " + target.state() + ")");
    }
  }

  /** Runs a supervisor call, turning its refusals into messages for the shell. */
  private static void call(Runnable action) {
    try {
      action.run();
    } catch (SupervisorException e) {
      throw e.forClient(); // worded as over JMX
    }
  }

  private ServiceInfo known(String name) {
    Optional<ServiceInfo> info = supervisor.info(name);
    if (info.isPresent()) {
      return info.get();
    }
    throw new IllegalArgumentException(unknown(name, supervisor.services()));
  }

  /** @return "no service named 'x'; did you mean ...? / the services are ..." */
  static String unknown(String name, List<ServiceInfo> services) {
    String lower = name.toLowerCase(Locale.ROOT);
    List<String> close = services.stream().map(ServiceInfo::name)
        .filter(n -> n.toLowerCase(Locale.ROOT).contains(lower) || lower.contains(n.toLowerCase(Locale.ROOT)))
        .collect(Collectors.toList());
    String message = "no service named '" + name + "'";
    if (!close.isEmpty() && close.size() <= NAMES_IN_MESSAGES) {
      return message + "; did you mean " + String.join(", ", close) + "?";
    }
    if (services.isEmpty()) {
      return message + "; no service is supervised";
    }
    if (services.size() <= NAMES_IN_MESSAGES) {
      return message + "; the services are " + services.stream().map(ServiceInfo::name)
          .collect(Collectors.joining(", "));
    }
    return message + " (" + services.size() + " services: see supervisor:list)";
  }

  /** The session's output: Gogo replaces System.out with one stream per session thread. */
  private static PrintStream out() {
    return System.out;
  }
}
