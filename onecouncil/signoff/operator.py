"""The pack DAGs' approval task: one Airflow human-in-the-loop approval per rendered pack.

`PackApproval` is the standard provider's `ApprovalOperator` (Approve / Reject). On
Airflow 3.3 it waits in the `awaiting_input` state, holding no worker slot, until its
approver answers in the UI (Required actions), through the REST API, or with
`onecouncil signoff approve|reject`. The form asks for the name to sign with and, on
rejecting, the reason. A draft (blocking checks failed) is never put up for sign-off:
the task skips, saying why.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.standard.operators.hitl import ApprovalOperator, HITLOperator
from airflow.sdk import Param
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from onecouncil.signoff import REASON, SIGNED_OFF_BY


def form() -> dict[str, Param]:
    return {
        SIGNED_OFF_BY: Param(None, type=["null", "string"], title="Sign as",
                             description="Your name as the pack will show it; default your "
                                         "Airflow user's name"),
        REASON: Param(None, type=["null", "string"], title="Reason for rejecting",
                      description="Required when you reject: why the pack cannot go out"),
    }


class PackApproval(ApprovalOperator):
    """Approve or reject one pack for one period; the decision goes to ops.signoffs."""

    template_fields = ("subject", "body")

    def __init__(self, *, pack: str, period: str, folder: str, data_version: str,
                 stamp_status: str, params: dict | None = None, **kwargs: Any) -> None:
        super().__init__(params={**(params or {}), **form()}, **kwargs)
        self.pack, self.period, self.folder = pack, period, folder
        self.data_version, self.stamp_status = data_version, stamp_status

    def execute(self, context):
        from onecouncil.packs import stamp

        if self.stamp_status == stamp.DRAFT:
            raise AirflowSkipException(
                f"{self.pack} {self.period} cannot be approved as final: it is DRAFT - data "
                "checks failed. Fix the data, run transform, and render it again.")
        return super().execute(context)

    def execute_complete(self, context, event: dict[str, Any]) -> Any:
        from pathlib import Path

        from onecouncil.packs.stamp import CannotSignOff
        from onecouncil.signoff import decide
        from onecouncil.warehouse import connect

        # HITLOperator's checks and payload, without ApprovalOperator's skipping: the
        # publish task reads the decisions, so a rejection is recorded, not just skipped.
        ret = HITLOperator.execute_complete(self, context=context, event=event)
        chosen = ret["chosen_options"][0]
        params = ret["params_input"] or {}
        user = ret["responded_by_user"] or {}
        by = (params.get(SIGNED_OFF_BY) or user.get("name") or user.get("id") or "").strip()
        if not by:
            raise AirflowFailException("the answer names nobody: sign with a name")
        run = context["dag_run"]
        common = {"pack": self.pack, "period": self.period, "data_version": self.data_version,
                  "by": by, "at": ret["responded_at"], "dag_id": run.dag_id,
                  "run_id": run.run_id}
        with connect(autocommit=True) as conn:
            if chosen == self.APPROVE:
                try:
                    decide.approve(conn, folder=Path(self.folder), **common)
                except CannotSignOff as e:
                    raise AirflowFailException(str(e)) from e
            else:
                decide.reject(conn, reason=params.get(REASON), **common)
        self.hitl_summary_extra["approved"] = chosen == self.APPROVE
        return {"decision": "approved" if chosen == self.APPROVE else "rejected", "by": by,
                "pack": self.pack, "period": self.period}
