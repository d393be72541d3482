#!/usr/bin/env bash
# Builds the product and starts it: Apache Felix with Declarative Services, the Gogo shell, the supervisor
# and the demo workers. JMX, the demo's HTTP endpoint and the web console listen on 127.0.0.1 only.
#
#   ./run.sh                         build (mvn install -DskipTests), then start
#   JMX_PORT=9011 HTTP_PORT=0 ./run.sh
#   WEB_USERS=web.users ./run.sh     web console with users (name = password,role; role admin may act)
#   SKIP_BUILD=1 ./run.sh            start what was built last
#   COMMANDS=my.gosh ./run.sh        also run the Gogo commands of a file once started (no terminal needed)
#   ./run.sh --wait                  once started, wait until start-up has settled (at most 60 s) and print
#                                    the boot report; --wait=PT2M (or --wait=120) waits up to that instead
#
# Environment: JMX_PORT (default 9010), HTTP_PORT (default 8080, 0 = any free port, logged by demo.http),
# WEB_PORT (default 8088, 0 = any free port, logged by Jetty): the HTTP service with the web console at
# /supervisor/; WEB_USERS (default none: everyone reads, nobody acts): a users file for the web console,
# JAVA (default: java on the PATH), JAVA_OPTS (extra JVM options), SKIP_BUILD=1, COMMANDS (a file of shell
# commands, one a line, each printed after a g! prompt with its output; end it with `stop 0` to quit).
# Quit with `stop 0` in the shell or Ctrl-C. Without a terminal on stdin (CI, `< /dev/null`) the shell runs
# without a session; stop the process with a signal (SIGINT/SIGTERM stop the framework cleanly).
set -euo pipefail
wait_for=""
for arg in "$@"; do
  case "$arg" in
    --wait) wait_for=PT60S ;;
    --wait=*) wait_for="${arg#--wait=}" ;;
    *) echo "run.sh: unknown argument '$arg' (the only one is --wait[=<duration>])" >&2; exit 2 ;;
  esac
done
# COMMANDS is relative to where run.sh was called from: make it absolute before changing directory
if [[ -n "${COMMANDS:-}" ]]; then
  COMMANDS="$(cd "$(dirname "$COMMANDS")" && pwd)/$(basename "$COMMANDS")"
fi
cd "$(dirname "$0")"

JMX_PORT="${JMX_PORT:-9010}"
HTTP_PORT="${HTTP_PORT:-8080}"
WEB_PORT="${WEB_PORT:-8088}"
web_users=()
if [[ -n "${WEB_USERS:-}" ]]; then
  web_users=(-Dsupervisor.webconsole.users="$(cd "$(dirname "$WEB_USERS")" && pwd)/$(basename "$WEB_USERS")")
fi
JAVA="${JAVA:-java}"
DIST=distribution/target

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "run.sh: building (mvn -B -q install -DskipTests) ..."
  mvn -B -q install -DskipTests
fi
if [[ ! -f "$DIST/launcher.jar" ]]; then
  echo "run.sh: $DIST/launcher.jar is missing; run without SKIP_BUILD=1" >&2
  exit 1
fi

# The shell gets a session only when stdin is a terminal (decided here: the JVM can only tell whether both
# stdin and stdout are, and `./run.sh | tee log` should keep the shell). Without one, an interactive shell
# would read end-of-input at once and stop the framework.
if [[ -t 0 ]]; then
  gosh_args=""
else
  gosh_args="--nointeractive"
fi

if [[ "$WEB_PORT" != 0 ]]; then
  echo "run.sh: web console at http://127.0.0.1:$WEB_PORT/supervisor/ ${WEB_USERS:+(users from $WEB_USERS)}"
fi

# exec: Ctrl-C and kill reach the JVM directly; its shutdown hook stops the framework.
# JAVA_OPTS comes last so that its -D options win; it is split on spaces on purpose.
# shellcheck disable=SC2086
exec "$JAVA" \
  -Djava.rmi.server.hostname=127.0.0.1 \
  -Djmx.port="$JMX_PORT" \
  -Ddemo.http.port="$HTTP_PORT" \
  -Dorg.osgi.service.http.port="$WEB_PORT" \
  -Dorg.apache.felix.http.host=127.0.0.1 \
  ${web_users[@]+"${web_users[@]}"} \
  -Dlauncher.bundles="$DIST/bundles" \
  -Dlauncher.storage="$DIST/felix-cache" \
  -Dgosh.args="$gosh_args" \
  -Dlauncher.commands="${COMMANDS:-}" \
  -Dlauncher.wait="$wait_for" \
  ${JAVA_OPTS:-} \
  -cp "$DIST/lib/*:$DIST/launcher.jar" \
  dev.supervisor.launcher.Main
