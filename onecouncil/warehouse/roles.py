"""The warehouse's three login roles and what each may touch (least privilege).

- loader: ingestion. Reads and writes `raw` and `ops` (COPY, replace scope, ops.files,
  ops.quarantine, ops.runs); may ANALYZE the raw tables it just loaded; creates nothing.
  It deletes only from the raw tables of feeds with a set rule (ingest.set_rules moves a
  file's unreadable rows from raw to ops.quarantine in the loading transaction).
- transformer: dbt, the checks and the pack renderer. Reads `raw` and `ops` (dbt reads
  ops.files as a source), owns the dbt schemas and everything in them, writes
  ops.check_results and the counts and outcome in ops.runs (the transform DAG's check
  task), nothing else in `ops`, nothing in `raw`.
- reader: Power BI and analysts. Reads `marts` only: no `raw`, no `ops`, no reports,
  no writes, no temporary tables.

The migration (schema.migrate, as the warehouse's owner) creates the roles and grants;
migrations and Airflow's metadata keep the owner. Tables in `raw` and `ops` are only ever
created by the migration, so its grants `on all tables` cover them; tables dbt creates
later are the transformer's, and its default privileges give the reader the new marts.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

ROLES = ("loader", "transformer", "reader")
# Every schema dbt builds into (dbt_project.yml +schema; a test keeps the two in step).
DBT_SCHEMAS = ("staging", "intermediate", "marts", "reports")


def role_name(role: str) -> str:
    """The PostgreSQL role behind a component role: onecouncil_loader etc."""
    if role not in ROLES:
        raise ValueError(f"unknown warehouse role {role!r}; one of {', '.join(ROLES)}")
    return f"onecouncil_{role}"


LOADER, TRANSFORMER, READER = (role_name(r) for r in ROLES)

_DBT_SCHEMAS = "".join(f"create schema if not exists {s} authorization {TRANSFORMER};\n"
                       f"alter schema {s} owner to {TRANSFORMER};\n" for s in DBT_SCHEMAS)

# Roles are cluster-wide: another warehouse database on the same server may have made
# them already (then only this database's grants are new).
CREATE_ROLES = "".join(f"""
do $$ begin
    if not exists (select 1 from pg_roles where rolname = '{name}') then
        create role {name} login;
    end if;
exception when duplicate_object or unique_violation then null;
end $$;""" for name in (LOADER, TRANSFORMER, READER))

GRANTS = f"""
-- A non-superuser owner (a configured server) acts for the transformer to hand it the
-- dbt schemas: a member already (docker/postgres-init), or with CREATEROLE it holds the
-- admin option on the role it created and grants itself membership.
do $$ begin
    if not (select rolsuper from pg_roles where rolname = current_user)
       and not pg_has_role(current_user, '{TRANSFORMER}', 'MEMBER') then
        execute format('grant {TRANSFORMER} to %I', current_user);
    end if;
end $$;

-- Nobody writes a temporary table unless named here (the reader writes nothing).
do $$ begin
    execute format('revoke temporary on database %I from public', current_database());
    execute format('grant connect on database %I to {LOADER}, {TRANSFORMER}, {READER}',
                   current_database());
    execute format('grant temporary on database %I to {LOADER}, {TRANSFORMER}',
                   current_database());
end $$;
revoke create on schema public from public;

grant usage on schema raw, ops to {LOADER};
grant select, insert, update on all tables in schema raw to {LOADER};
-- ANALYZE after a load (ingest): PostgreSQL 17 grants it as MAINTAIN; before, only owners.
do $$ begin
    if current_setting('server_version_num')::int >= 170000 then
        execute 'grant maintain on all tables in schema raw to {LOADER}';
    end if;
end $$;
grant select, insert, update on all tables in schema ops to {LOADER};
revoke insert, update on ops.schema_versions from {LOADER};  -- only a migration says it ran
grant usage, select on all sequences in schema ops to {LOADER};

grant usage on schema raw, ops to {TRANSFORMER};
grant select on all tables in schema raw to {TRANSFORMER};
grant select on all tables in schema ops to {TRANSFORMER};
grant insert, update, delete on ops.check_results to {TRANSFORMER};
grant update on ops.runs to {TRANSFORMER};

{_DBT_SCHEMAS}
grant usage on schema marts to {READER};
grant select on all tables in schema marts to {READER};
alter default privileges for role {TRANSFORMER} in schema marts grant select on tables to {READER};
"""

# dbt replaces a table by renaming it, which only its owner may do: tables of the dbt
# schemas made by the owner (a warehouse from before the roles, a test's hand-made marts)
# are handed to the transformer, with the reader's select on marts kept.
_NOT_TRANSFORMERS = f"""
select c.oid::regclass::text, c.relkind, n.nspname
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any(%s) and c.relkind in ('r', 'p', 'v', 'm', 'f')
  and c.relowner <> '{TRANSFORMER}'::regrole
"""

_ALTER = {"v": "view", "m": "materialized view", "f": "foreign table"}


def ensure(conn: psycopg.Connection, set_rule_tables: list[sql.Identifier]) -> None:
    """Create the roles and grant them their schemas; idempotent (part of migrate).
    `set_rule_tables`: the raw tables the loader deletes a file's set-aside rows from."""
    conn.execute(CREATE_ROLES)
    conn.execute(GRANTS)
    conn.execute(f"revoke delete on all tables in schema raw from {LOADER}")
    for table in set_rule_tables:
        conn.execute(sql.SQL("grant delete on {} to {}").format(table, sql.Identifier(LOADER)))
    hand_dbt_relations_to_transformer(conn)


def hand_dbt_relations_to_transformer(conn: psycopg.Connection) -> list[str]:
    """Make the transformer own every relation in the dbt schemas; returns those moved.
    One catalog read when there is nothing to do."""
    rows = conn.execute(_NOT_TRANSFORMERS, (list(DBT_SCHEMAS),)).fetchall()
    for relation, kind, schema in rows:
        conn.execute(f"alter {_ALTER.get(kind, 'table')} {relation} owner to {TRANSFORMER}")
        if schema == "marts":
            conn.execute(f"grant select on {relation} to {READER}")
    return [r[0] for r in rows]


def schema_text() -> str:
    """What the roles add to the schema version (schema.schema_version)."""
    import inspect

    return "\n".join([CREATE_ROLES, GRANTS, _NOT_TRANSFORMERS, repr(_ALTER),
                      inspect.getsource(ensure)])
