"""The web console for moderators and admins (issue 12), at <BOT_PUBLIC_URL>/console/.

Served by the bot's own HTTP server (bot.runtime mounts `web.console_routes`), rendered on
the server (Starlette + Jinja2, a few lines of plain JS). Sign-in without passwords: a
one-time link from /dangnhap (links.py, signin.py) or Telegram Mini App initData
(initdata.py), then a server-side session (sessions.py). Every action passes the gate
(access.py: session, role read per request, CSRF on every form: csrf.py). Pages are
modules in pages/ (see pages/__init__.py for how one declares its routes and nav slot).
"""
