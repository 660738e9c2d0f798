#!/usr/bin/env bash
# Start MariaDB without systemd and create the `wanxin` user.
# Idempotent: if the server already answers, only (re)applies the grants.
set -euo pipefail

LOG="${MARIADB_LOG:-/var/log/mysql/mariadbd-ci.log}"
TIMEOUT="${MARIADB_START_TIMEOUT:-60}"
DATADIR="${MARIADB_DATADIR:-/var/lib/mysql}"

if [ "$(id -u)" -ne 0 ]; then
  echo "start-mariadb.sh: must run as root (uses unix_socket auth for root)" >&2
  exit 1
fi

ping_db() { mariadb --connect-timeout=2 -e 'select 1' >/dev/null 2>&1; }

if ping_db; then
  echo "start-mariadb.sh: MariaDB already running"
else
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld
  mkdir -p "$(dirname "$LOG")"
  touch "$LOG"
  chown mysql:mysql "$LOG" 2>/dev/null || true

  # Fresh data dir (e.g. package installed with --no-triggers): initialise it.
  if [ ! -d "$DATADIR/mysql" ]; then
    echo "start-mariadb.sh: initialising $DATADIR"
    mariadb-install-db --user=mysql --datadir="$DATADIR" >>"$LOG" 2>&1
  fi

  # A stale pid/socket from a killed server would confuse the new one.
  if ! pgrep -x mariadbd >/dev/null 2>&1; then
    rm -f /run/mysqld/mysqld.sock /run/mysqld/mysqld.sock.lock /run/mysqld/mysqld.pid
  fi

  echo "start-mariadb.sh: starting mariadbd (log: $LOG)"
  # Debian's 50-server.cnf already has bind-address=127.0.0.1 and no
  # skip-networking; force them on the command line anyway so a changed
  # config cannot silently disable TCP.
  setsid nohup mariadbd --user=mysql \
    --bind-address=127.0.0.1 --port=3306 --skip-networking=0 \
    >>"$LOG" 2>&1 </dev/null &
  pid=$!

  deadline=$((SECONDS + TIMEOUT))
  until ping_db; do
    if ! kill -0 "$pid" 2>/dev/null && ! pgrep -x mariadbd >/dev/null 2>&1; then
      echo "start-mariadb.sh: mariadbd exited during startup; last log lines:" >&2
      tail -n 40 "$LOG" >&2 || true
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "start-mariadb.sh: MariaDB did not answer within ${TIMEOUT}s; last log lines:" >&2
      tail -n 40 "$LOG" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  echo "start-mariadb.sh: MariaDB is up after ${SECONDS}s"
fi

mariadb <<'SQL'
CREATE USER IF NOT EXISTS 'wanxin'@'localhost' IDENTIFIED BY 'wanxin';
CREATE USER IF NOT EXISTS 'wanxin'@'127.0.0.1' IDENTIFIED BY 'wanxin';
CREATE USER IF NOT EXISTS 'wanxin'@'%' IDENTIFIED BY 'wanxin';
ALTER USER 'wanxin'@'localhost' IDENTIFIED BY 'wanxin';
ALTER USER 'wanxin'@'127.0.0.1' IDENTIFIED BY 'wanxin';
ALTER USER 'wanxin'@'%' IDENTIFIED BY 'wanxin';
GRANT ALL PRIVILEGES ON *.* TO 'wanxin'@'localhost' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'wanxin'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'wanxin'@'%' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL

# Check the TCP path the tests use.
if ! mariadb --connect-timeout=5 -h127.0.0.1 -P3306 -uwanxin -pwanxin -e 'select 1' >/dev/null; then
  echo "start-mariadb.sh: cannot connect as wanxin over TCP 127.0.0.1:3306" >&2
  echo "  (check bind-address / skip-networking in /etc/mysql)" >&2
  exit 1
fi
echo "start-mariadb.sh: ready on 127.0.0.1:3306 ($(mariadb -N -e 'select version()'))"
