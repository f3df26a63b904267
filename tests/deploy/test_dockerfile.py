"""The Dockerfile and docker-compose.yml, checked without Docker: what they copy and run exists."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def exec_form(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def test_the_base_image_user_and_health_check():
    steps = instructions()
    assert steps[0] == ("FROM", "python:3.11-slim")
    users = [rest for word, rest in steps if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    runs = " ".join(rest for word, rest in steps if word == "RUN")
    assert "tzdata" in runs
    [health] = [rest for word, rest in steps if word == "HEALTHCHECK"]
    assert "/healthz" in health
    from bot.server.app import build_asgi

    assert "/healthz" in {r.path for r in build_asgi(None, None).routes}


def test_every_copy_source_exists_and_dependencies_come_before_the_code():
    copies = [exec_form(rest) for word, rest in instructions() if word == "COPY"]
    assert copies
    for args in copies:
        sources = [a for a in args[:-1] if not a.startswith("--")]
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
    order = [a[0] for a in copies]
    # pyproject first (cached dependency layer), the code after it
    assert order.index("pyproject.toml") < order.index("bot")


def test_entrypoint_and_command_exist():
    steps = dict(instructions())  # the last of each kind counts
    entry = exec_form(steps["ENTRYPOINT"])
    copied = {
        exec_form(rest)[-1]: exec_form(rest)[0] for word, rest in instructions() if word == "COPY"
    }
    script = ROOT / copied[entry[0]]
    assert script.exists() and script.stat().st_mode & 0o111 and 'exec "$@"' in script.read_text()
    command = exec_form(steps["CMD"])
    assert command[:3] == ["python", "-m", "bot"]
    from bot.__main__ import build_parser

    args = build_parser().parse_args(command[3:])
    assert args.func.__name__ == "cmd_run"
    env = " ".join(rest for word, rest in instructions() if word == "ENV")
    assert f"BOT_HTTP_PORT={steps['EXPOSE']}" in env  # the port the server listens on


def test_compose_runs_this_image_with_one_volume_for_knowledge_index_and_database():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    bot = compose["services"]["bot"]
    assert bot["build"] == "." and bot["env_file"] == "bot.env"
    assert (ROOT / "bot.env.example").exists()
    [volume] = bot["volumes"]
    name, _, mount = volume.partition(":")
    assert name in compose["volumes"] and mount == "/data"
    env = " ".join(rest for word, rest in instructions() if word == "ENV")
    for setting in ("BOT_KNOWLEDGE_DIR=/data/", "BOT_INDEX_DIR=/data/", "BOT_DATA_DIR=/data/"):
        assert setting in env
    # on this machine only by default: a reverse proxy in front exposes it
    assert bot["ports"] == ["127.0.0.1:8080:8080"]


def test_the_build_context_leaves_out_generated_and_private_files():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for name in ("index", "data", ".git", ".venv", "venv", ".env", "bot.env"):
        assert name in ignored
    copied = [exec_form(rest)[0] for word, rest in instructions() if word == "COPY"]
    assert not ignored & set(copied), "the Dockerfile copies something the context leaves out"
    assert "requirements.lock" in " ".join(rest for w, rest in instructions() if w == "COPY")


async def test_the_health_check_fails_when_no_platform_is_configured():
    import httpx

    from bot.server.app import build_asgi

    for serves, status in ((False, 503), (True, 200)):
        app = build_asgi(None, None, serves_members=lambda serves=serves: serves)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot") as http:
            answer = await http.get("/healthz")
        assert answer.status_code == status
        if not serves:
            assert "BOT_TELEGRAM_TOKEN" in answer.json()["reason"]


def test_compose_profile_replicas_runs_two_replicas_on_postgresql_after_one_upgrade():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    profiled = {name for name, s in services.items() if "replicas" in s.get("profiles", [])}
    assert profiled == {"postgres", "migrate", "replica-1", "replica-2"}
    assert "profiles" not in services["bot"]  # `docker compose up` stays the one process
    assert services["postgres"]["image"].startswith("postgres:15")
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "-m", "bot", "db", "upgrade"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    replicas = [services["replica-1"], services["replica-2"]]
    for replica in replicas:
        assert replica["image"] == services["bot"]["image"] == migrate["image"]
        url = replica["environment"]["BOT_DATABASE_URL"]
        assert url.startswith("postgresql+psycopg://") and "@postgres:5432/" in url
        assert url == migrate["environment"]["BOT_DATABASE_URL"]
        [volume] = replica["volumes"]  # one volume both share: knowledge/ and index/
        name, _, mount = volume.partition(":")
        assert name in compose["volumes"] and mount == "/data"
    assert replicas[0]["volumes"] == replicas[1]["volumes"]
    assert replicas[0]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert replicas[1]["depends_on"]["replica-1"]["condition"] == "service_healthy"
    ports = {replica["ports"][0] for replica in replicas}
    assert len(ports) == 2 and all(p.startswith("127.0.0.1:") for p in ports)
