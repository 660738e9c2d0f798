# shellcheck shell=bash
# Source this file: `. infra/services/env.sh`
# Connection settings for the local MariaDB / RabbitMQ started by
# infra/services/debian/start-*.sh or by infra/services/compose.yaml.
export DATABASE_URL="mysql://wanxin:wanxin@127.0.0.1:3306"
export AMQP_URL="amqp://wanxin:wanxin@127.0.0.1:5672"
export REQUIRE_SERVICES=1
