"""Least privilege in the warehouse (warehouse.roles): each component's role may do its
job and nothing more; the reader (Power BI, analysts) reads marts and nothing else.

The grants are checked both ways: refusals shown with the error PostgreSQL raises, and
the whole privilege table of every role compared with what roles.py promises, so a
widened grant fails here.
"""

from __future__ import annotations

import socket

import psycopg
import pytest
from psycopg.errors import InsufficientPrivilege

LEDGER = ("transaction_id,posting_date,fiscal_year,period,cost_centre,account_code,amount\n"
          "T1,30/04/2025,2025-26,1,CC100,A100,10.00\n"
          "T2,30/04/2025,2025-26,1,CC100,A100,5.50\n")


@pytest.fixture
def as_role(warehouse):
    """Connect as one of the roles: as_role('reader')."""
    from onecouncil.warehouse import connect

    opened = []

    def _as(role: str) -> psycopg.Connection:
        c = connect(role=role, autocommit=True)
        opened.append(c)
        return c

    yield _as
    for c in opened:
        c.close()


@pytest.fixture
def probe(conn, as_role):
    """marts.roles_probe and reports.roles_probe, made as dbt makes them (as the
    transformer), after the reader's role and grants exist (migrate)."""
    t = as_role("transformer")
    for schema in ("marts", "reports"):
        t.execute(f"drop table if exists {schema}.roles_probe")
        t.execute(f"create table {schema}.roles_probe as select 1 as figure")
    yield
    for schema in ("marts", "reports"):
        t.execute(f"drop table if exists {schema}.roles_probe")


def _refused(c: psycopg.Connection, statement: str) -> None:
    with pytest.raises(InsufficientPrivilege):
        c.execute(statement)


def test_the_reader_reads_marts_and_nothing_else(probe, as_role):
    reader = as_role("reader")
    assert reader.execute("select current_user").fetchone()[0] == "onecouncil_reader"
    # a table dbt creates later is readable (the transformer's default privileges)
    assert reader.execute("select figure from marts.roles_probe").fetchall() == [(1,)]
    for relation in ("raw.finance__ledger", "ops.files", "ops.runs", "ops.check_results",
                     "reports.roles_probe"):
        _refused(reader, f"select * from {relation}")


def test_the_reader_writes_nothing_anywhere(probe, as_role):
    reader = as_role("reader")
    for statement in ("insert into marts.roles_probe values (2)",
                      "update marts.roles_probe set figure = 3",
                      "delete from marts.roles_probe",
                      "truncate marts.roles_probe",
                      "create table marts.mine (x int)",
                      "create view marts.mine as select 1",
                      "create table public.mine (x int)",
                      "create temporary table mine (x int)",
                      "create schema mine",
                      "insert into ops.runs (run_id, dag_id) values ('x', 'y')",
                      "insert into raw.finance__ledger (transaction_id) values ('x')"):
        _refused(reader, statement)


def test_the_loader_cannot_write_marts_nor_the_transformer_raw(probe, as_role):
    loader, transformer = as_role("loader"), as_role("transformer")
    for statement in ("insert into marts.roles_probe values (2)", "select * from marts.roles_probe",
                      "create table marts.mine (x int)", "create table raw.mine (x int)",
                      "delete from raw.finance__ledger", "truncate raw.finance__ledger"):
        _refused(loader, statement)
    for statement in ("insert into raw.finance__ledger (transaction_id) values ('x')",
                      "update raw.finance__ledger set amount = 0",
                      "delete from raw.finance__ledger",
                      "create table raw.mine (x int)",
                      "insert into ops.files (feed, file_name, arrived_at, outcome, size_bytes) "
                      "values ('x', 'x', now(), 'loaded', 0)",
                      "delete from ops.runs"):
        _refused(transformer, statement)
    assert transformer.execute("select count(*) from raw.finance__ledger").fetchone()[0] >= 0


def _privileges(conn, role: str) -> dict[str, set[str]]:
    """Every table-level privilege `role` holds on the warehouse's own relations
    (not as their owner: owning is checked apart), by relation."""
    rows = conn.execute(
        """select n.nspname || '.' || c.relname, p.privilege
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
           cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE',
                                   'REFERENCES', 'TRIGGER', 'MAINTAIN']) p(privilege)
           where c.relkind in ('r', 'p', 'v', 'm', 'f')
             and n.nspname not in ('pg_catalog', 'information_schema')
             and n.nspname not like 'pg_toast%%'
             and c.relowner <> %s::regrole
             and has_table_privilege(%s, c.oid, p.privilege)""", (role, role)).fetchall()
    found: dict[str, set[str]] = {}
    for relation, privilege in rows:
        found.setdefault(relation, set()).add(privilege)
    return found


