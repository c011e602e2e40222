# One image for the three roles (worker, api, payer-sim); docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY config ./config
COPY logging ./logging
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY db ./db
COPY api ./api
COPY worker ./worker
COPY payer-sim ./payer-sim
USER node
CMD ["node", "--import", "tsx", "api/main.ts"]
