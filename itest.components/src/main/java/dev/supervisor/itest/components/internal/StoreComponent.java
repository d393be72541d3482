package dev.supervisor.itest.components.internal;

import dev.supervisor.itest.components.Control;
import dev.supervisor.itest.components.Store;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** A supervised DS component that provides {@link Store}: the provider of the derived dependencies. */
@Component(name = "itest.store", immediate = true, enabled = false, property = {
    "supervisor.component:Boolean=true", "supervisor.autoStart:Boolean=false", "kind=primary"})
public final class StoreComponent implements Store {

  @Activate
  void activate() {
    Control.STORE_ACTIVATIONS.incrementAndGet();
  }

  @Override
  public String read() {
    return "stored";
  }
}
