"""Demo people for `make run`: organisations, a team per area, initiatiefgroepen, the stuurgroep,
and a login for every role. All names except the programme's own staff are made up.

Idempotent: each record is found by its natural key first. Only loaded with debug on.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from ideas import services as idea_services
from ideas import workflow
from ideas.models import AgendaItem, Attendance, Idea, Meeting, StuurgroepDecision
from ideas.workflow import Status
from smederijen.models import Smederij
from teams import permissions, services
from teams.models import (
    Initiatiefgroep,
    KernRole,
    Organisation,
    SeatType,
    Stuurgroep,
    StuurgroepMember,
    Team,
    TeamArea,
    User,
)

DEMO_PASSWORD = "demo-smederijen-2026"
# One authenticator key for all demo staff, so a newcomer adds it to an app once (or runs
# `manage.py demo_totp_code`). Base32, as authenticator apps expect.
DEMO_TOTP_SECRET = "SMEDERIJENDEMOKEYHOOGEVEENTWEEAB"


def current_totp_code(secret: str = DEMO_TOTP_SECRET) -> str:
    counter = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter[len(counter) // 2]))


ORGANISATIONS = [
    ("Domesta", Organisation.Kind.WONINGCORPORATIE, "https://www.domesta.nl/"),
    ("Woonconcept", Organisation.Kind.WONINGCORPORATIE, "https://www.woonconcept.nl/"),
    ("Stichting Welzijnswerk", Organisation.Kind.WELZIJN, ""),
    ("Politie", Organisation.Kind.POLITIE, "https://www.politie.nl/"),
    ("Gemeente Hoogeveen", Organisation.Kind.GEMEENTE, "https://www.hoogeveen.nl/"),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    role: str
    group: str = ""
    superuser: bool = False
    staff: bool = True  # staff sign in with password and app code; residents with a mail code


LOGINS = [
    DemoLogin("admin@example.org", "Beheerder Demo", "Developer (superuser)", superuser=True),
    DemoLogin(
        "jan.bouwmeester@example.org",
        "Jan Bouwmeester",
        "Gebiedsregisseur (Verzetsbuurt, Zeeheldenbuurt, Krakeel, Erflanden, Centrum)",
        permissions.GEBIEDSREGISSEUR,
    ),
    DemoLogin(
        "martin.peelen@example.org",
        "Martin Peelen",
        "Gebiedsregisseur (Zuid, Elim, Hollandscheveld, Pesse, Tiendeveen)",
        permissions.GEBIEDSREGISSEUR,
    ),
    DemoLogin(
        "annette.bartels@example.org", "Annette Bartels", "Ondersteuning", permissions.ONDERSTEUNING
    ),
    DemoLogin("henk.zwiep@example.org", "Henk Zwiep", "Ondersteuning", permissions.ONDERSTEUNING),
    DemoLogin(
        "sanne.jonker@example.org", "Sanne Jonker", "Wijkteam Krakeel (opbouwwerker)", staff=True
    ),
    DemoLogin(
        "ruud.hendriks@example.org", "Ruud Hendriks", "Dorpenteam Elim (wijkbeheerder)", staff=True
    ),
    DemoLogin("ingrid.mulder@example.org", "Ingrid Mulder", "Stuurgroep (resident seat)"),
    DemoLogin(
        "fatima.elamrani@example.org",
        "Fatima el Amrani",
        "Resident, member of Initiatiefgroep Krakeel",
        staff=False,
    ),
    DemoLogin("kees.deboer@example.org", "Kees de Boer", "Resident", staff=False),
]

REGIE = {
    "jan.bouwmeester@example.org": [
        "verzetsbuurt",
        "zeeheldenbuurt",
        "krakeel",
        "erflanden",
        "centrum",
    ],
    "martin.peelen@example.org": ["zuid", "elim", "hollandscheveld", "pesse", "tiendeveen"],
}

# Teams: (name, slug, kind, areas, housed in, street, postcode, place).
TEAMS = [
    (
        "Wijkteam Verzetsbuurt",
        "verzetsbuurt",
        "wijkteam",
        ["verzetsbuurt"],
        "Buurthuis De Verzetshoek",
        "Verzetsstraat 12",
        "7906 AB",
        "Hoogeveen",
    ),
    (
        "Wijkteam Zeeheldenbuurt",
        "zeeheldenbuurt",
        "wijkteam",
        ["zeeheldenbuurt"],
        "Wijkcentrum Het Anker",
        "De Ruyterstraat 4",
        "7901 CD",
        "Hoogeveen",
    ),
    (
        "Wijkteam Krakeel",
        "krakeel",
        "wijkteam",
        ["krakeel"],
        "Buurthuis De Tamboer",
        "Krakeelstraat 30",
        "7909 EF",
        "Hoogeveen",
    ),
    (
        "Wijkteam Zuid",
        "zuid",
        "wijkteam",
        ["zuid"],
        "Wijkpost Zuid",
        "Zuiderweg 8",
        "7908 GH",
        "Hoogeveen",
    ),
    (
        "Dorpenteam Elim",
        "elim",
        "dorpenteam",
        ["elim"],
        "Dorpshuis Elim",
        "Vaartweg 2",
        "7916 JK",
        "Elim",
    ),
    (
        "Wijkteam Erflanden",
        "erflanden",
        "wijkteam",
        ["erflanden"],
        "Wijkcentrum De Erf",
        "Erflandenlaan 15",
        "7904 LM",
        "Hoogeveen",
    ),
    (
        "Wijkteam Centrum",
        "centrum",
        "wijkteam",
        ["centrum"],
        "Het Huis van de Stad",
        "Hoofdstraat 60",
        "7901 NP",
        "Hoogeveen",
    ),
    (
        "Dorpenteam Hollandscheveld",
        "hollandscheveld",
        "dorpenteam",
        ["hollandscheveld"],
        "Dorpshuis De Schakel",
        "Middenraai 20",
        "7913 RS",
        "Hollandscheveld",
    ),
    (
        "Dorpenteam Pesse en Tiendeveen",
        "pesse-en-tiendeveen",
        "dorpenteam",
        ["pesse", "tiendeveen"],
        "Dorpshuis Pesse",
        "Brink 1",
        "7933 TV",
        "Pesse",
    ),
]

FIRST = [
    "Anouk",
    "Bram",
    "Chantal",
    "Daan",
    "Esther",
    "Freek",
    "Gerda",
    "Hidde",
    "Iris",
    "Jeroen",
    "Karin",
    "Lars",
    "Marieke",
    "Niels",
    "Olga",
    "Pieter",
    "Roos",
    "Sven",
    "Tessa",
    "Wouter",
    "Yvonne",
    "Zeger",
    "Linda",
    "Mark",
]
LAST = [
    "Bakker",
    "Dekker",
    "Hoekstra",
    "Kuipers",
    "Lubbers",
    "Meijer",
    "Nijboer",
    "Oosting",
    "Post",
    "Rozema",
    "Schuurman",
    "Talens",
    "Veenstra",
    "Wiersma",
    "Zwiers",
    "Brink",
    "Haveman",
    "Jansen",
    "Koster",
    "Lanting",
    "Mulder",
    "Smit",
    "Vos",
    "Wolters",
]


def _name(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"


def _user(login: DemoLogin, groups: dict[str, Group]) -> User:
    first, _, last = login.name.partition(" ")
    user, created = User.objects.get_or_create(
        email=login.email,
        defaults={
            "first_name": first,
            "last_name": last,
            "is_staff": login.superuser or login.group in permissions.ROLE_GROUPS[:2],
            "is_superuser": login.superuser,
        },
    )
    if created:
        if login.staff:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=login.email, defaults={"verified": True, "primary": True}
    )
    if login.group:
        user.groups.add(groups[login.group])
    if (
        login.staff
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def load_people(smederijen: dict[str, Smederij]) -> list[DemoLogin]:
    groups = {g.name: g for g in Group.objects.filter(name__in=permissions.ROLE_GROUPS)}
    users = {login.email: _user(login, groups) for login in LOGINS}
    for email, slugs in REGIE.items():
        Smederij.objects.filter(slug__in=slugs).update(gebiedsregisseur=users[email])

    orgs = {}
    for name, kind, website in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "website": website}
        )

    for n, (name, slug, kind, areas, housed, street, postcode, place) in enumerate(TEAMS):
        team, created = Team.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "introduction": (
                    f"Het {kind} werkt in {place if kind == 'dorpenteam' else 'de wijk'} "
                    "samen met bewoners aan een fijne buurt. Loop gerust binnen of bel ons."
                ),
                "location_name": housed,
                "street": street,
                "postcode": postcode,
                "place": place,
                "visiting_hours": "Dinsdag 9.00 tot 12.00 uur\nDonderdag 13.30 tot 16.00 uur",
                "phone": f"0528 29{n:02d} 00",
                "email": f"{slug}@example.org",
            },
        )
        for area in areas:
            TeamArea.objects.get_or_create(team=team, smederij=smederijen[area])
        if not created:
            continue
        corporation = orgs["Domesta"] if n % 2 == 0 else orgs["Woonconcept"]
        kern = [
            (KernRole.OPBOUWWERKER, orgs["Stichting Welzijnswerk"], "Opbouwwerker"),
            (KernRole.WIJKBEHEERDER, corporation, "Wijkbeheerder"),
            (KernRole.WIJKAGENT, orgs["Politie"], "Wijkagent"),
        ]
        for k, (role, organisation, function) in enumerate(kern):
            account = None
            if slug == "krakeel" and role == KernRole.OPBOUWWERKER:
                account, member_name = users["sanne.jonker@example.org"], "Sanne Jonker"
            elif slug == "elim" and role == KernRole.WIJKBEHEERDER:
                account, member_name = users["ruud.hendriks@example.org"], "Ruud Hendriks"
            else:
                member_name = _name(n * 6 + k)
            services.add_team_member(
                team,
                name=member_name,
                organisation=organisation,
                function=function,
                kern_role=role,
                user=account,
                phone=f"06 1{n}{k} 00 {n}{k}0",
                email=f"{role}.{slug}@example.org",
                contact_route="Bel of mail op werkdagen; bij spoed de algemene lijn.",
                position=k,
            )
        others = [
            (orgs["Stichting Welzijnswerk"], "Jongerenwerker"),
            (orgs["Gemeente Hoogeveen"], "Medewerker openbare ruimte"),
            (corporation, "Consulent leefbaarheid"),
        ]
        for k, (organisation, function) in enumerate(others, start=3):
            services.add_team_member(
                team,
                name=_name(n * 6 + k),
                organisation=organisation,
                function=function,
                email=f"{function.split()[0].lower()}.{slug}@example.org",
                contact_route="Via het team: mail of bel het algemene nummer.",
                position=k,
            )

    for slug, smederij in smederijen.items():
        group, created = Initiatiefgroep.objects.get_or_create(
            slug=f"initiatiefgroep-{slug}",
            defaults={
                "smederij": smederij,
                "name": f"Initiatiefgroep {smederij.name}",
                "purpose": (
                    f"Wij verzamelen de ideeën van bewoners van {smederij.name}, praten erover "
                    "met de buren en nemen ze mee naar het overleg met het team. Iedereen mag "
                    "meedoen."
                ),
                "meetings": "Elke eerste maandag van de maand om 19.30 uur.",
            },
        )
        if created and slug == "krakeel":
            services.join_initiatiefgroep(group, users["fatima.elamrani@example.org"])

    stuurgroep = Stuurgroep.objects.order_by("pk").first()
    if not StuurgroepMember.objects.filter(stuurgroep=stuurgroep).exists():
        start = date(2025, 1, 1)
        end = date(2028, 12, 31)
        org_seats = [
            ("Domesta", "Anita Wessels"),
            ("Woonconcept", "Bert Kamphuis"),
            ("Stichting Welzijnswerk", "Carla Timmer"),
            ("Politie", "Dirk Bosman"),
            ("Gemeente Hoogeveen", "Ellen Drenth"),
            ("Gemeente Hoogeveen", "Frank Scholten"),
        ]
        for k, (org, person) in enumerate(org_seats):
            services.seat_stuurgroep_member(
                stuurgroep,
                seat_type=SeatType.ORGANISATION,
                name=person,
                organisation=orgs[org],
                term_start=start,
                term_end=end,
                is_chair=k == 4,
            )
        residents = [
            ("Ingrid Mulder", "krakeel", users["ingrid.mulder@example.org"]),
            ("Gert Lanting", "elim", None),
            ("Hanneke Smit", "verzetsbuurt", None),
            ("Jacob Veenstra", "zuid", None),
        ]
        for person, area, account in residents:
            services.seat_stuurgroep_member(
                stuurgroep,
                seat_type=SeatType.RESIDENT,
                name=person,
                smederij=smederijen[area],
                user=account,
                term_start=start,
                term_end=end,
            )
    return LOGINS


# The stuurgroep's work on the demo plans (loaded after ideas.py and money.py): a meeting
# that decided last time (as history), the next one with the Krakeel playground on its agenda,
# positions of two organisations, and milestones of the funded plans.
DECIDED = {
    # title: (votes for, against, abstentions)
    "Groene binnentuin achter de Verzetsstraat": (7, 0, 1),
    "Ontmoetingsruimte bij wijkcentrum Het Anker": (8, 0, 0),
    "Dorpshuis Elim groter maken": (6, 1, 1),
    "Overdekte skatebaan bij de Trompstraat": (2, 5, 1),
}
NEXT_AGENDA = ["Nieuwe speeltuin voor heel Krakeel"]
POSITIONS = [
    # (title, organisation, account of its staff, stance, explanation)
    (
        "Nieuwe speeltuin voor heel Krakeel",
        "Stichting Welzijnswerk",
        "sanne.jonker@example.org",
        "steunt",
        "De kinderen in Krakeel hebben nu te weinig plek om te spelen. Ons jongerenwerk helpt "
        "bij het beheer.",
    ),
    (
        "Nieuwe speeltuin voor heel Krakeel",
        "Domesta",
        "ruud.hendriks@example.org",
        "neutraal",
        "Wij steunen het idee, maar de grond naast de flats is van ons: daar moeten we eerst "
        "afspraken over maken.",
    ),
]
MILESTONES = {
    "Groene binnentuin achter de Verzetsstraat": [
        ("Ontwerp met de buren", -60, -55, "Vijftien buren tekenden mee aan het ontwerp."),
        ("Geld rond", 30, None, "Nog € 4.000 nodig; het Oranje Fonds beslist in december."),
        ("Aanleg", 120, None, ""),
    ],
    "Ontmoetingsruimte bij wijkcentrum Het Anker": [
        ("Geld rond", -90, -92, ""),
        ("Verbouwing", -20, -15, "De aannemer is klaar, de vrijwilligers schilderen."),
        ("Opening", 25, None, "Iedereen is welkom bij de opening."),
    ],
    "Dorpshuis Elim groter maken": [
        ("Geld rond", -10, -8, "De gemeente en twee fondsen betalen mee."),
        ("Bouwvergunning", 45, None, ""),
    ],
}


def load_stuurgroep_work() -> None:
    stuurgroep = Stuurgroep.objects.order_by("pk").first()
    if stuurgroep is None or Meeting.objects.filter(stuurgroep=stuurgroep).exists():
        return
    now = timezone.now()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            # Demo only: last meeting's decisions happened as the plans' history says.
            last = Meeting.objects.create(
                stuurgroep=stuurgroep,
                starts_at=now - timedelta(days=75),
                place="Raadhuis Hoogeveen, Raadhuisplein 1",
            )
            members = list(StuurgroepMember.objects.seated().filter(stuurgroep=stuurgroep))
            Attendance.objects.bulk_create(
                Attendance(meeting=last, member=m, present=n < 8) for n, m in enumerate(members)
            )
            for n, (title, (yes, no, abstain)) in enumerate(DECIDED.items()):
                idea = Idea.objects.filter(title=title).first()
                decided = idea and idea.history.filter(from_status=Status.BIJ_STUURGROEP).first()
                if not decided:
                    continue
                AgendaItem.objects.create(meeting=last, idea=idea, position=n)
                outcome = "negatief" if decided.to_status == Status.AFGEWEZEN else "positief"
                StuurgroepDecision.objects.create(
                    idea=idea,
                    meeting=last,
                    outcome=outcome,
                    public_reason=decided.public_text or "Besloten in de stuurgroep.",
                    votes_for=yes,
                    votes_against=no,
                    abstentions=abstain,
                    recorded_by=idea.smederij.gebiedsregisseur,
                )
            # The next meeting, through the services.
            secretary = Idea.objects.get(title=NEXT_AGENDA[0]).smederij.gebiedsregisseur
            idea_services.plan_meeting(
                stuurgroep,
                actor=secretary,
                starts_at=(now + timedelta(days=20)).replace(hour=19, minute=30, second=0),
                place="Wijkcentrum Het Anker, Zeeheldenbuurt",
                ideas=list(Idea.objects.filter(title__in=NEXT_AGENDA)),
            )
            for title, organisation, email, stance, explanation in POSITIONS:
                idea_services.record_position(
                    Idea.objects.get(title=title),
                    Organisation.objects.get(name=organisation),
                    actor=User.objects.get(email=email),
                    stance=stance,
                    explanation=explanation,
                )
            today = timezone.localdate()
            for title, steps in MILESTONES.items():
                idea = Idea.objects.filter(title=title).first()
                if idea is None or idea.status not in workflow.MILESTONE_STATUSES:
                    continue
                for title_, planned, done, note in steps:
                    milestone = idea_services.add_milestone(
                        idea,
                        actor=idea.smederij.gebiedsregisseur,
                        title=title_,
                        planned_on=today + timedelta(days=planned),
                        public_note=note,
                    )
                    if done is not None:
                        idea_services.complete_milestone(
                            milestone,
                            actor=idea.smederij.gebiedsregisseur,
                            done_on=today + timedelta(days=done),
                        )
