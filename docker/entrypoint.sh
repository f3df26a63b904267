#!/bin/sh
# First start with an empty volume: seed knowledge/ with the sample plan, so the bot answers.
set -e
if [ -z "$(ls -A "${BOT_KNOWLEDGE_DIR:-/data/knowledge}" 2>/dev/null)" ]; then
    cp -r /app/knowledge-sample/. "${BOT_KNOWLEDGE_DIR:-/data/knowledge}/"
fi
exec "$@"
