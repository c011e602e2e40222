# One image for the three roles (worker, api, payer-sim); docker-compose.yml picks the command.
# Build stage: all dependencies and the compiler, `npm run build` -> dist/.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY config ./config
COPY logging ./logging
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY temporal ./temporal
COPY documents ./documents
COPY db ./db
COPY api ./api
COPY worker ./worker
COPY payer-sim ./payer-sim
# The console: built by `npm run build` too, its client types generated from this API's document.
COPY web ./web
COPY scripts/web-openapi.ts ./scripts/web-openapi.ts
RUN npm run build

# Runtime stage: production dependencies and the compiled JavaScript only; no TypeScript, no tsx.
# The worker bundles dist/workflows for its workflow sandbox when it starts.
FROM node:22-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
USER node
CMD ["node", "dist/api/main.js"]
