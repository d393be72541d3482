package dev.supervisor.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.State;
import dev.supervisor.api.SupervisorException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The commands as the Felix Gogo runtime 1.1.6 sees them: registered under the functions the component's
 * {@code osgi.command.function} property names, called with Gogo's own parsing of options and arguments.
 */
class GogoCommandsTest {
  private static final String[] FUNCTIONS = {"list", "info", "start", "stop", "restart", "reset", "remove", "tree",
      "graph", "await", "boot"};

  private final ThreadIOImpl threadIo = new ThreadIOImpl();
  private CommandProcessorImpl processor;
  private CommandSession session;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private FakeSupervisor supervisor;

  @BeforeEach
  void startGogo() {
    threadIo.start();
    processor = new CommandProcessorImpl(threadIo);
    List<dev.supervisor.api.ServiceInfo> services = new ArrayList<>(Samples.services());
    services.add(Fakes.service(5, "broken", State.FAILED, ""));
    supervisor = new FakeSupervisor(services, Samples.groups());
    SupervisorCommands commands = new SupervisorCommands(supervisor, name -> {
      if (name.equals("http")) { // as if http were a whiteboard registration
        throw new SupervisorException(SupervisorException.Kind.NOT_OWNER, name,
            "cannot remove service 'http': it is registered as an OSGi service (or component) by bundle demo [7]");
      }
      supervisor.calls.add("remove " + name);
    });
    for (String function : FUNCTIONS) {
      processor.addCommand("supervisor", commands, function);
    }
    session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
  }

  @AfterEach
  void stopGogo() {
    session.close();
    threadIo.stop();
  }

