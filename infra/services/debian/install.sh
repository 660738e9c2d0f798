#!/usr/bin/env bash
# Install MariaDB with the Galera provider, RabbitMQ, HAProxy and Chromium (the browser tests drive it headless)
# from the Debian archive, with a Chinese font (the dashboard's zh-CN screenshot is read by people), only if
# missing. The scale-out suites run a private Galera cluster (galera-4, rsync for its state transfers) and
# HAProxy. Idempotent: does nothing (and never touches apt) when all are present.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }

pkgs=()
have mariadbd || pkgs+=(mariadb-server)
[ -e /usr/lib/galera/libgalera_smm.so ] || pkgs+=(galera-4)
have rsync || pkgs+=(rsync)
have rabbitmq-server || pkgs+=(rabbitmq-server)
have haproxy || pkgs+=(haproxy)
have chromium || pkgs+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || pkgs+=(fonts-wqy-zenhei)

if [ "${#pkgs[@]}" -eq 0 ]; then
  echo "install.sh: mariadb-server, galera-4, rsync, rabbitmq-server, haproxy, chromium and fonts-wqy-zenhei already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "install.sh: installing ${pkgs[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -qq update
# policy-rc.d / missing runlevel may make invoke-rc.d refuse to start the
# services at install time; that is fine, the start-*.sh scripts start them.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}"
