# One image for the five services and the one-shot migration; the command picks which.
FROM node:20-bookworm-slim
ENV NODE_ENV=production TZ=UTC
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps apps
COPY libs libs
COPY tools tools
COPY tsconfig.base.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force \
  && mkdir -p /data/evidence && chown node:node /data/evidence
USER node
# e.g. command: ["apps/gateway/src/main.ts"]
ENTRYPOINT ["node", "-r", "./tools/dev/register.cjs"]