def _schemas_with(conn, role: str, privilege: str) -> set[str]:
    return {r[0] for r in conn.execute(
        "select nspname from pg_namespace where nspname not like 'pg_%%' "
        "and nspname <> 'information_schema' and has_schema_privilege(%s, oid, %s)",
        (role, privilege)).fetchall()}


def test_no_role_holds_more_than_roles_py_grants(probe, conn):
    """The whole privilege table: widen a grant in roles.py and this fails."""
    from onecouncil.feeds import FEEDS
    from onecouncil.warehouse.roles import DBT_SCHEMAS, LOADER, READER, TRANSFORMER

    tables = {r[0] for r in conn.execute(
        "select schemaname || '.' || tablename from pg_tables "
        "where schemaname in ('raw', 'ops', 'marts')").fetchall()}
    marts = {t for t in tables if t.startswith("marts.")}
    raw = {t for t in tables if t.startswith("raw.")}
    ops = {t for t in tables if t.startswith("ops.")}

    assert _privileges(conn, READER) == {t: {"SELECT"} for t in marts}
    # a set rule moves a file's unreadable rows from raw to ops.quarantine as it loads
    set_rule = {f"raw.{f.table}" for f in FEEDS if f.set_rule}
    assert set_rule and set_rule < raw
    assert _privileges(conn, LOADER) == (
        {t: {"SELECT", "INSERT", "UPDATE", "MAINTAIN"} for t in raw - set_rule}
        | {t: {"SELECT", "INSERT", "UPDATE", "DELETE", "MAINTAIN"} for t in set_rule}
        | {t: {"SELECT", "INSERT", "UPDATE"} for t in ops - {"ops.schema_versions"}}
        | {"ops.schema_versions": {"SELECT"}})
    assert _privileges(conn, TRANSFORMER) == (
        {t: {"SELECT"} for t in raw | ops}
        | {"ops.check_results": {"SELECT", "INSERT", "UPDATE", "DELETE"},
           "ops.runs": {"SELECT", "UPDATE"}})

    assert _schemas_with(conn, READER, "USAGE") == {"public", "marts"}
    assert _schemas_with(conn, LOADER, "USAGE") == {"public", "raw", "ops"}
    assert _schemas_with(conn, TRANSFORMER, "USAGE") == {"public", "raw", "ops", *DBT_SCHEMAS}
    assert _schemas_with(conn, READER, "CREATE") == set()
    assert _schemas_with(conn, LOADER, "CREATE") == set()
    assert _schemas_with(conn, TRANSFORMER, "CREATE") == set(DBT_SCHEMAS)
    temp = {role: conn.execute("select has_database_privilege(%s, current_database(), 'TEMP')",
                               (role,)).fetchone()[0] for role in (READER, LOADER, TRANSFORMER)}
    assert temp == {READER: False, LOADER: True, TRANSFORMER: True}
    # nothing in the dbt schemas is left for the owner: dbt could not replace it
    owners = {r[0] for r in conn.execute(
        "select distinct tableowner from pg_tables where schemaname = any(%s)",
        (list(DBT_SCHEMAS),)).fetchall()}
    assert owners <= {TRANSFORMER}


def test_dbt_schemas_are_those_dbt_builds_into():
    import yaml

    from onecouncil.settings import REPO_ROOT
    from onecouncil.warehouse.roles import DBT_SCHEMAS

    project = yaml.safe_load((REPO_ROOT / "dbt" / "dbt_project.yml").read_text())
    schemas = {v["+schema"] for v in project["models"]["onecouncil"].values()
               if isinstance(v, dict) and "+schema" in v}
    assert schemas == set(DBT_SCHEMAS)


