"""Who signs off each pack: the declared approver role, overridable per pack.

`ONECOUNCIL_APPROVER_<PACK>` (the pack name in capitals, `-` as `_`, e.g.
`ONECOUNCIL_APPROVER_FINANCE_OUTTURN="Chief Finance Officer"`) names another role.
`ONECOUNCIL_APPROVER_USERS_<PACK>` (`id:Name,id:Name`) names the Airflow users who may
answer the pack's approval; without it any user allowed to act on the DAG may.
"""

from __future__ import annotations

import os

from onecouncil.packs.declarations import PackDeclaration


def _key(prefix: str, declaration: PackDeclaration) -> str:
    return prefix + declaration.name.upper().replace("-", "_")


def approver_of(declaration: PackDeclaration) -> str:
    return os.environ.get(_key("ONECOUNCIL_APPROVER_", declaration)) or declaration.approver


def assigned_users(declaration: PackDeclaration) -> list[dict[str, str]] | None:
    """The Airflow users (HITLUser dicts) who may answer, or None for anyone allowed."""
    value = os.environ.get(_key("ONECOUNCIL_APPROVER_USERS_", declaration), "")
    users = []
    for item in filter(None, (v.strip() for v in value.split(","))):
        user_id, _, name = item.partition(":")
        users.append({"id": user_id.strip(), "name": (name or user_id).strip()})
    return users or None
