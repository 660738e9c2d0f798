# syntax=docker/dockerfile:1
# One image for every Wanxin service: the command chooses which one runs, e.g.
#   docker build -t wanxin .
#   docker run wanxin node subgraphs/users/dist/src/main.js
# (infra/deploy/compose.yaml and infra/deploy/k8s/ set the command of each service.)
# There is no Docker engine where this project is developed: test/src/deploy.test.ts lints this file.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: every dependency, the TypeScript compiled by turbo --------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1
# The manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json turbo.json tsconfig.json ./
COPY infra/platform/package.json infra/platform/
COPY infra/simulators/bank/package.json infra/simulators/bank/
COPY infra/simulators/kit/package.json infra/simulators/kit/
COPY infra/simulators/identity/package.json infra/simulators/identity/
COPY infra/simulators/risk/package.json infra/simulators/risk/
COPY infra/simulators/sms/package.json infra/simulators/sms/
COPY subgraphs/users/package.json subgraphs/users/
COPY subgraphs/loans/package.json subgraphs/loans/
COPY subgraphs/bids/package.json subgraphs/bids/
COPY subgraphs/repayments/package.json subgraphs/repayments/
COPY subgraphs/depository/package.json subgraphs/depository/
COPY gateway/package.json gateway/
COPY infra/launcher/package.json infra/launcher/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund
COPY . .
# The services and what they import; the test suites and the all-in-one launcher are not built.
RUN npx turbo run build --output-logs=errors-only \
      --filter=@wanxin/gateway... --filter=@wanxin/users... --filter=@wanxin/loans... \
      --filter=@wanxin/bids... --filter=@wanxin/repayments... --filter=@wanxin/depository... \
      --filter=@wanxin/bank-simulator... --filter=@wanxin/identity-simulator... \
      --filter=@wanxin/risk-simulator... --filter=@wanxin/sms-simulator...

# --- runtime: production dependencies, compiled code, the supergraph; no compiler, no sources ------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production
# npm ci needs every workspace's manifest to match the lock file, built or not.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/infra/platform/package.json infra/platform/
COPY --from=build /app/infra/simulators/bank/package.json infra/simulators/bank/
COPY --from=build /app/infra/simulators/kit/package.json infra/simulators/kit/
COPY --from=build /app/infra/simulators/identity/package.json infra/simulators/identity/
COPY --from=build /app/infra/simulators/risk/package.json infra/simulators/risk/
COPY --from=build /app/infra/simulators/sms/package.json infra/simulators/sms/
COPY --from=build /app/subgraphs/users/package.json subgraphs/users/
COPY --from=build /app/subgraphs/loans/package.json subgraphs/loans/
COPY --from=build /app/subgraphs/bids/package.json subgraphs/bids/
COPY --from=build /app/subgraphs/repayments/package.json subgraphs/repayments/
COPY --from=build /app/subgraphs/depository/package.json subgraphs/depository/
COPY --from=build /app/gateway/package.json gateway/
COPY --from=build /app/infra/launcher/package.json infra/launcher/
COPY --from=build /app/test/package.json test/
RUN npm ci --omit=dev --no-audit --no-fund \
      --workspace=@wanxin/gateway --workspace=@wanxin/users --workspace=@wanxin/loans \
      --workspace=@wanxin/bids --workspace=@wanxin/repayments --workspace=@wanxin/depository \
      --workspace=@wanxin/bank-simulator --workspace=@wanxin/identity-simulator \
      --workspace=@wanxin/risk-simulator --workspace=@wanxin/sms-simulator \
    && npm cache clean --force
COPY --from=build /app/infra/platform/dist infra/platform/dist
COPY --from=build /app/infra/simulators/bank/dist infra/simulators/bank/dist
COPY --from=build /app/infra/simulators/kit/dist infra/simulators/kit/dist
COPY --from=build /app/infra/simulators/identity/dist infra/simulators/identity/dist
COPY --from=build /app/infra/simulators/risk/dist infra/simulators/risk/dist
COPY --from=build /app/infra/simulators/sms/dist infra/simulators/sms/dist
COPY --from=build /app/subgraphs/users/dist subgraphs/users/dist
COPY --from=build /app/subgraphs/loans/dist subgraphs/loans/dist
COPY --from=build /app/subgraphs/bids/dist subgraphs/bids/dist
COPY --from=build /app/subgraphs/repayments/dist subgraphs/repayments/dist
COPY --from=build /app/subgraphs/depository/dist subgraphs/depository/dist
COPY --from=build /app/gateway/dist gateway/dist
# The admin dashboard's page, read by the gateway beside its dist/.
COPY --from=build /app/gateway/static gateway/static
COPY --from=build /app/schema/supergraph.graphql schema/supergraph.graphql
COPY infra/deploy/docker-entrypoint.sh /usr/local/bin/wanxin-entrypoint
# DATA_DIR: only development writes there (keys, SQLite); production takes its keys from the environment.
RUN mkdir -p /app/.data && chown node:node /app/.data && chmod 0755 /usr/local/bin/wanxin-entrypoint
# The node image's unprivileged user (uid 1000): nothing in the image is writable to it but .data.
USER node
ENTRYPOINT ["/usr/local/bin/wanxin-entrypoint"]
CMD ["node", "gateway/dist/src/main.js"]
