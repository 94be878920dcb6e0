"""The demo: the 2024 plan of Sharof Rashidov district's centre, its region, and one account per role."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from plans.clock import now
from plans.exchange import import_plan
from plans.models import Actual, Indicator, Plan
from services.models import Membership, Organization, Service

from .people import SERVICES, demo_group
from .region import load_region

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PLAN_FILE = FIXTURES / "plan-2024.json"
DONE_FILE = FIXTURES / "done-2024.json"


NATIONAL = "Alisher Navoiy nomidagi O‘zbekiston Milliy kutubxonasi"
REGIONAL = "Jizzax viloyati axborot-kutubxona markazi"
# The name an earlier demo gave the regional centre, renamed on the next load.
REGIONAL_BEFORE = "Jizzax viloyat axborot-kutubxona markazi"
DISTRICT = "Sharof Rashidov tuman axborot-kutubxona markazi"

# The district centre's services in the order the plan names them, with the short name
# used in demo usernames.


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    centre: str
    service: str | None = None


def demo_accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount("direktor", "Direktor (demo)", Membership.Role.MANAGER, DISTRICT),
        DemoAccount("viloyat", "Viloyat AKM taqrizchisi (demo)", Membership.Role.REVIEWER, REGIONAL),
    ]
    for short, name in SERVICES:
        accounts.append(
            DemoAccount(f"xodim-{short}", f"Xodim: {name} (demo)", Membership.Role.STAFF, DISTRICT, name)
        )
        accounts.append(
            DemoAccount(f"boshliq-{short}", f"Boshliq: {name} (demo)", Membership.Role.HEAD, DISTRICT, name)
        )
    return accounts


# The region's and the nation's accounts, made with the demo region (load_demo(region=True)).
REGION_ACCOUNTS = [
    DemoAccount("viloyat-direktor", "Viloyat AKM direktori (demo)", Membership.Role.MANAGER, REGIONAL),
    DemoAccount("milliy", "Milliy kutubxona taqrizchisi (demo)", Membership.Role.REVIEWER, NATIONAL),
]


@transaction.atomic
def load_demo(password: str, *, region: bool = False) -> list[str]:
    """Create what is missing of the demo; what exists is kept as it is. Returns what was done.

    With `region`, also the Jizzakh region's template and three more districts with generated
    figures and reports (demo.region), and the region's and the nation's accounts."""
    done: list[str] = []
    national, _ = Organization.objects.get_or_create(
        name=NATIONAL, defaults={"kind": Organization.Kind.NATIONAL}
    )
    Organization.objects.filter(name=REGIONAL_BEFORE).update(name=REGIONAL)
    regional, _ = Organization.objects.get_or_create(
        name=REGIONAL, defaults={"kind": Organization.Kind.REGIONAL, "parent": national}
    )
    district, created = Organization.objects.get_or_create(
        name=DISTRICT,
        defaults={
            "kind": Organization.Kind.DISTRICT,
            "parent": regional,
            "director_name": "Direktor F. I. Sh.",
        },
    )
    if created:
        Service.objects.bulk_create(
            Service(organization=district, name=name, order=order)
            for order, (_short, name) in enumerate(SERVICES, start=1)
        )
    if not Plan.objects.own().filter(organization=district, year=2024).exists():
        plan = import_plan(json.loads(PLAN_FILE.read_text(encoding="utf-8")), organization=district)
        # Loaded approved, as the printed plan was signed: its figures can be entered.
        Plan.objects.filter(pk=plan.pk).update(approved_at=now())
        load_printed_done(plan)
        done.append(f"loaded the 2024 plan: {plan.items.count()} items")
    # Hash once: the same password for every account, and hashing is slow on purpose.
    password_hash = make_password(password)
    _ensure_superuser(password_hash, done)
    for account in demo_accounts():
        _ensure_account(account, password_hash, done)
    if region:
        for account in REGION_ACCOUNTS:
            _ensure_account(account, password_hash, done)
        source = Plan.objects.own().get(organization=district, year=2024)
        load_region(regional, source, password_hash, done)
    return done


def load_printed_done(plan: Plan) -> None:
    """Enter the second printed number of each row as done in its month (see README)."""
    data = json.loads(DONE_FILE.read_text(encoding="utf-8"))
    indicators = {
        (indicator.item.number, indicator.label): indicator
        for indicator in Indicator.objects.filter(item__plan=plan).select_related("item")
    }
    services = {service.name: service for service in plan.organization.services.all()}
    when = now()
    actuals = [
        Actual(
            indicator=indicators[(entry["item"], entry["indicator"])],
            month=data["month"],
            service=services[entry["service"]],
            value=entry["value"],
            note="Reja jadvalida bosilgan “bajarildi” raqami",
            entered_at=when,
        )
        for entry in data["entries"]
    ]
    # Dated by the demo's clock, with a history row each, as if entered on the entry page
    # (entered_at is auto_now, which a bulk insert sets to the real time: dated after).
    bulk_create_with_history(actuals, Actual, default_date=when)
    Actual.objects.filter(indicator__item__plan=plan).update(entered_at=when)


def _ensure_superuser(password_hash: str, done: list[str]) -> None:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "Administrator"}
    )
    if created:
        user.password = password_hash
        user.save(update_fields=["password"])
        user.groups.add(demo_group())
        done.append("created admin")


def _ensure_account(account: DemoAccount, password_hash: str, done: list[str]) -> None:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=account.username, defaults={"first_name": account.full_name}
    )
    if not created:
        return
    user.password = password_hash
    user.save(update_fields=["password"])
    user.groups.add(demo_group())
    organization = Organization.objects.get(name=account.centre)
    service = organization.services.get(name=account.service) if account.service else None
    Membership.objects.create(user=user, organization=organization, service=service, role=account.role)
    done.append(f"created {account.username}")


