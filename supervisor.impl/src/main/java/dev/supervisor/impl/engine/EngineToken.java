package dev.supervisor.impl.engine;

import dev.supervisor.api.ServiceToken;

/** The token {@code Engine.add(spec, worker)} returns; it knows its engine, so a foreign one is refused. */
final class EngineToken implements ServiceToken {
  final Engine engine;
  final String name;
  final long id;

  EngineToken(Engine engine, String name, long id) {
    this.engine = engine;
    this.name = name;
    this.id = id;
  }

  @Override public String name() { return name; }

  @Override public void remove() { engine.remove(this); }

  @Override public String toString() { return "token of '" + name + "' (#" + id + ")"; }
}
