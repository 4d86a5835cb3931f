"""Static checks of the production deployment (docker-compose.yml, docker/).

No Docker engine is needed: the file is parsed with PyYAML, and when a `docker-compose`
binary is on PATH (Debian's `docker-compose` package) it is asked to validate and
interpolate the file with an env file built from docker/.env.example.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / "docker" / ".env.example"
INIT_SCRIPT = ROOT / "docker" / "postgres-init" / "01-databases.sh"

AIRFLOW_SERVICES = {
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
}
# Environment keys whose values are secrets (not *_FILE/*_PATH: those name where one is kept).
SECRET_KEY_RE = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|(^|_)KEY$|REDISCLI_AUTH")
SECRET_LOCATION_RE = re.compile(r"_(FILE|PATH)$")
# A value that is exactly one required interpolation: ${NAME:?message}
REQUIRED_REF_RE = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]*\}$")
# Credentials inside a URL, scheme://user:password@host: the password part must be a
# required reference (the user part may itself be a ${NAME:-default} reference).
URL_WITH_CREDENTIALS_RE = re.compile(r"://(?P<userinfo>[^/]*)@")
URL_PASSWORD_REF_RE = re.compile(r":\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]*\}$")
# Any interpolated variable: ${NAME}, ${NAME:-default}, ${NAME:?message}
VAR_REF_RE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    assert isinstance(env, dict), "use the mapping form of `environment`"
    return {str(k): str(v) for k, v in env.items()}


def test_all_services_present(compose):
    services = set(compose["services"])
    missing = (AIRFLOW_SERVICES | {"postgres", "redis"}) - services
    assert not missing, f"services missing from docker-compose.yml: {sorted(missing)}"
    assert "airflow-webserver" not in services, "Airflow 3 has no webserver; use api-server"
    assert "x-airflow-common" in compose


def test_airflow_services_share_config(compose):
    services = compose["services"]
    commands = {
        "airflow-apiserver": "api-server",
        "airflow-scheduler": "scheduler",
        "airflow-dag-processor": "dag-processor",
        "airflow-triggerer": "triggerer",
        "airflow-worker": "celery worker",
    }
    for name, command in commands.items():
        assert services[name]["command"] == command, name
    for name in AIRFLOW_SERVICES:
        svc = services[name]
        env = _environment(svc)
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false", name
        assert env["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/onecouncil/dags", name
        assert (
            env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"]
            == "http://airflow-apiserver:8080/execution/"
        ), name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://"), name
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://"), name
        assert env["ONECOUNCIL_HOME"] == "/var/lib/onecouncil", name
        assert "@postgres:5432/warehouse" in env["ONECOUNCIL_DATABASE_URL"], name
        assert "@postgres:5432/airflow" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"], name
        volumes = svc["volumes"]
        for sub in ("dags", "onecouncil", "dbt", "expectations", "reports"):
            assert f"./{sub}:/opt/onecouncil/{sub}:ro" in volumes, (name, sub)
        assert "onecouncil-home:/var/lib/onecouncil" in volumes, name
        assert any(v.endswith(":/var/lib/onecouncil/landing") for v in volumes), name
        deps = svc["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy", name
        assert deps["redis"]["condition"] == "service_healthy", name
        if name != "airflow-init":
            assert deps["airflow-init"]["condition"] == "service_completed_successfully", name
    assert "airflow db migrate" in services["airflow-init"]["command"][-1]
    for name in ("postgres", "redis"):
        assert "healthcheck" in services[name], name


def test_no_literal_secrets(compose):
    checked = 0
    for name, svc in compose["services"].items():
        for key, value in _environment(svc).items():
            if SECRET_KEY_RE.search(key) and not SECRET_LOCATION_RE.search(key):
                checked += 1
                assert REQUIRED_REF_RE.match(value), (
                    f"{name}: {key} must be a required ${{VAR:?message}} reference, got {value!r}"
                )
            match = URL_WITH_CREDENTIALS_RE.search(value)
            if match:
                checked += 1
                assert URL_PASSWORD_REF_RE.search(match["userinfo"]), (
                    f"{name}: {key} embeds a literal password in a URL"
                )
    assert checked >= 10, "expected the compose file to carry its secrets as references"


def test_env_example_lists_every_variable():
    used = set(VAR_REF_RE.findall(COMPOSE_FILE.read_text()))
    listed = {
        line.split("=", 1)[0].strip()
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    assert not used - listed, f"not in docker/.env.example: {sorted(used - listed)}"
    assert not listed - used, f"in docker/.env.example but unused: {sorted(listed - used)}"


def test_postgres_init_script():
    assert INIT_SCRIPT.stat().st_mode & 0o111, "init script must be executable"
    text = INIT_SCRIPT.read_text()
    for var in ("AIRFLOW_DB_PASSWORD", "WAREHOUSE_DB_PASSWORD"):
        assert var in text
    bash = shutil.which("bash")
    if bash is not None:
        subprocess.run([bash, "-n", str(INIT_SCRIPT)], check=True)


def test_dotenv_not_tracked():
    git = shutil.which("git")
    if git is None:
        pytest.skip("git not on PATH; cannot check that .env is untracked")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout; cannot check that .env is untracked")
    tracked = subprocess.run(
        [git, "ls-files", "--", ".env", "docker/.env"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert tracked == [], f".env files are tracked by git: {tracked}"
    ignored = subprocess.run([git, "check-ignore", "-q", ".env"], cwd=ROOT, check=False)
    assert ignored.returncode == 0, ".env must be listed in .gitignore"


def _env_file_from_example(tmp_path: Path, drop: str | None = None) -> Path:
    lines = [
        line
        for line in ENV_EXAMPLE.read_text().splitlines()
        if drop is None or not line.startswith(f"{drop}=")
    ]
    env_file = tmp_path / "compose.env"
    env_file.write_text("\n".join(lines) + "\n")
    return env_file


def _compose_config(env_file: Path) -> subprocess.CompletedProcess:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip(
            "docker-compose binary not on PATH (apt-get install docker-compose); "
            "skipping `docker-compose config` validation"
        )
    # The caller's environment overrides env files in compose: drop the variables under test.
    example = ENV_EXAMPLE.read_text()
    example_vars = set(re.findall(r"^([A-Za-z_][A-Za-z0-9_]*)=", example, re.MULTILINE))
    env = {k: v for k, v in os.environ.items() if k not in example_vars}
    return subprocess.run(
        [binary, "--env-file", str(env_file), "-f", str(COMPOSE_FILE), "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_docker_compose_config_validates(tmp_path):
    result = _compose_config(_env_file_from_example(tmp_path))
    assert result.returncode == 0, result.stderr


def test_docker_compose_config_requires_secrets(tmp_path):
    result = _compose_config(_env_file_from_example(tmp_path, drop="AIRFLOW__CORE__FERNET_KEY"))
    assert result.returncode != 0
    assert "set AIRFLOW__CORE__FERNET_KEY in .env" in result.stderr
