"""The caseworker's visit page: its state and next action at the top, people and messages as
compact lists, adding a guest and editing contact details in dialogs. It fits a 1366x768 screen
without scrolling in the common case (a resident with an e-mail address, one interpreter)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from videocontact.notifications.services import contact_save

from .helpers import axe_check, off_loop, screenshot

LAPTOP = {"width": 1366, "height": 768}


def page_fits(page) -> bool:
    """Everything one works with is on the screen (the footer's statement links may be below)."""
    return page.evaluate(
        "document.querySelector('.visit-grid').getBoundingClientRect().bottom <= innerHeight"
    )


def test_visit_page_state_guest_dialog_and_contact_ids(browsers, make_visit):
    setup = make_visit(resident_name="Jan de Boer", case_reference="Z-2026-0142")
    off_loop(
        contact_save,
        participant=setup.resident.participant,
        email="jan@example.nl",
        mobile="",
        language="nl",
        by_user=setup.caseworker,
    )
    staff = browsers.staff(setup.caseworker, label="staff-visit")
    staff.set_viewport_size(LAPTOP)
    staff.goto(f"/staff/visits/{setup.visit.id}/")

    # The state at the top and one next action.
    steps = staff.get_by_role("list", name="Stand van het bezoek")
    expect(steps.get_by_role("listitem").filter(has_text="Gepland")).to_have_attribute(
        "aria-current", "step"
    )
    expect(staff.get_by_role("link", name="Gesprek openen")).to_be_visible()

    # Add an Arabic-speaking interpreter in the dialog.
    staff.get_by_role("button", name="Gast toevoegen").click()
    dialog = staff.get_by_role("dialog", name="Gast toevoegen")
    expect(dialog).to_be_visible()
    axe_check(staff, "visit page, guest dialog")
    dialog.get_by_label("Tolk").check()
    dialog.get_by_label("Naam van de gast").fill("Ahmed Karimi")
    dialog.get_by_label("Taal die de gast spreekt").select_option("ar")
    with staff.expect_navigation():
        dialog.get_by_role("button", name="Gast toevoegen").click()
    expect(staff.get_by_label("Uitnodigingslink")).to_have_value(
        re.compile(r"/j/[A-Za-z0-9_-]{20,}$")
    )
    expect(staff.get_by_role("heading", name="Link voor Ahmed Karimi (Tolk)")).to_be_visible()
    # The success message appears once.
    staff.goto(f"/staff/visits/{setup.visit.id}/")

    people = staff.get_by_role("region", name="Mensen")
    guest = people.get_by_role("listitem").filter(has_text="Ahmed Karimi")
    # Each fact its own element; the Arabic name isolated (the old line read
    # "Uitgenodigd · 0 · العربية keer geopend").
    expect(guest.get_by_text("spreekt العربية", exact=True)).to_be_visible()
    expect(guest).to_contain_text("Link nog niet geopend")

    # Every contact form has ids of its own: the labels point at their own fields.
    ids = staff.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    staff.get_by_role("button", name=re.compile(r"^Contactgegevens\s*:\s*Jan de Boer$")).click()
    contact = staff.get_by_role("dialog", name="Contactgegevens van Jan de Boer")
    expect(contact.get_by_label("E-mailadres (mag leeg blijven)")).to_have_value("jan@example.nl")
    contact.get_by_role("button", name="Sluiten").click()
    expect(contact).to_be_hidden()

    axe_check(staff, "visit page")
    assert page_fits(staff), staff.evaluate("document.getElementById('main').scrollHeight")
    screenshot(staff, "staff-visit-page")

    # Ended: the state moves on, the next action points at the report, no call buttons.
    with staff.expect_navigation():
        staff.get_by_role("button", name="Afspraak afsluiten").click()
    expect(steps.get_by_role("listitem").filter(has_text="Afgelopen")).to_have_attribute(
        "aria-current", "step"
    )
    expect(staff.get_by_role("link", name="Naar het verslag")).to_be_visible()
    expect(staff.get_by_role("link", name="Gesprek openen")).to_have_count(0)
    axe_check(staff, "visit page, ended")
    screenshot(staff, "staff-visit-page-ended")


def test_my_visits_today_first_search_and_roles(browsers, make_visit, demo):
    from django.utils import timezone

    now = timezone.localtime()
    mine = make_visit(resident_name="Amina Haddad", case_reference="Z-2026-0142")
    make_visit(
        resident_name="Piet Jansen",
        scheduled_at=now.replace(hour=23, minute=30),
        case_reference="Z-2026-0150",
    )
    make_visit(resident_name="Kees Bakker", caseworker="collega")
    make_visit(
        resident_name="Fatima Yilmaz",
        caseworker="collega",
        scheduled_at=now + timezone.timedelta(days=2),
    )
    staff = browsers.staff(mine.caseworker, label="staff-day")
    staff.set_viewport_size(LAPTOP)
    staff.goto("/staff/")
    my_visits = staff.get_by_role("region", name="Mijn afspraken vandaag")
    expect(my_visits.get_by_role("link", name="Amina Haddad", exact=True)).to_be_visible()
    expect(my_visits.get_by_role("link", name="Piet Jansen", exact=True)).to_be_visible()
    expect(my_visits.get_by_role("link", name="Kees Bakker", exact=True)).to_have_count(0)
    team = staff.get_by_role("region", name="Geplande afspraken van uw team")
    expect(team.get_by_role("link", name="Kees Bakker", exact=True)).to_be_visible()
    expect(team.get_by_role("link", name="Fatima Yilmaz", exact=True)).to_be_visible()
    expect(my_visits.get_by_role("row").filter(has_text="Amina Haddad")).to_contain_text(
        "Nog niet geopend"
    )
    axe_check(staff, "my visits")
    screenshot(staff, "staff-my-visits")

    staff.get_by_label("Zoek op naam of zaaknummer").fill("0150")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Zoeken").click()
    results = staff.get_by_role("region", name="Afspraken met “0150”")
    expect(results.get_by_role("link", name="Piet Jansen", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Amina Haddad", exact=True)).to_have_count(0)
    axe_check(staff, "search results")
    staff.goto("/staff/visits/new")
    axe_check(staff, "new visit")
    staff.get_by_role("link", name="Toegankelijkheid").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    axe_check(staff, "accessibility statement")

    # A team lead sees the unit's visits but cannot plan one; neither can a privacy officer.
    lead = browsers.staff(demo.users["teamleider"], label="team-lead")
    lead.goto("/staff/")
    expect(lead.get_by_role("link", name="Amina Haddad", exact=True)).to_be_visible()
    expect(lead.get_by_role("link", name="Nieuwe afspraak")).to_have_count(0)
    axe_check(lead, "team lead's day")
    privacy = browsers.staff(demo.users["privacy"], label="privacy")
    privacy.goto("/staff/")
    expect(privacy.get_by_role("link", name="Nieuwe afspraak")).to_have_count(0)


def test_logo_upload_in_the_admin_and_in_the_header(browsers, make_visit, tmp_path):
    """A functional administrator uploads the logo; a wrong file gets a clear error; the logo then
    stands in the header of staff and resident pages (here it holds the name, so it replaces it)."""
    import io

    from PIL import Image

    from videocontact.accounts.models import User

    setup = make_visit(resident_name="Jan de Boer")
    organisation = setup.visit.organisation
    superuser = User.objects.create_superuser("logo-beheer", password="x")
    admin = browsers.staff(superuser, label="admin-logo")
    admin.goto(f"/admin/accounts/organisation/{organisation.pk}/change/")

    wrong = tmp_path / "logo.svg"
    wrong.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>')
    admin.get_by_label(re.compile(r"^Logo:?$")).set_input_files(str(wrong))
    admin.get_by_role("button", name="Opslaan", exact=True).click()
    expect(
        admin.get_by_text(
            "Dit bestand is geen PNG-, JPEG- of WebP-afbeelding. "
            "Sla het logo op als PNG en probeer het opnieuw."
        )
    ).to_be_visible()

    good = tmp_path / "logo.png"
    buffer = io.BytesIO()
    from PIL import ImageDraw, ImageFont

    drawn = Image.new("RGBA", (600, 150), (0, 0, 0, 0))
    pen = ImageDraw.Draw(drawn)
    pen.rounded_rectangle((0, 0, 599, 149), radius=24, fill=(255, 255, 255, 255))
    pen.text((30, 40), "Voorbeeldstad", fill=(29, 79, 145, 255), font=ImageFont.load_default(64))
    drawn.save(buffer, "PNG")
    good.write_bytes(buffer.getvalue())
    admin.get_by_label(re.compile(r"^Logo:?$")).set_input_files(str(good))
    admin.get_by_label("De naam van de organisatie staat in het logo").check()
    with admin.expect_navigation():
        admin.get_by_role("button", name="Opslaan", exact=True).click()
    expect(admin.get_by_text("met succes gewijzigd")).to_be_visible()

    def header_logo(page):
        logo = page.get_by_role("banner").get_by_role("img", name=organisation.name)
        expect(logo).to_be_visible()
        assert logo.evaluate("img => img.complete && img.naturalWidth") == 600

    staff = browsers.staff(setup.caseworker, label="staff-logo")
    staff.goto(f"/staff/visits/{setup.visit.id}/")
    header_logo(staff)
    axe_check(staff, "visit page with a logo")

    resident = browsers.resident()
    resident.goto(setup.resident.link)
    resident.wait_for_url(re.compile(r"/consent$"))
    header_logo(resident)
    axe_check(resident, "consent page with a logo")
    screenshot(resident, "resident-consent-with-logo")
