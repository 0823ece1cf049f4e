"""The pilot's situation as data: 29 invited staff in three units of one municipality, of whom
20 used the app in March 2026 (9 handhaving, 9 intake, 2 burgerzaken); the others were
invited but never signed in, or signed in but held no visit. Plus a second municipality."""

from __future__ import annotations

from dataclasses import dataclass

from tests import factories
from tests.insights.data import at, staff, visit
from videocontact.accounts.models import Organisation, Process, Role, Unit, User
from videocontact.insights.selectors.scope import Period

PILOT_PERIOD = Period(at("2026-03-02").date(), at("2026-03-29").date())  # four ISO weeks


@dataclass
class Pilot:
    organisation: Organisation
    units: dict[str, Unit]
    processes: dict[str, Process]
    leads: dict[str, User]
    admin: User
    other_lead: User
    other_unit: Unit


def build_pilot(copy: int = 0) -> Pilot:
    """`copy` > 0 makes another, distinct set (benchmarks load several)."""
    tag = f"-{copy}" if copy else ""
    org = factories.make_organisation(name="Gemeente Pilotstad", slug=f"pilotstad{tag}")
    # (unit name, used, activated but unused, never activated)
    layout = [("Handhaving", 9, 1, 1), ("Intake", 9, 0, 1), ("Burgerzaken", 2, 3, 3)]
    units: dict[str, Unit] = {}
    processes: dict[str, Process] = {}
    leads: dict[str, User] = {}
    joined = at("2026-01-15")
    for name, used, idle, never in layout:
        unit = factories.make_unit(organisation=org, department=f"Gemeente{tag}", name=name)
        units[name] = unit
        process = factories.make_process(unit=unit, code=name.lower(), name=f"Huisbezoek {name}")
        processes[name] = process
        leads[name] = factories.make_user(
            unit=unit, role=Role.TEAM_LEAD, username=f"lead-{name}{tag}"
        )
        for i in range(used):
            user = staff(unit, joined=joined, logins=[at("2026-02-01"), at("2026-03-03")])
            # One held visit each, in different weeks; the first also has a no-show.
            visit(
                process,
                user,
                when=at("2026-03-02", 9) + (i % 4) * (at("2026-03-09") - at("2026-03-02")),
            )
            if i == 0:
                visit(process, user, when=at("2026-03-05"), outcome="no_show", minutes=10)
        for _ in range(idle):
            staff(unit, joined=joined, logins=[at("2026-02-10"), at("2026-03-10")])
        for _ in range(never):
            staff(unit, joined=joined)
    admin = factories.make_user(
        unit=units["Intake"], role=Role.FUNCTIONAL_ADMIN, username=f"fb{tag}"
    )
    other_org = factories.make_organisation(name="Gemeente Elders", slug=f"elders{tag}")
    other_unit = factories.make_unit(organisation=other_org, name="Handhaving")
    other_process = factories.make_process(unit=other_unit)
    other_lead = factories.make_user(
        unit=other_unit, role=Role.TEAM_LEAD, username=f"lead-elders{tag}"
    )
    for _ in range(3):
        worker = staff(other_unit, joined=joined, logins=[at("2026-03-04")])
        visit(other_process, worker, when=at("2026-03-04"))
    return Pilot(org, units, processes, leads, admin, other_lead, other_unit)
