"""What the DAGs' tasks call: plain functions, testable without a scheduler."""
