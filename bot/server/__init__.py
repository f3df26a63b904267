"""The bot's one HTTP server: bridge, Telegram webhook, health, readiness and metrics."""
