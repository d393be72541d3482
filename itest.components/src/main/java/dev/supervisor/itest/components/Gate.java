package dev.supervisor.itest.components;

/** Needed by the supervised component itest.gated; a test registers and unregisters it. */
public interface Gate {}
