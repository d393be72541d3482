package dev.supervisor.api;

/** How a group answers the failure of one member (OTP's restart strategies). */
public enum Strategy {
  /** Only the failed member is restarted. The default. */
  ONE_FOR_ONE,
  /** Every member of the group (child groups' services included) is stopped and started again. */
  ONE_FOR_ALL,
  /** The failed member and the members started after it are stopped and started again. */
  REST_FOR_ONE
}
