"""Sign-off: no pack is Final until its approver approves it (contracts/packs.md).

- approvers.py: who signs off each pack (declared, overridable per pack from the env)
- records.py: every decision, a row in ops.signoffs
- decide.py: what approving or rejecting a pack does (stamp Final, record, notify)
- waiting.py: the approvals Airflow waits on, answered on its metadata database
- rest.py: the same through the running service's REST API
- operator.py: the Airflow approval task of the pack DAGs (ApprovalOperator)

Imports nothing heavy: the DAG processor reads approvers at parse time.
"""

# The approval form's fields (operator.form): the name to sign with, the reason to reject.
SIGNED_OFF_BY, REASON = "signed_off_by", "reason"
