# syntax=docker/dockerfile:1
#
# Production image of the chat server: one Node.js process serving the REST API, Socket.io /chat,
# /health and the built web app on one port, and /metrics on METRICS_PORT (9464) for Prometheus.
#
#   docker build -t chat .
#   docker run --env-file deploy/env/app.env -p 3000:3000 chat
#
# Stages: `build` installs everything and builds all workspaces; `prod-deps` installs only the
# server's production dependencies; `runtime` copies the two together on a slim base.
# Nothing secret is baked in: JWT secrets and connection URLs come from the environment (see
# docker-compose.yml and deploy/README.md).

ARG NODE_IMAGE=node:20-bookworm
ARG RUNTIME_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
# Bun installs the workspaces from bun.lock; it comes from the npm registry like every other package.
RUN npm install --global bun@1 && bun --version
WORKDIR /app

# ---------------------------------------------------------------------------------------------
FROM base AS build
# Manifests first, so the dependency layer is reused until one of them changes.
# A new workspace under apps/ or packages/ needs its package.json listed here and in prod-deps.
COPY package.json bun.lock bunfig.toml ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/shared/package.json packages/shared/
COPY packages/db/package.json packages/db/
COPY packages/test-kit/package.json packages/test-kit/
RUN bun install --frozen-lockfile
COPY . .
# shared, db, server (tsc) and web (vite) in dependency order.
RUN node scripts/build.mjs

# ---------------------------------------------------------------------------------------------
FROM base AS prod-deps
COPY package.json bun.lock bunfig.toml ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/shared/package.json packages/shared/
COPY packages/db/package.json packages/db/
COPY packages/test-kit/package.json packages/test-kit/
# Only what the server and its workspace packages need at run time: no compilers, no React.
RUN bun install --frozen-lockfile --production --filter @chat/server

# ---------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/chat
WORKDIR /app
RUN mkdir -p /var/lib/chat/files && chown -R node:node /var/lib/chat

# Files stay owned by root: the node user can read the app but not change it.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/packages/shared/package.json ./packages/shared/
COPY --from=build /app/packages/shared/dist ./packages/shared/dist
COPY --from=build /app/packages/db/package.json ./packages/db/
COPY --from=build /app/packages/db/dist ./packages/db/dist
# Migrations are applied at start (under an advisory lock, so several nodes may start at once).
COPY --from=build /app/packages/db/drizzle ./packages/db/drizzle
COPY --from=build /app/apps/server/package.json ./apps/server/
COPY --from=build /app/apps/server/dist ./apps/server/dist
COPY --from=build /app/apps/web/dist ./apps/web/dist
# Turns *_FILE secrets (compose secrets under /run/secrets) into the variables the server reads.
COPY --chmod=0755 deploy/app/docker-entrypoint.sh /usr/local/bin/chat-entrypoint

USER node
EXPOSE 3000 9464
# Ready = database and Redis answer and the node is not shutting down (503 otherwise).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The server handles SIGTERM itself (not ready, drain sockets, flush, exit within 10 s); the
# entrypoint execs it, so the signal reaches node directly.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/chat-entrypoint"]
CMD ["node", "apps/server/dist/main.js"]
