"""Upgrading a database that already holds plans: each plan gets its revision (plans 0003)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0002_month_locks_and_completion")]
AFTER = [("plans", "0003_plan_revision")]


@pytest.mark.django_db(transaction=True)
def test_existing_plans_get_a_revision_each():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    national = old.get_model("services", "Organization").objects.create(name="Milliy", kind="national")
    centre = old.get_model("services", "Organization").objects.create(
        name="Tuman AKM", kind="district", parent=national
    )
    Plan = old.get_model("plans", "Plan")
    plans = [Plan.objects.create(organization=centre, year=year) for year in (2023, 2024)]

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    tokens = dict(new.get_model("plans", "PlanRevision").objects.values_list("plan_id", "token"))
    assert set(tokens) == {plan.pk for plan in plans}
    assert len(set(tokens.values())) == 2

    # Back to the latest state for the tests after this one.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
