# watchdesk in one container. There is no Docker engine where this project is built, so these
# steps are CI's own: .ci/run installs and builds, and .ci/container-check prunes a copy, starts
# it as the same non-root user and checks /healthz. tests/docker/dockerfile.test.ts fails when
# a "# step:" below and its twin there drift apart.

FROM node:20-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary fits the platform
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY config ./config
# step: install (npm ci builds dist/ through the prepare script)
RUN npm ci --no-audit --no-fund
# step: prune
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production \
    WATCHDESK_DB=/data/watchdesk.db \
    WATCHDESK_HTTP_HOST=0.0.0.0
# step: user
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin watchdesk
# step: copy
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
RUN mkdir -p /data && chown watchdesk:watchdesk /data
VOLUME ["/data"]
USER watchdesk
EXPOSE 8080
# step: healthz
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# step: start
CMD ["node", "dist/main.js", "start"]
