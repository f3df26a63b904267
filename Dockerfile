# The bot in one container: Telegram (polling or webhook), the bridge and the HTTP server.
#   docker build -t tro-ly-bot .
#   docker compose up -d        (see docker-compose.yml and README.md)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    PTB_TIMEDELTA=true \
    TZ=Asia/Ho_Chi_Minh

# tzdata: schedules are in local time; curl: the health check
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 bot
WORKDIR /app

# Dependencies first, in their own layer: a code change does not reinstall them.
COPY pyproject.toml README.md requirements.lock ./
RUN mkdir bot && touch bot/__init__.py \
    && pip install -c requirements.lock . \
    && pip uninstall -y bot && rm -rf bot build *.egg-info

COPY bot ./bot
COPY knowledge ./knowledge-sample
COPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh
RUN pip install --no-deps . \
    && mkdir -p /data/knowledge /data/index /data/db \
    && chown -R bot:bot /data \
    && chmod 0755 /usr/local/bin/entrypoint.sh

USER bot
ENV BOT_KNOWLEDGE_DIR=/data/knowledge \
    BOT_INDEX_DIR=/data/index \
    BOT_DATA_DIR=/data/db \
    BOT_HTTP_LISTEN=0.0.0.0 \
    BOT_HTTP_PORT=8080
VOLUME ["/data"]
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1

# The index is built at start when missing or stale (python -m bot run does it).
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD ["python", "-m", "bot", "run"]
