"""The raw tables' indexes are BRIN (cheap to keep up during a COPY); a warehouse made with
the earlier B-tree indexes is migrated to them; the replace scope still finds its rows."""

from __future__ import annotations

from datetime import date, timedelta

from onecouncil.feeds import FEEDS
from onecouncil.warehouse.schema import migrate


def raw_indexes(conn) -> dict[str, str]:
    return dict(conn.execute(
        "select c.relname, am.amname || coalesce(' ' || array_to_string(c.reloptions, ' '), '') "
        "from pg_index i join pg_class c on c.oid = i.indexrelid "
        "join pg_am am on am.oid = c.relam join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = 'raw'").fetchall())


def expected() -> dict[str, str]:
    brin = "brin autosummarize=on"  # summarised by autovacuum as loads fill block ranges
    wanted = {f"{f.table}__file": brin for f in FEEDS}
    wanted |= {f"{f.table}__scope": brin for f in FEEDS if f.replace_scope}
    return wanted


def test_every_raw_table_has_brin_indexes_on_file_and_replace_scope(conn):
    assert raw_indexes(conn) == expected()


def test_a_warehouse_with_the_old_btree_indexes_migrates_to_brin_once(conn):
    for feed in FEEDS:  # as the previous version left them
        conn.execute(f'drop index if exists raw."{feed.table}__file"')
        conn.execute(f'drop index if exists raw."{feed.table}__scope"')
        conn.execute(f'create index "{feed.table}__file" on raw.{feed.table} (_file_id)')
        if feed.replace_scope:
            conn.execute(f'create index "{feed.table}__current" on raw.{feed.table} '
                         f'({", ".join(feed.replace_scope)}) where _replaced_at is null')
    conn.execute("delete from ops.schema_versions")
    assert "btree" in raw_indexes(conn).values()
    # and one BRIN index as the first BRIN version made it, without autosummarize
    conn.execute('drop index raw."reference__services__file"')
    conn.execute('create index "reference__services__file" on raw.reference__services '
                 'using brin (_file_id)')

    assert migrate(conn) is True
    assert raw_indexes(conn) == expected()  # B-trees replaced, partial __current gone
    assert migrate(conn) is False
    conn.execute("delete from ops.schema_versions")  # run again over the migrated warehouse
    assert migrate(conn) is True
    assert raw_indexes(conn) == expected()


def test_a_file_of_many_days_replaces_each_of_them_and_no_other(ingest, drop, conn):
    header = "contact_id,received_at,channel,service_code,outcome\n"
    days = [date(2025, 4, 1) + timedelta(days=n) for n in range(80)]  # more than a list takes
    drop("customer/contacts", "spring.csv", header + "".join(
        f"K{n},{day} 12:00,phone,S1,resolved\n" for n, day in enumerate(days)))
    drop("customer/contacts", "summer.csv", header + "K900,2025-08-01 09:00,phone,S1,resolved\n")
    ingest()
    drop("customer/contacts", "spring-again.csv", header + "".join(
        f"R{n},{day} 13:00,email,S1,resolved\n" for n, day in enumerate(days)))
    [outcome] = ingest("again")
    assert outcome.rows_replaced == 80
    current = [r[0] for r in conn.execute("select contact_id from raw.customer__contacts "
                                          "where _replaced_at is null order by 1")]
    assert current == ["K900"] + sorted(f"R{n}" for n in range(80))
