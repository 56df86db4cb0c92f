# The widget's bundle and the agent console are built with the dev dependencies in a stage of
# their own; only their dist folders reach the image.
FROM node:20-bookworm-slim AS browser
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY widget ./widget
COPY admin ./admin
RUN npm run build

# The hub's image: one image, two roles (server, workers) chosen by the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    DATA_DIR=/app/var \
    DOTENV_CONFIG_QUIET=true
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY server ./server
COPY workers ./workers
COPY --from=browser /app/widget/dist ./widget/dist
COPY --from=browser /app/admin/dist ./admin/dist
# The shipped intent model, and the data `npm run train` reads inside the container.
COPY models ./models
COPY data ./data
RUN mkdir -p /app/var && chown node:node /app/var
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "server/main.ts"]
