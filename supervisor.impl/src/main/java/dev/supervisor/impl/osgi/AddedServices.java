package dev.supervisor.impl.osgi;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import dev.supervisor.impl.engine.Engine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every bundle added through the {@code Supervisor} service, by registration id, shared by all the
 * bundles' views: a registration missing here is an OSGi service registration. It is what removal by name
 * asks who a service belongs to ({@link RemovalRule}).
 *
 * <p>Threads: any; the map is concurrent, and nothing is held while the engine stops a service.
 */
final class AddedServices {
  private final Engine engine;
  private final Map<Long, ClientSupervisor.ClientToken> byId = new ConcurrentHashMap<>();

  AddedServices(Engine engine) {
    this.engine = engine;
  }

  void added(ClientSupervisor.ClientToken token) {
    byId.put(token.id(), token);
  }

  void forget(ClientSupervisor.ClientToken token) {
    byId.remove(token.id(), token);
  }

  /** @return how many registrations are remembered (for tests) */
  int size() {
    return byId.size();
  }

  /**
   * Removes the service of that name if {@code caller} may ({@link RemovalRule}); blocks until it stopped.
   *
   * @param name the service
   * @param caller the calling bundle's view, or null for an operator
   * @throws SupervisorException INVALID_ARGUMENT for a null name, NOT_OWNER, STOP_FAILURE, SUPERVISOR_STOPPED
   */
  void removeByName(String name, ClientSupervisor caller) {
    if (name == null) {
      throw new SupervisorException(Kind.INVALID_ARGUMENT, null, "remove needs a service name, got null");
    }
    Optional<ServiceInfo> info = engine.info(name);
    if (info.isEmpty()) {
      engine.removeEach(List.of()); // nothing to remove; but a stopped supervisor refuses, as to every control call
      return;
    }
    ClientSupervisor.ClientToken token = byId.get(info.get().id());
    RemovalRule.AddedBy addedBy = token == null ? RemovalRule.AddedBy.AN_OSGI_SERVICE
        : token.addedBy() == caller ? RemovalRule.AddedBy.THE_CALLER : RemovalRule.AddedBy.ANOTHER_BUNDLE;
    SupervisorException refusal = RemovalRule.refusal(name, info.get().owner(), addedBy,
        caller == null ? null : caller.owner());
    if (refusal != null) {
      throw refusal;
    }
    try {
      token.remove(); // through the view that added it, so that its bundle's set forgets it too
    } catch (SupervisorException e) {
      if (e.kind() != Kind.UNKNOWN_SERVICE) {
        throw e;
      }
      // removed meanwhile: what was asked for is done
    }
  }
}
