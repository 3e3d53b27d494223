# Build and start steps are the same commands CI runs: `npm ci` (which builds through `prepare`)
# and `npm start`.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY config ./config
RUN npm ci
ENV NODE_ENV=production
VOLUME ["/app/data"]
CMD ["npm", "start"]
