#!/bin/sh
# Writes every secret the deployment needs, one file per secret named after the environment variable it
# becomes (compose.yaml mounts them under /run/secrets; k8s/secrets.sh turns them into Kubernetes Secrets):
# fresh RSA key pairs for the platform, its JWTs, the bank and the identity, risk and SMS providers, random
# tokens and passwords, and the connection URLs that carry those passwords. Existing files are kept, so a
# second run only fills in what is missing. Usage: sh infra/deploy/make-secrets.sh [directory]
set -eu
directory="${1:-$(dirname "$0")/secrets}"
mkdir -p "$directory"
# The directory keeps other users of this host out. The files themselves stay readable because compose
# bind-mounts each one as it is, and the services run as the image's unprivileged user (uid 1000).
chmod 0700 "$directory"
umask 022

random_text() {
  openssl rand -hex 32
}

# A file written only when missing: rotating a secret is deleting its file first.
write_once() {
  [ -s "$directory/$1" ] || printf '%s' "$2" > "$directory/$1"
}

for pair in JWT PLATFORM BANK IDENTITY RISK SMS; do
  if [ ! -s "$directory/${pair}_PRIVATE_KEY" ]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$directory/${pair}_PRIVATE_KEY" 2>/dev/null
    openssl pkey -in "$directory/${pair}_PRIVATE_KEY" -pubout -out "$directory/${pair}_PUBLIC_KEY"
  fi
done
write_once INTERNAL_API_SECRET "$(random_text)"
write_once METRICS_TOKEN "$(random_text)"
write_once WANXIN_ADMIN_PASSWORD "$(random_text)"
write_once MARIADB_ROOT_PASSWORD "$(random_text)"
write_once MARIADB_PASSWORD "$(random_text)"
write_once RABBITMQ_PASSWORD "$(random_text)"
write_once DATABASE_URL "mysql://wanxin:$(cat "$directory/MARIADB_PASSWORD")@mariadb:3306"
write_once AMQP_URL "amqp://wanxin:$(cat "$directory/RABBITMQ_PASSWORD")@rabbitmq:5672"
# RabbitMQ reads its first user from a config file (its *_FILE variables are gone since 3.9).
write_once rabbitmq.conf "default_user = wanxin
default_pass = $(cat "$directory/RABBITMQ_PASSWORD")
"
echo "secrets in $directory: $(ls "$directory" | tr '\n' ' ')"