  private String run(String line) throws Exception {
    out.reset();
    Object result = session.execute(line);
    assertEquals(null, result, "commands print and return nothing");
    System.out.flush();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listWithOptions() throws Exception {
    String all = run("supervisor:list");
    assertTrue(all.startsWith("NAME "), all);
    assertTrue(all.endsWith("5 services: 1 WAITING, 2 RUNNING, 1 BACKOFF, 1 FAILED\n"), all);
    assertTrue(run("list -s running,backoff").endsWith("3 of 5 services: 2 RUNNING, 1 BACKOFF\n"));
    assertTrue(run("supervisor:list --group ingest/kafka").endsWith("2 of 5 services: 1 RUNNING, 1 BACKOFF\n"));
    assertTrue(run("supervisor:list --state RUNNING --group ingest").endsWith("1 of 5 services: 1 RUNNING\n"));
  }

  @Test
  void controlCommandsTakeNamesOrAll() throws Exception {
    assertEquals("http: stop requested (was RUNNING)\nparser: stop requested (was WAITING)\n",
        run("supervisor:stop http parser"));
    assertEquals("restart requested for all 5 services\n", run("supervisor:restart --all"));
    run("start -a");
    run("reset broken");
    assertEquals(List.of("stop http", "stop parser", "restartAll", "startAll", "reset broken"), supervisor.calls);
  }

  @Test
  void badArgumentsGiveMessagesAndDoNothing() {
    assertEquals("no service named 'nope'; the services are http, kafka.client, kafka.consumer, parser, broken",
        assertThrows(IllegalArgumentException.class, () -> run("supervisor:stop http nope")).getMessage());
    assertEquals("stop: give one or more service names, or --all",
        assertThrows(IllegalArgumentException.class, () -> run("supervisor:stop")).getMessage());
    assertEquals("start: give service names or --all, not both",
        assertThrows(IllegalArgumentException.class, () -> run("supervisor:start --all http")).getMessage());
    assertEquals("service 'broken' is FAILED: reset it first [ILLEGAL_STATE]",
        assertThrows(IllegalStateException.class, () -> run("supervisor:start broken")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> run("supervisor:info nope")).getMessage()
        .startsWith("no service named 'nope'"));
    assertEquals(List.of(), supervisor.calls, "nothing done for a command with a bad name");
  }

  @Test
  void removeGoesThroughTheAdminAndSkipsWhatIsNotSupervised() throws Exception {
    assertEquals("parser: removed (was WAITING)\nno service named 'nope'; the services are http, kafka.client, "
        + "kafka.consumer, parser, broken; nothing to remove\nbroken: removed (was FAILED)\n",
        run("supervisor:remove parser nope broken"));
    assertEquals(List.of("remove parser", "remove broken"), supervisor.calls);
  }

  @Test
  void removeShowsARefusalAsJmxDoes() {
    assertEquals("cannot remove service 'http': it is registered as an OSGi service (or component) by bundle "
        + "demo [7] [NOT_OWNER]",
        assertThrows(IllegalArgumentException.class, () -> run("supervisor:remove http")).getMessage());
    assertEquals("remove: give one or more service names",
        assertThrows(IllegalArgumentException.class, () -> run("supervisor:remove")).getMessage());
    assertEquals(List.of(), supervisor.calls);
  }

  @Test
  void awaitReturnsWhenRunningAndReportsTheStateWhenTheTimeRunsOut() throws Exception {
    assertEquals("RUNNING: http, kafka.client\n", run("supervisor:await http kafka.client").replace("\r", ""));
    assertEquals("await: 'kafka.consumer' is BACKOFF after 0.2s",
        assertThrows(IllegalStateException.class, () -> run("supervisor:await -t PT0.2S http kafka.consumer"))
            .getMessage());
    assertEquals("await: no service named 'nope' after 0s",
        assertThrows(IllegalStateException.class, () -> run("supervisor:await --timeout 0 nope")).getMessage());
    assertEquals("await: --timeout 'soon' is not a duration: use ISO-8601 (PT30S) or seconds (30)",
        assertThrows(IllegalArgumentException.class, () -> run("supervisor:await -t soon http")).getMessage());
    assertEquals("await: give one or more service names",
        assertThrows(IllegalArgumentException.class, () -> run("supervisor:await")).getMessage());
    assertEquals(List.of(), supervisor.calls, "await changes nothing");
  }

  @Test
  void bootPrintsTheReportAtOnceOrAfterWaiting() throws Exception {
    String report = run("supervisor:boot").replace("\r", "");
    assertTrue(report.startsWith("start-up settled: 2 of 5 services RUNNING\n"), report);
    assertTrue(report.contains("  kafka.consumer  BACKOFF   backoff\n"), report);
    assertTrue(report.matches("(?s).*  http            RUNNING   ready in \\d+ ms\n.*"), report);
    run("supervisor:boot --timeout PT1M");
    run("supervisor:boot -t 90");
    assertEquals(List.of(Duration.ZERO, Duration.ofMinutes(1), Duration.ofSeconds(90)), supervisor.bootWaits);
    assertEquals(List.of(), supervisor.calls, "boot changes nothing");
  }

  /** Bad input for the boot command's option: an error naming the option and the value, and no wait. */
  @Test
  void bootRefusesABadTimeoutNamingTheOptionAndTheValue() {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("supervisor:boot --timeout soon",
        "boot: --timeout 'soon' is not a duration: use ISO-8601 (PT30S) or seconds (30)");
    rows.put("supervisor:boot -t PT-5S", "boot: --timeout 'PT-5S' is negative: give 0 or more");
    rows.put("supervisor:boot -t -5",
        "boot: --timeout '-5' is not a duration: use ISO-8601 (PT30S) or seconds (30)");
    rows.put("supervisor:boot -t 99999999999999999999", "boot: --timeout '99999999999999999999' is not a "
        + "duration: use ISO-8601 (PT30S) or seconds (30)");
    rows.put("supervisor:boot -t 1.5", "boot: --timeout '1.5' is not a duration: use ISO-8601 (PT30S) or seconds (30)");
    rows.put("supervisor:boot -t ''", "boot: --timeout '' is not a duration: use ISO-8601 (PT30S) or seconds (30)");
    rows.forEach((line, message) -> assertEquals(message,
        assertThrows(IllegalArgumentException.class, () -> run(line), line).getMessage(), line));
    assertEquals(List.of(), supervisor.bootWaits, "nothing waited for");
  }

  @Test
  void infoTreeAndGraph() throws Exception {
    assertTrue(run("supervisor:info kafka.consumer").startsWith("kafka.consumer\n  state "));
    assertTrue(run("supervisor:info -t kafka.consumer").contains("last failure's stack trace"));
    assertTrue(run("supervisor:tree").startsWith("(root) [RUNNING] ONE_FOR_ONE\n|-- broken [FAILED]\n"));
    assertTrue(run("supervisor:graph").startsWith("digraph supervisor {\n"));
  }
}
