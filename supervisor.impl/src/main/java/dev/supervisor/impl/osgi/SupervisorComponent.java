package dev.supervisor.impl.osgi;

import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorAdmin;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorGroup;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.api.Termination;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.Escalator;
import dev.supervisor.impl.engine.GroupSpecProperties;
import dev.supervisor.impl.engine.Jitter;
import dev.supervisor.impl.engine.RunThreadMode;
import dev.supervisor.impl.engine.RunThreadModeProperty;
import dev.supervisor.impl.engine.SpecProperties;
import dev.supervisor.impl.engine.SystemScheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The OSGi face of the engine: tracks every {@code Supervised} service (whiteboard) and every
 * {@code SupervisorListener} service, and registers the {@link Supervisor} service (bundle scope, so what
 * a bundle adds is removed when it stops) and the {@link SupervisorAdmin} service (for operators' tools).
 *
 * <p>Stopping order: a bundle that stops has its workers stopped, dependents first, from a synchronous
 * bundle listener, before its services are unregistered; a worker service unregistered on its own is
 * stopped inside the unregistration callback, before the object goes away. Deactivation (the impl bundle
 * stopping, or the framework shutting down) withdraws every readiness condition, then stops everything in
 * reverse order and ends every thread.
 *
 * <p>Readiness conditions: while a service is RUNNING, a {@code Condition} service with
 * {@code osgi.condition.id=supervisor.<name>} is registered (see {@link ConditionPublisher}), where the
 * framework exports {@code org.osgi.service.condition} (OSGi R8: Felix 7 does).
 */
@Component(immediate = true, service = {}, configurationPid = SupervisorComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SupervisorConfiguration.class)
public final class SupervisorComponent {
  /** The configuration PID: defaults, the root group, the fatal action (see {@link SupervisorConfiguration}). */
  public static final String PID = "dev.supervisor";
  /** Configuration key: {@code STOP_SUPERVISOR} (default) or {@code STOP_FRAMEWORK}. */
  public static final String FATAL_ACTION = "fatal.action";

  /**
   * Framework (or system) property: {@code true} makes a fatal error, or the root group giving up, stop
   * the whole OSGi framework, so an appliance process ends; the exit status is left in the system property
   * {@link #EXIT_STATUS} for the launcher to exit with.
   */
  public static final String STOP_FRAMEWORK_ON_FATAL = "dev.supervisor.fatal.stopFramework";
  /** System property set to the exit status when the framework is stopped because of a fatal error. */
  public static final String EXIT_STATUS = "dev.supervisor.exitStatus";

  private final BundleContext context;
  private final OsgiLog log;
  private final SystemScheduler scheduler;
  private final EventBridge events;
  /** The root group as PID {@code dev.supervisor} configures it (the defaults without it). */
  private volatile GroupSpec configuredRoot = GroupSpecProperties.defaults("");
  /** The readiness conditions {@code supervisor.<name>}; null where the framework has no Condition API. */
  private final ConditionPublisher conditions;
  /** What {@code supervisor.threads} asked for at activation: the engine's mode until it is made again. */
  private final RunThreadMode threads;
  private final Engine engine;
  private final ServiceComponentRuntime scr;
  private final Registrar registrar;
  private final SupervisedComponents components;
  /** Refreshes a worker's bundle when its spec escalates ({@code supervisor.escalate=REFRESH_BUNDLE}). */
  private final BundleRefresher refresher;
  /** Each tracked worker service and the engine registration (accepted or rejected) made for it. */
  private final Map<ServiceReference<Supervised>, Long> registrations = new ConcurrentHashMap<>();
  /** Each tracked group-spec service and the path it configured. */
  private final Map<ServiceReference<SupervisorGroup>, String> groupSpecs = new ConcurrentHashMap<>();
  private final SynchronousBundleListener bundleListener = this::bundleChanged;
  /** What bundles added through the Supervisor service: whose each service is, for removal by name. */
  private final AddedServices added;
  private final ServiceRegistration<Supervisor> registration;
  private final ServiceRegistration<SupervisorAdmin> adminRegistration;
  private volatile boolean closing;
  private volatile boolean stopFrameworkOnFatal;

  /**
   * Starts the engine and registers the Supervisor service. Constructor injection: the engine exists
   * before SCR calls any bind method.
   *
   * @param context the impl bundle's context
   * @param configuration the component's properties, with those of PID dev.supervisor when it exists
   * @param scr the runtime of Declarative Services (the one running this component): supervised DS
   *     components and the references that derived dependencies come from
   */
  @Activate
  public SupervisorComponent(BundleContext context, Map<String, Object> configuration,
      @Reference ServiceComponentRuntime scr) {
    this.context = context;
    this.scr = scr;
    this.log = new OsgiLog(context);
    this.scheduler = new SystemScheduler();
    this.threads = threadsAtActivation(configuration);
    this.engine = new Engine(scheduler, Jitter.RANDOM, log, threads);
    this.refresher = new BundleRefresher(context, log);
    this.registrar = new Registrar(engine, log);
    this.components = new SupervisedComponents(context, scr, registrar, engine, refresher, log);
    this.events = new EventBridge(context, log);
    engine.addListener(events);
    this.conditions = ConditionPublisher.conditionsAvailable()
        ? new ConditionPublisher(new ConditionRegistrar(context), log) : null;
    if (conditions != null) {
      conditions.attach(engine);
    } else {
      log.info("the framework exports no org.osgi.service.condition: no readiness conditions are registered");
    }
    configure(configuration);
    context.addBundleListener(bundleListener);
    components.open();
    this.added = new AddedServices(engine);
    this.registration = context.registerService(Supervisor.class, new SupervisorFactory(), null);
    this.adminRegistration = context.registerService(SupervisorAdmin.class, new AdminSupervisor(added), null);
    engine.whenTerminated().thenAccept(this::terminated);
  }

  /**
   * On a dispatcher thread, once every service has stopped after a fatal error, a service's request to end
   * ({@code FatalException(0)}), or a close. A close ends here; the other two may end the framework.
   */
  private void terminated(Termination termination) {
    if (closing || termination.service().isEmpty()) {
      return;
    }
    String again = "; restart bundle " + context.getBundle().getSymbolicName() + " to supervise again";
    if (termination.isNormal()) {
      log.info("supervisor ended at the request of service '" + termination.service().get() + "' (exit status 0)"
          + again);
    } else {
      log.error("supervisor terminated with exit status " + termination.exitStatus() + ": "
          + termination.cause().map(Object::toString).orElse("") + again, null);
    }
    if (stopFrameworkOnFatal || Boolean.parseBoolean(context.getProperty(STOP_FRAMEWORK_ON_FATAL))) {
      System.setProperty(EXIT_STATUS, String.valueOf(termination.exitStatus()));
      Thread stopper = new Thread(this::stopFramework, "supervisor-framework-stop");
      stopper.start();
    }
  }

  private void stopFramework() {
    try {
      log.error(STOP_FRAMEWORK_ON_FATAL + " is set: stopping the OSGi framework", null);
      context.getBundle(0).stop();
    } catch (org.osgi.framework.BundleException | IllegalStateException e) {
      log.error("could not stop the OSGi framework after a fatal error", e);
    }
  }

  /**
   * {@code supervisor.threads} when the engine is made. A bad value cannot keep the supervisor from starting,
   * so it is logged and the default used; it holds back no other key, since none depends on it.
   */
  private RunThreadMode threadsAtActivation(Map<String, Object> configuration) {
    try {
      return RunThreadModeProperty.read(PID, configuration);
    } catch (SupervisorException e) {
      log.error(e.getMessage() + " (any letter case); runs use " + RunThreadMode.PLATFORM + " threads, the default",
          null);
      return RunThreadMode.PLATFORM;
    }
  }

  /**
   * {@code supervisor.threads} in a changed configuration. A running engine keeps its threads (runs are on
   * them), and SCR calls {@link #modified} rather than activating the component again, so a new mode waits for
   * the next activation; the operator is told, since "changes apply live" holds for every other key.
   */
  private void threadsChanged(Map<String, Object> configuration) {
    String kept = "the supervisor keeps the threads it started with (" + RunThreadModeProperty.KEY + " = " + threads
        + ") until it starts again (bundle " + context.getBundle().getSymbolicName() + " restarted)";
    try {
      RunThreadMode asked = RunThreadModeProperty.read(PID, configuration);
      if (asked != threads) {
        log.warn("configuration '" + PID + "': " + RunThreadModeProperty.KEY + " = " + asked + " is read only when "
            + "the supervisor starts: " + kept, null);
      }
    } catch (SupervisorException e) {
      log.error(e.getMessage() + " (any letter case); ignored (the other keys are read as usual): " + kept, null);
    }
  }

  /**
   * A changed configuration: checked whole first (a bad value is logged with the PID, the key and the value,
   * and the previous configuration stays in force), then applied live: every registration gets its new
   * effective spec for its next decision, without disturbing its run. {@code supervisor.threads} is the
   * exception: read when the component is activated (see {@link #threadsChanged}).
   *
   * @param configuration the new properties of PID dev.supervisor (empty when it was deleted)
   */
  @Modified
  void modified(Map<String, Object> configuration) {
    threadsChanged(configuration);
    if (!configure(configuration)) {
      return;
    }
    for (long refused : registrar.respecAll()) {
      // Rejected before or after, or a change the engine cannot make live: register it afresh.
      registrations.entrySet().stream().filter(e -> e.getValue() == refused).findFirst()
          .ifPresent(e -> updateWorker(e.getKey()));
    }
  }

  /** @return whether the configuration was valid and is now in force */
  private boolean configure(Map<String, Object> configuration) {
    Map<String, Object> newDefaults;
    GroupSpec root;
    boolean stopFramework;
    Set<String> supervisedComponents;
    try {
      newDefaults = SpecProperties.defaults(PID, configuration);
      supervisedComponents = SupervisedComponents.parseConfigured(configuration.get(SupervisedComponents.CONFIGURED));
      Map<String, Object> rootProperties = new HashMap<>(configuration);
      rootProperties.put(GroupSpec.PATH, "");
      root = GroupSpecProperties.parse(rootProperties);
      stopFramework = fatalActionStopsFramework(configuration.get(FATAL_ACTION));
    } catch (SupervisorException e) {
      String message = e.getMessage().startsWith("configuration") ? e.getMessage()
          : "configuration '" + PID + "': " + e.getMessage();
      log.error(message + "; the previous configuration stays in force", null);
      return false;
    }
    registrar.defaults(newDefaults);
    components.configured(supervisedComponents);
    stopFrameworkOnFatal = stopFramework;
    configuredRoot = root;
    try {
      engine.configureGroup(root);
    } catch (SupervisorException stopped) {
      return false;
    }
    return true;
  }

  private static boolean fatalActionStopsFramework(Object value) {
    if (value == null || "STOP_SUPERVISOR".equals(value)) {
      return false;
    }
    if ("STOP_FRAMEWORK".equals(value)) {
      return true;
    }
    throw SupervisorException.invalidProperty(null, FATAL_ACTION, value, "must be STOP_SUPERVISOR or STOP_FRAMEWORK");
  }

  @Deactivate
  void deactivate() {
    closing = true;
    components.close();
    engine.removeListener(events);
    events.close();
    if (conditions != null) {
      // Before the workers stop: components gated on a worker go first, as dependents do.
      engine.removeListener(conditions);
      conditions.close();
    }
    context.removeBundleListener(bundleListener);
    for (ServiceRegistration<?> each : List.of(adminRegistration, registration)) {
      try {
        each.unregister();
      } catch (IllegalStateException alreadyGone) {
        // the framework is tearing the bundle down and unregistered it first
      }
    }
    engine.close();
    scheduler.shutdown();
    log.close();
    registrations.clear();
  }

  // ---------------------------------------------------------------- worker services

  @Reference(service = Supervised.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, unbind = "removeWorker", updated = "updateWorker")
  void addWorker(ServiceReference<Supervised> reference) {
    if (closing) {
      return;
    }
    Bundle bundle = reference.getBundle();
    String owner = ownerOf(bundle);
    // The registering bundle is the one an escalation refreshes (null: unregistered meanwhile, nothing to refresh).
    Escalator escalator = bundle == null ? Escalator.NONE : refresher.forBundle(bundle);
    long id = registrar.register(propertiesOf(reference), new ReferenceSource(context, reference), owner,
        "service.id=" + reference.getProperty(Constants.SERVICE_ID), interfacesOf(reference), needsOf(reference),
        spec -> spec, escalator);
    if (id >= 0) {
      registrations.put(reference, id);
    }
  }

  /** A worker that is itself a DS component has references: the source of its derived dependencies. */
  private List<DependencyDeriver.Need> needsOf(ServiceReference<Supervised> reference) {
    Object component = reference.getProperty(ComponentConstants.COMPONENT_NAME);
    Bundle bundle = reference.getBundle();
    if (!(component instanceof String name) || bundle == null) {
      return List.of();
    }
    try {
      ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(bundle, name);
      return description == null ? List.of()
          : DependencyDeriver.needsOf(description, warning -> log.warn(warning, null));
    } catch (RuntimeException goneMeanwhile) {
      return List.of();
    }
  }

  private static List<String> interfacesOf(ServiceReference<?> reference) {
    Object objectClass = reference.getProperty(Constants.OBJECTCLASS);
    return objectClass instanceof String[] names ? List.of(names) : List.of();
  }

  void updateWorker(ServiceReference<Supervised> reference) {
    // New properties may mean a new name, dependencies or policy: re-register, as a new registration would.
    removeWorker(reference);
    addWorker(reference);
  }

  void removeWorker(ServiceReference<Supervised> reference) {
    Long id = registrations.remove(reference);
    if (id != null) {
      registrar.unregister(id);
    }
  }

  /** Synchronous: runs before the stopping bundle's services are unregistered. */
  private void bundleChanged(BundleEvent event) {
    if (event.getType() != BundleEvent.STOPPING || closing) {
      return;
    }
    Bundle stopping = event.getBundle();
    List<Long> ids = new ArrayList<>();
    for (Map.Entry<ServiceReference<Supervised>, Long> entry : registrations.entrySet()) {
      if (stopping.equals(entry.getKey().getBundle()) && registrations.remove(entry.getKey(), entry.getValue())) {
        ids.add(entry.getValue());
      }
    }
    // Each removal stops the service's running dependents first, so removing in any order stops in
    // reverse dependency order.
    for (long id : ids) {
      registrar.unregister(id);
    }
  }

  // ---------------------------------------------------------------- group specs

  @Reference(service = SupervisorGroup.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, unbind = "removeGroupSpec", updated = "updateGroupSpec")
  void addGroupSpec(ServiceReference<SupervisorGroup> reference) {
    try {
      GroupSpec spec = GroupSpecProperties.parse(propertiesOf(reference));
      engine.configureGroup(spec);
      groupSpecs.put(reference, spec.path());
    } catch (SupervisorException e) {
      if (e.kind() != SupervisorException.Kind.SUPERVISOR_STOPPED) {
        log.error("ignored the SupervisorGroup service " + reference.getProperty(Constants.SERVICE_ID) + " from "
            + ownerOf(reference.getBundle()) + ": " + e.getMessage(), null);
      }
    }
  }

  void updateGroupSpec(ServiceReference<SupervisorGroup> reference) {
    removeGroupSpec(reference);
    addGroupSpec(reference);
  }

  void removeGroupSpec(ServiceReference<SupervisorGroup> reference) {
    String path = groupSpecs.remove(reference);
    if (path != null && !closing) {
      try {
        // The root goes back to what PID dev.supervisor says of it, any other group to the defaults.
        engine.configureGroup(path.isEmpty() ? configuredRoot : GroupSpecProperties.defaults(path));
      } catch (SupervisorException stopped) {
        // terminated: nothing to configure any more
      }
    }
  }

  // ---------------------------------------------------------------- listeners

  @Reference(service = SupervisorListener.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, unbind = "removeListener")
  void addListener(SupervisorListener listener) {
    engine.addListener(listener);
  }

  void removeListener(SupervisorListener listener) {
    engine.removeListener(listener);
  }

  // ---------------------------------------------------------------- helpers

  private static Map<String, Object> propertiesOf(ServiceReference<?> reference) {
    Map<String, Object> properties = new HashMap<>();
    for (String key : reference.getPropertyKeys()) {
      properties.put(key, reference.getProperty(key));
    }
    return properties;
  }

  static String ownerOf(Bundle bundle) {
    return bundle == null ? "(unregistered)" : bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]";
  }

  /** One {@link ClientSupervisor} per using bundle. */
  private final class SupervisorFactory implements ServiceFactory<Supervisor> {
    @Override
    public Supervisor getService(Bundle bundle, ServiceRegistration<Supervisor> registration) {
      return new ClientSupervisor(engine, ownerOf(bundle), refresher.forBundle(bundle), added);
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<Supervisor> registration, Supervisor service) {
      ((ClientSupervisor) service).release();
    }
  }
}
