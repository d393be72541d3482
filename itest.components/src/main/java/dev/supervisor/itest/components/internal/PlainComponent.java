package dev.supervisor.itest.components.internal;

import org.osgi.service.component.annotations.Component;

/** A DS component with no supervisor property at all: supervised only when the configuration names it. */
@Component(name = "itest.plain", service = {}, immediate = true)
public final class PlainComponent {}
