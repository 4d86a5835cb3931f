#!/usr/bin/env bash
# Run by the postgres image on the first start of an empty data volume (files in
# /docker-entrypoint-initdb.d). Creates onecouncil's two databases, each owned by its own
# login role, with names and passwords taken from the container's environment
# (docker-compose.yml passes them through from .env).
set -euo pipefail

: "${POSTGRES_USER:?}"
: "${AIRFLOW_DB_USER:?AIRFLOW_DB_USER is not set}"
: "${AIRFLOW_DB_PASSWORD:?AIRFLOW_DB_PASSWORD is not set}"
: "${WAREHOUSE_DB_USER:?WAREHOUSE_DB_USER is not set}"
: "${WAREHOUSE_DB_PASSWORD:?WAREHOUSE_DB_PASSWORD is not set}"

create_database() {
    local db="$1" owner="$2" password="$3"
    echo "01-databases.sh: creating database ${db} owned by ${owner}"
    # Values go in as psql variables (quoted by format %I/%L), never spliced into SQL text.
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
         -v db="$db" -v owner="$owner" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'owner', :'password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner')
\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')
\gexec
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT ALL ON DATABASE :"db" TO :"owner";
SQL
}

create_database airflow "$AIRFLOW_DB_USER" "$AIRFLOW_DB_PASSWORD"
create_database warehouse "$WAREHOUSE_DB_USER" "$WAREHOUSE_DB_PASSWORD"

# The warehouse's component roles (onecouncil.warehouse.roles): made here because the
# warehouse's owner may not create roles; its migration grants each its schemas. The owner
# is a member of the transformer so it can hand the dbt schemas over to it.
create_role() {
    local role="$1" password="$2"
    echo "01-databases.sh: creating role ${role}"
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
         -v role="$role" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role')
\gexec
SQL
}
create_role onecouncil_loader "${ONECOUNCIL_LOADER_PASSWORD:?ONECOUNCIL_LOADER_PASSWORD is not set}"
create_role onecouncil_transformer \
    "${ONECOUNCIL_TRANSFORMER_PASSWORD:?ONECOUNCIL_TRANSFORMER_PASSWORD is not set}"
create_role onecouncil_reader "${ONECOUNCIL_READER_PASSWORD:?ONECOUNCIL_READER_PASSWORD is not set}"
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
     -v owner="$WAREHOUSE_DB_USER" <<'SQL'
GRANT onecouncil_transformer TO :"owner";
SQL
