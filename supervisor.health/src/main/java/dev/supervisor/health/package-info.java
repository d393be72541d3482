/**
 * Apache Felix Health Checks for the supervisor: one {@code HealthCheck} service per supervision group
 * (see {@link dev.supervisor.health.GroupHealthChecks}), tagged {@code supervisor} and with the group's
 * path. Not exported: Felix HC finds the checks through their service properties.
 */
package dev.supervisor.health;
