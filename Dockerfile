# syntax=docker/dockerfile:1
# Switchboard server + dashboard. Build: `docker build -t switchboard .`; run with compose.yaml
# (docs/deploy.md). The server runs TypeScript directly on Node 24 (type stripping), so the image
# holds the sources, the production dependencies and the built dashboard; no compile step.

# --- build: every dependency, then the dashboard (apps/web → apps/web/dist) ---------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/audio/package.json packages/audio/
COPY packages/db/package.json packages/db/
COPY packages/shared/package.json packages/shared/
COPY packages/sip/package.json packages/sip/
COPY packages/testkit/package.json packages/testkit/
COPY packages/voice/package.json packages/voice/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build -w @switchboard/web

# --- deps: production dependencies only ---------------------------------------------------------
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json /app/.npmrc ./
COPY --from=build /app/apps/server/package.json apps/server/
COPY --from=build /app/apps/web/package.json apps/web/
COPY --from=build /app/packages/audio/package.json packages/audio/
COPY --from=build /app/packages/db/package.json packages/db/
COPY --from=build /app/packages/shared/package.json packages/shared/
COPY --from=build /app/packages/sip/package.json packages/sip/
COPY --from=build /app/packages/testkit/package.json packages/testkit/
COPY --from=build /app/packages/voice/package.json packages/voice/
RUN npm ci --omit=dev --no-audit --no-fund

# --- runtime --------------------------------------------------------------------------------------
FROM node:24-bookworm-slim AS runtime
# tini is PID 1: it forwards SIGTERM to Node (which drains: stops accepting, lets live calls write
# their final record, stops jobs, closes the database) and reaps child processes (MCP stdio tools).
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
# Idle memory (apps/server/src/runtime-settings.ts, docs/PERFORMANCE.md): glibc gives blocks of
# 8 KiB and more back when they are freed, and V8's young generation stays small (the CMD's flag).
ENV GLIBC_TUNABLES=glibc.malloc.mmap_threshold=8192
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/apps/server apps/server
COPY --from=build /app/apps/web/dist apps/web/dist
COPY --from=build /app/apps/web/package.json apps/web/
COPY --from=build /app/packages packages
RUN mkdir -p /data && chown node:node /data
# The non-root user of the node image (uid 1000); it owns only DATA_DIR.
USER node
# Recordings, generated secrets (when APP_SECRET is unset) and the embedded database (when
# DATABASE_URL is unset) live here: back it up (docs/deploy.md).
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--max-semi-space-size=4", "apps/server/src/main.ts"]
