#!/bin/sh
# The image's entrypoint: runs the command it is given (which service, e.g. `node subgraphs/users/dist/src/main.js`)
# after turning secret files into the environment variables the services read. Docker Compose and Swarm mount a
# secret as a file under /run/secrets; each file named like a variable (JWT_PRIVATE_KEY) sets that variable,
# unless it is set already. Kubernetes passes its Secrets as variables and has no such files.
set -eu
secrets_directory="${WANXIN_SECRETS_DIR:-/run/secrets}"
if [ -d "$secrets_directory" ]; then
  for file in "$secrets_directory"/*; do
    [ -f "$file" ] || continue
    name="$(basename "$file")"
    case "$name" in
      *[!A-Z0-9_]* | [0-9]*) continue ;;
    esac
    if [ -z "$(printenv "$name" || true)" ]; then
      export "$name=$(cat "$file")"
    fi
  done
fi
exec "$@"
