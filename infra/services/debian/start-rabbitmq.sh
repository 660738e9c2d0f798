#!/usr/bin/env bash
# Start RabbitMQ without systemd and create the `wanxin` administrator.
# Idempotent: if the node already answers, only (re)applies user/permissions.
#
# Runs as root.  Debian's /usr/sbin/rabbitmq{-server,ctl} wrapper then
# re-executes everything as the `rabbitmq` user via `su`, which sets
# HOME=/var/lib/rabbitmq, so server and CLI always share
# /var/lib/rabbitmq/.erlang.cookie (no cookie mismatch whatever HOME the
# caller has, e.g. in CI).
set -euo pipefail

TIMEOUT="${RABBITMQ_START_TIMEOUT:-120}"
LOG="${RABBITMQ_LOG:-/var/log/rabbitmq/rabbitmq-server-ci.log}"

if [ "$(id -u)" -ne 0 ]; then
  echo "start-rabbitmq.sh: must run as root" >&2
  exit 1
fi

# Don't let a caller's RabbitMQ/Erlang env leak into the node or the CLI.
unset RABBITMQ_NODENAME RABBITMQ_ERLANG_COOKIE ERL_LIBS || true

ctl() { rabbitmqctl "$@"; }
alive() { timeout 30 rabbitmqctl status >/dev/null 2>&1; }

if alive; then
  echo "start-rabbitmq.sh: RabbitMQ already running"
else
  # The wrapper cds here and su's to rabbitmq; make sure it all exists.
  mkdir -p /var/lib/rabbitmq /var/log/rabbitmq
  chown rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
  if [ -f /var/lib/rabbitmq/.erlang.cookie ]; then
    chown rabbitmq:rabbitmq /var/lib/rabbitmq/.erlang.cookie
    chmod 400 /var/lib/rabbitmq/.erlang.cookie
  fi

  echo "start-rabbitmq.sh: starting rabbitmq-server (log: $LOG)"
  start=$SECONDS
  # -detached forks the Erlang VM into the background and returns at once.
  rabbitmq-server -detached >>"$LOG" 2>&1 </dev/null

  deadline=$((start + TIMEOUT))
  until alive; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "start-rabbitmq.sh: RabbitMQ did not answer within ${TIMEOUT}s" >&2
      tail -n 40 "$LOG" >&2 || true
      for f in /var/log/rabbitmq/rabbit@*.log; do
        [ -f "$f" ] && { echo "--- $f" >&2; tail -n 40 "$f" >&2; }
      done
      exit 1
    fi
    sleep 1
  done
  remaining=$((deadline - SECONDS)); [ "$remaining" -lt 5 ] && remaining=5
  ctl await_startup --timeout "$remaining" >/dev/null
  echo "start-rabbitmq.sh: RabbitMQ is up after $((SECONDS - start))s"
fi

ctl await_startup --timeout 60 >/dev/null

if ctl list_users --quiet --no-table-headers 2>/dev/null | awk '{print $1}' | grep -qx wanxin; then
  ctl change_password wanxin wanxin >/dev/null
else
  ctl add_user wanxin wanxin >/dev/null
fi
ctl set_user_tags wanxin administrator >/dev/null
ctl set_permissions -p / wanxin ".*" ".*" ".*" >/dev/null

echo "start-rabbitmq.sh: ready on 127.0.0.1:5672 (RabbitMQ $(ctl version 2>/dev/null))"