def test_an_older_warehouse_hands_its_dbt_tables_to_the_transformer(conn, as_role):
    """A warehouse built before the roles: dbt's tables were the superuser's. Migrating it
    gives them to the transformer (who must rename and drop them) and marts to the reader."""
    from onecouncil.warehouse.schema import migrate

    conn.execute("drop table if exists marts.legacy_outturn, staging.legacy_view cascade")
    conn.execute("create table marts.legacy_outturn as select 1 as figure")
    conn.execute("create view staging.legacy_view as select * from raw.finance__ledger")
    conn.execute("delete from ops.schema_versions")  # as if the roles were new
    assert migrate(conn) is True
    assert migrate(conn) is False  # idempotent: the next run only reads the version
    owners = dict(conn.execute(
        "select c.relname, pg_get_userbyid(c.relowner) from pg_class c "
        "where c.relname in ('legacy_outturn', 'legacy_view')").fetchall())
    assert owners == {"legacy_outturn": "onecouncil_transformer",
                      "legacy_view": "onecouncil_transformer"}
    assert as_role("reader").execute("select figure from marts.legacy_outturn").fetchall() \
        == [(1,)]
    transformer = as_role("transformer")
    transformer.execute("alter table marts.legacy_outturn rename to legacy_outturn__dbt_backup")
    transformer.execute("drop table marts.legacy_outturn__dbt_backup")
    transformer.execute("drop view staging.legacy_view")


def test_ingest_loads_as_the_loader(conn, tmp_path):
    from onecouncil.pipelines.ingest import finish_run, load_feed, prepare_run

    landing = tmp_path / "landing"
    (landing / "finance" / "ledger").mkdir(parents=True)
    (landing / "finance" / "ledger" / "p01.csv").write_text(LEDGER)
    prepare_run("roles-run", "ingest_landing", landing)
    outcomes = load_feed("finance/ledger", landing, "roles-run")
    assert [(o["outcome"], o["rows_loaded"]) for o in outcomes] == [("loaded", 2)]
    assert finish_run("roles-run", "success")["files_loaded"] == 1
    # the loader's ANALYZE took: the planner knows the rows just loaded
    analysed = conn.execute("select last_analyze is not null from pg_stat_user_tables "
                            "where relid = 'raw.finance__ledger'::regclass").fetchone()[0]
    assert analysed


def test_the_embedded_server_listens_on_its_socket_only(conn):
    assert conn.execute("show listen_addresses").fetchone()[0] == ""
    assert conn.execute("select inet_server_addr()").fetchone()[0] is None  # a socket
    ours = conn.execute("show data_directory").fetchone()[0]
    port = int(conn.execute("show port").fetchone()[0])
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return  # nothing listens on its port over TCP
    # another server has that port on this machine: it must not be ours
    try:
        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                             connect_timeout=2) as other:
            assert other.execute("show data_directory").fetchone()[0] != ours
    except psycopg.OperationalError:
        pass  # it refused us: not our trust-all embedded server


def test_role_urls_of_a_configured_server(tmp_path, monkeypatch):
    from onecouncil.settings import Settings
    from onecouncil.warehouse.server import Server, WarehouseError

    configured = Server(Settings(home=tmp_path, airflow_database_url=None, council_name="X",
                                 database_url="postgresql://owner:s3cret@db.example:6543/wh"))
    monkeypatch.setenv("ONECOUNCIL_READER_PASSWORD", "r/p@ss")
    assert configured.url(role="reader") == \
        "postgresql://onecouncil_reader:r%2Fp%40ss@db.example:6543/wh"
    assert configured.url() == "postgresql://owner:s3cret@db.example:6543/wh"
    monkeypatch.delenv("ONECOUNCIL_LOADER_PASSWORD", raising=False)
    with pytest.raises(WarehouseError, match="ONECOUNCIL_LOADER_PASSWORD"):
        configured.url(role="loader")


def test_cli_prints_the_readers_url(warehouse):
    from typer.testing import CliRunner

    from onecouncil.cli import app

    result = CliRunner().invoke(app, ["warehouse", "url", "--role", "reader"])
    assert result.exit_code == 0, result.output
    with psycopg.connect(result.output.strip()) as c:
        assert c.execute("select current_user").fetchone()[0] == "onecouncil_reader"
    owner = CliRunner().invoke(app, ["warehouse", "url"])
    with psycopg.connect(owner.output.strip()) as c:
        assert c.execute("select current_user").fetchone()[0] == "postgres"
    refused = CliRunner().invoke(app, ["warehouse", "url", "--role", "admin"])
    assert refused.exit_code == 2
