# ledger-bench's own services of docker-compose.yml (seed job, API): the project on Node 20.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENTRYPOINT ["node", "bin/ledger-bench.js"]
