"""Demo ideas for `make run`: the conditions of this year and last year, and ideas in every area
and every status, made the way residents and staff make them: through the services.

Idempotent: a condition is found by year and title, a resident by e-mail address and an idea by
title and Smederij; what exists already is left alone. The mails the services send on the way are
dropped (the dummy mail backend), so loading does not print a hundred mails to the terminal.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from budgets.models import Grant
from ideas import services, workflow
from ideas.models import (
    Accounting,
    Attachment,
    Condition,
    Idea,
    IdeaSequence,
    Kind,
    Notion,
    Reach,
    SatisfactionSurvey,
    StandardText,
    StatusChange,
    SubmitterKind,
)
from ideas.uploads import CheckedFile
from ideas.workflow import Status
from smederijen.models import Smederij
from teams.models import User

KORT = Kind.KORTE_KLAP
LANG = Kind.LANGE_KLAP
BOTH = Condition.Applies.BOTH

# (kind, title, text): the same voorwaarden for this year and last year.
CONDITIONS = [
    (
        BOTH,
        "Het maakt de buurt leefbaarder",
        "Je idee maakt je straat, buurt, wijk of dorp een fijnere plek om te wonen: schoner, "
        "veiliger, groener of gezelliger. Dat noemen we leefbaarheid.",
    ),
    (
        BOTH,
        "Er is draagvlak",
        "Andere bewoners staan achter je idee. Dat laat je zien met steunbetuigingen op deze "
        "website, handtekeningen op papier of een gesprek met de buren.",
    ),
    (
        BOTH,
        "Bewoners doen het zelf",
        "Jullie voeren het idee zoveel mogelijk zelf uit. Het wijkteam of dorpenteam helpt waar "
        "dat nodig is, bijvoorbeeld met een vergunning of met contacten.",
    ),
    (
        BOTH,
        "Iedereen is welkom",
        "Het idee is openbaar: iedereen uit de buurt mag meedoen of ervan genieten. Het mag voor "
        "één groep zijn, zoals kinderen of ouderen, maar het sluit niemand uit. Het heeft geen "
        "commercieel of politiek doel.",
    ),
    (
        KORT,
        "Klaar binnen een jaar",
        "Een korte-klap-idee is eenvoudig en binnen één jaar na de start uitgevoerd.",
    ),
    (
        KORT,
        "Hoogstens € 5.000 uit het bewonersbudget",
        "Je vraagt hoogstens € 5.000 uit het bewonersbudget van je Smederij. Het geld is voor "
        "eenmalige kosten: terugkerende kosten, zoals huur, stroom of onderhoud, betaalt het "
        "bewonersbudget niet.",
    ),
    (
        LANG,
        "Samen met de organisaties",
        "Een lange-klap-plan is groot en vraagt samenwerking tussen bewoners, de gemeente, de "
        "woningcorporaties, het welzijnswerk en de politie. De stuurgroep beoordeelt het "
        "draagvlak en beslist.",
    ),
    (
        LANG,
        "Geld uit meer dan één bron",
        "Voor een lange-klap-plan zoeken we samen geld bij fondsen, de gemeente, de "
        "woningcorporaties en sponsors. Schrijf op wat jullie zelf bijdragen en wie jullie al "
        "hebben gevraagd.",
    ),
]

# Residents who send in ideas (Kees de Boer and Fatima el Amrani come with people.py).
RESIDENTS = [
    ("marleen.hoekstra@example.org", "Marleen", "Hoekstra"),
    ("johan.bakker@example.org", "Johan", "Bakker"),
    ("wim.dekker@example.org", "Wim", "Dekker"),
    ("ria.veenstra@example.org", "Ria", "Veenstra"),
    ("sandra.nijboer@example.org", "Sandra", "Nijboer"),
    ("hennie.oosting@example.org", "Hennie", "Oosting"),
    ("bas.meijer@example.org", "Bas", "Meijer"),
    ("yvonne.smit@example.org", "Yvonne", "Smit"),
    ("albert.koster@example.org", "Albert", "Koster"),
    ("trijntje.wolters@example.org", "Trijntje", "Wolters"),
    ("lammert.brink@example.org", "Lammert", "Brink"),
]
KEES = "kees.deboer@example.org"
FATIMA = "fatima.elamrani@example.org"
STUURGROEPLID = "ingrid.mulder@example.org"

# Who moves the ideas of an area: a team member with an account, or else the gebiedsregisseur.
TEAM_ACTORS = {"krakeel": "sanne.jonker@example.org", "elim": "ruud.hendriks@example.org"}

STREETS = {
    "verzetsbuurt": ["Verzetsstraat", "Hannie Schaftstraat", "Titus Brandsmastraat"],
    "zeeheldenbuurt": ["De Ruyterstraat", "Trompstraat", "Piet Heinstraat", "Evertsenstraat"],
    "krakeel": ["Krakeelstraat", "Tamboerlaan", "Trommelstraat", "Fluitstraat"],
    "zuid": ["Zuiderweg", "Schoolstraat", "Parkweg", "Hertenkamp"],
    "elim": ["Vaartweg", "Dorpsstraat", "Kanaalweg"],
    "erflanden": ["Erflandenlaan", "Vijverlaan", "Waterlelie"],
    "centrum": ["Hoofdstraat", "Grote Kerkstraat", "Raadhuisplein"],
    "hollandscheveld": ["Middenraai", "Oosteinde", "Westeinde"],
    "pesse": ["Brink", "Eursinge", "Stuifzandseweg"],
    "tiendeveen": ["Tiendeveenseweg", "Dorpsstraat"],
}

SUPPORTERS = [
    "Anja Kuipers",
    "Bert Lubbers",
    "Corrie Meijer",
    "Dennis Post",
    "Els Rozema",
    "Frank Schuurman",
    "Greet Talens",
    "Harm Wiersma",
    "Ilse Zwiers",
    "Jaap Haveman",
    "Klaasje Jansen",
    "Lucas Koster",
    "Mirjam Lanting",
    "Nico Mulder",
    "Petra Vos",
    "Rik Wolters",
]


@dataclass(frozen=True)
class DemoIdea:
    title: str
    area: str  # the Smederij's slug
    kind: str
    status: str  # where the idea stands when the demo is loaded
    submitter: str  # e-mail address of the account
    summary: str
    description: str
    location: str
    reach: str
    notions: tuple[str, ...]
    notions_explanation: str
    support_description: str
    own_effort: str
    lines: tuple[tuple[str, int], ...]
    # Sent this many days ago, or (month, day) of last year.
    sent: int | tuple[int, int]
    target_group: str = ""
    neighbours: str = ""
    supporters_estimate: int | None = None
    own_contribution: int = 0
    other_funding: int = 0
    other_funding_note: str = ""
    months: int = 4  # how long carrying it out takes
    submitter_kind: str = SubmitterKind.INWONER
    organisation_name: str = ""
    published: bool = True
    # Explanations for the public with the steps (by the status stepped to); "answer" is the
    # submitter's answer to a question of the wijkteam.
    texts: dict = field(default_factory=dict)
    path: tuple[str, ...] = ()  # the steps after submitting, when not the usual way
    reclassify: tuple[str, str] | None = None  # (new kind, reason) once it is being reviewed
    confirmed: int = 0  # supports given online and confirmed
    unconfirmed: int = 0  # supports whose e-mail link was not clicked yet
    paper: tuple[int, str] | None = None  # a list of signatures on paper: (count, note)
    remark: str = ""  # the initiatiefgroep's inventory remark (Krakeel)

    @property
    def amount_requested(self) -> Decimal:
        total = sum(amount for _item, amount in self.lines)
        return Decimal(total - self.own_contribution - self.other_funding)

    @property
    def support_total(self) -> int:
        return self.confirmed + (self.paper[0] if self.paper else 0)


S = Status
N = Notion

IDEAS = [
    # Kees de Boer (Zuid): a concept, a question from the wijkteam, and a budget granted.
    DemoIdea(
        title="Speeltoestel voor peuters aan de Parkweg",
        area="zuid",
        kind=KORT,
        status=S.CONCEPT,
        submitter=KEES,
        summary="Een klein speeltoestel voor de allerkleinsten op het pleintje aan de Parkweg.",
        description=(
            "Op het pleintje aan de Parkweg spelen veel kinderen, maar voor peuters is er niets. "
            "Een laag klimtoestel met een glijbaantje zou mooi zijn."
        ),
        location="Pleintje aan de Parkweg",
        reach=Reach.BUURT,
        notions=(N.ONTMOETEN,),
        notions_explanation="",
        support_description="",
        own_effort="",
        lines=(("Klimtoestel met glijbaan", 2400),),
        sent=0,
        target_group="Kinderen tot 4 jaar en hun ouders",
        published=False,
    ),
    DemoIdea(
        title="Buurtbarbecue aan de Schoolstraat",
        area="zuid",
        kind=KORT,
        status=S.AANVULLING_GEVRAAGD,
        submitter=KEES,
        summary="Een barbecue voor de hele straat, zodat nieuwe en oude buren elkaar leren kennen.",
        description=(
            "In de Schoolstraat zijn het afgelopen jaar veel nieuwe gezinnen komen wonen. We "
            "willen in juni een barbecue houden op het grasveld achter de school. Iedereen uit "
            "de straat en de straten eromheen is welkom."
        ),
        location="Grasveld achter de basisschool, Schoolstraat",
        reach=Reach.STRAAT,
        notions=(N.SAAMHORIGHEID, N.ONTMOETEN),
        notions_explanation="Buren die elkaar kennen, helpen elkaar ook sneller.",
        support_description="De bewoners van de Schoolstraat; twaalf huishoudens helpen mee.",
        supporters_estimate=40,
        neighbours=(
            "We zijn langs de deuren gegaan met een briefje en hebben een appgroep gemaakt."
        ),
        own_effort="Wij regelen de boodschappen, bakken zelf en ruimen samen op.",
        lines=(
            ("Huur partytent en statafels", 450),
            ("Vlees, vegetarisch en salades", 650),
            ("Drinken", 200),
        ),
        own_contribution=150,
        sent=20,
        texts={
            S.AANVULLING_GEVRAAGD: (
                "Wat leuk dat jullie een buurtbarbecue willen houden! Willen jullie nog laten "
                "weten of de school het grasveld mag laten gebruiken, en wie er helpt met "
                "opbouwen en opruimen? En kan de tent misschien geleend worden bij de "
                "buurtvereniging in plaats van gehuurd?"
            )
        },
    ),
    DemoIdea(
        title="Bankjes bij de speeltuin aan de Zuiderweg",
        area="zuid",
        kind=KORT,
        status=S.BUDGET_TOEGEKEND,
        submitter=KEES,
        summary="Drie stevige bankjes bij de speeltuin, zodat ouders en ouderen er kunnen zitten.",
        description=(
            "Bij de speeltuin aan de Zuiderweg staan geen bankjes. Ouders staan langs de kant en "
            "oudere buren lopen er voorbij, terwijl ze graag even zouden zitten. Met drie bankjes "
            "wordt de speeltuin een plek voor jong en oud."
        ),
        location="Speeltuin aan de Zuiderweg",
        reach=Reach.BUURT,
        notions=(N.LEEFBAARHEID, N.ONTMOETEN),
        notions_explanation="Wie even zit, maakt een praatje. Zo leren buren elkaar kennen.",
        support_description="De speeltuincommissie, de ouderensoos en veel ouders uit de buurt.",
        supporters_estimate=60,
        neighbours="We hebben handtekeningen opgehaald bij de speeltuin en in de straat.",
        own_effort="Wij schilderen de bankjes ieder voorjaar en houden de plek schoon.",
        lines=(("Drie bankjes van gerecycled kunststof", 1650), ("Tegels en zand", 200)),
        sent=75,
        path=(
            S.IN_BEHANDELING,
            S.AANVULLING_GEVRAAGD,
            S.IN_BEHANDELING,
            S.GOEDGEKEURD,
            S.BUDGET_TOEGEKEND,
        ),
        texts={
            S.AANVULLING_GEVRAAGD: (
                "Welke bankjes hebben jullie op het oog, en wie zorgt voor het onderhoud?"
            ),
            "answer": (
                "We kiezen bankjes van gerecycled kunststof: die hebben weinig onderhoud nodig. "
                "De speeltuincommissie maakt ze twee keer per jaar schoon. De gemeente plaatst "
                "ze en blijft eigenaar."
            ),
        },
        confirmed=8,
        unconfirmed=1,
    ),
    # Krakeel: Fatima's own idea, and ideas the initiatiefgroep has in its inventory.
    DemoIdea(
        title="Taalcafé in buurthuis De Tamboer",
        area="krakeel",
        kind=KORT,
        status=S.IN_BEHANDELING,
        submitter=FATIMA,
        summary="Elke week een ochtend waarop buren samen Nederlands praten bij een kop koffie.",
        description=(
            "Veel buren willen beter Nederlands leren, maar een cursus is een grote stap. In het "
            "taalcafé praten ze met vrijwilligers uit de wijk over gewone dingen: de markt, de "
            "school, het weer. Voor kleine kinderen is er een speelhoek."
        ),
        location="Buurthuis De Tamboer, Krakeelstraat 30",
        reach=Reach.WIJK,
        target_group="Buren die Nederlands willen oefenen",
        notions=(N.SAAMHORIGHEID, N.ONTMOETEN),
        notions_explanation="Wie de taal spreekt, doet makkelijker mee in de wijk.",
        support_description="Tien vrijwilligers en de basisschool De Trommel.",
        supporters_estimate=35,
        own_effort="Vrijwilligers uit de wijk leiden de gesprekken en zetten de koffie.",
        lines=(
            ("Koffie, thee en iets lekkers voor een jaar", 600),
            ("Spellen en oefenboeken", 350),
            ("Speelgoed voor de kinderhoek", 250),
        ),
        sent=30,
        confirmed=5,
    ),
    DemoIdea(
        title="Moestuinbakken aan de Tamboerlaan",
        area="krakeel",
        kind=KORT,
        status=S.INGEDIEND,
        submitter="wim.dekker@example.org",
        summary="Zes moestuinbakken op het grasveld, verzorgd door de buren.",
        description=(
            "Het grasveld aan de Tamboerlaan wordt weinig gebruikt. Met zes hoge moestuinbakken "
            "kunnen buren samen groente en kruiden kweken. De bakken zijn hoog, zodat ook "
            "ouderen en mensen in een rolstoel kunnen meedoen."
        ),
        location="Grasveld aan de Tamboerlaan",
        reach=Reach.STRAAT,
        notions=(N.LEEFBAARHEID, N.ZELFWERKZAAMHEID),
        notions_explanation="Een groen veld waar buren samen aan het werk zijn.",
        support_description="Zes huishoudens willen elk een bak verzorgen.",
        supporters_estimate=20,
        own_effort="Wij bouwen de bakken zelf en zorgen voor het water en het onderhoud.",
        lines=(
            ("Hout en schroeven voor zes bakken", 780),
            ("Tuinaarde en compost", 320),
            ("Zaden en plantjes", 150),
        ),
        sent=8,
        confirmed=3,
        remark=(
            "Besproken in de initiatiefgroep: er zijn al zes buren die een bak willen verzorgen. "
            "Wel goed afstemmen met Domesta, want het grasveld is van hen."
        ),
    ),
    DemoIdea(
        title="Nieuwe speeltuin voor heel Krakeel",
        area="krakeel",
        kind=LANG,
        status=S.BIJ_STUURGROEP,
        submitter="ria.veenstra@example.org",
        summary="De oude speeltuin wordt een speelplek voor alle leeftijden, met groen en water.",
        description=(
            "De speeltuin in het midden van Krakeel is oud: veel toestellen zijn weggehaald. "
            "Samen met kinderen, ouders en de school hebben we een plan gemaakt voor een nieuwe "
            "speelplek met klimtoestellen, een waterpomp, een pannakooi voor de oudere kinderen "
            "en bankjes in de schaduw."
        ),
        location="Speeltuin Krakeel, tussen de Krakeelstraat en de Tamboerlaan",
        reach=Reach.WIJK,
        target_group="Kinderen van 2 tot 14 jaar en hun ouders",
        notions=(N.LEEFBAARHEID, N.ONTMOETEN, N.SAAMHORIGHEID),
        notions_explanation="De speeltuin is dé plek waar gezinnen uit de wijk elkaar zien.",
        support_description=(
            "De speeltuinvereniging, basisschool De Trommel, en meer dan honderd buren die "
            "getekend hebben."
        ),
        supporters_estimate=150,
        neighbours="Er waren twee inloopavonden in De Tamboer en een tekenmiddag voor kinderen.",
        own_effort="De speeltuinvereniging doet het onderhoud en organiseert klusdagen.",
        lines=(
            ("Ontwerp samen met kinderen", 4500),
            ("Speeltoestellen en waterpomp", 52000),
            ("Pannakooi", 18000),
            ("Bestrating, groen en bankjes", 15500),
        ),
        own_contribution=2500,
        other_funding=30000,
        other_funding_note="Domesta en het Jantje Beton fonds (aangevraagd)",
        months=18,
        submitter_kind=SubmitterKind.VERENIGING,
        organisation_name="Speeltuinvereniging Krakeel",
        sent=120,
        confirmed=12,
        unconfirmed=2,
        paper=(46, "Handtekeningen opgehaald aan de Tamboerlaan, de Krakeelstraat en bij school."),
        remark=(
            "De initiatiefgroep steunt dit plan van harte. Tip: vraag ook de jongeren van de "
            "pannakooi aan de Fluitstraat wat zij willen."
        ),
    ),
    # Lange-klap plans in the other areas of the programme.
    DemoIdea(
        title="Groene binnentuin achter de Verzetsstraat",
        area="verzetsbuurt",
        kind=LANG,
        status=S.FINANCIERING,
        submitter="marleen.hoekstra@example.org",
        summary="Het stenige binnenterrein wordt een groene tuin waar buren samen kunnen zitten.",
        description=(
            "Achter de flats aan de Verzetsstraat ligt een binnenterrein vol tegels en "
            "parkeerplaatsen die bijna niet gebruikt worden. Wij willen er een groene tuin van "
            "maken met bomen, een pluktuin, een jeu-de-boulesbaan en een overdekte zitplek. "
            "Regenwater blijft in de tuin, zodat de kelders bij hevige buien droog blijven."
        ),
        location="Binnenterrein achter Verzetsstraat 20-64",
        reach=Reach.BUURT,
        notions=(N.LEEFBAARHEID, N.ONTMOETEN, N.ZELFWERKZAAMHEID),
        notions_explanation="Minder stenen, meer groen, en een plek om elkaar te treffen.",
        support_description="De bewonerscommissie van de flats en bijna alle benedenburen.",
        supporters_estimate=120,
        own_effort="Bewoners planten zelf en vormen een tuinploeg voor het onderhoud.",
        lines=(
            ("Tegels eruit, grond erin", 24000),
            ("Bomen, struiken en pluktuin", 16000),
            ("Overkapping met bankjes", 21000),
            ("Jeu-de-boulesbaan", 6000),
        ),
        own_contribution=1000,
        other_funding=20000,
        other_funding_note="Domesta (toegezegd)",
        months=20,
        sent=200,
        confirmed=15,
        unconfirmed=1,
    ),
    DemoIdea(
        title="Ontmoetingsruimte bij wijkcentrum Het Anker",
        area="zeeheldenbuurt",
        kind=LANG,
        status=S.IN_UITVOERING,
        submitter="johan.bakker@example.org",
        summary="Een uitbouw aan Het Anker met een ruimte voor koffie, clubs en huiswerkhulp.",
        description=(
            "Wijkcentrum Het Anker is te klein: de biljartclub, de huiswerkhulp en de "
            "koffieochtend moeten om de beurt. Met een uitbouw van zestig vierkante meter en een "
            "kleine keuken kunnen meer groepen tegelijk terecht."
        ),
        location="Wijkcentrum Het Anker, De Ruyterstraat 4",
        reach=Reach.WIJK,
        notions=(N.ONTMOETEN, N.SAAMHORIGHEID),
        notions_explanation="Meer ruimte betekent meer activiteiten voor meer buren.",
        support_description="Alle clubs die Het Anker gebruiken en de bewonersvereniging.",
        supporters_estimate=300,
        own_effort="Vrijwilligers schilderen, richten de ruimte in en beheren de planning.",
        lines=(("Uitbouw", 68000), ("Keuken", 9000), ("Inrichting", 6000)),
        other_funding=70000,
        other_funding_note="Woonconcept, gemeente Hoogeveen en het Oranje Fonds",
        months=14,
        submitter_kind=SubmitterKind.ORGANISATIE,
        organisation_name="Bewonersvereniging Zeeheldenbuurt",
        sent=(3, 12),
        confirmed=10,
    ),
    DemoIdea(
        title="Park Zuid, een park voor jong en oud",
        area="zuid",
        kind=KORT,
        status=S.IN_BEHANDELING,
        submitter="sandra.nijboer@example.org",
        summary="Het park krijgt een wandelpad met verlichting, speelplekken en zitplekken.",
        description=(
            "Het park in Zuid is donker en er is weinig te doen. We willen een rondje wandelpad "
            "met verlichting, een paar speelplekken in het groen en bankjes langs het water."
        ),
        location="Park Zuid",
        reach=Reach.WIJK,
        notions=(N.LEEFBAARHEID, N.ONTMOETEN),
        notions_explanation="Een veilig park waar je 's avonds ook durft te lopen.",
        support_description="De wandelgroep van de wijkpost en veel ouders.",
        supporters_estimate=80,
        own_effort="We helpen met planten en houden het park samen schoon.",
        lines=(
            ("Ontwerp door een tuinarchitect", 3500),
            ("Wandelpad met verlichting", 28000),
            ("Speelplekken in het groen", 18000),
            ("Bankjes en afvalbakken", 4500),
        ),
        months=11,
        sent=60,
        reclassify=(
            LANG,
            "Dit plan is groter dan een korte klap: het kost meer dan € 5.000 en het werk duurt "
            "langer dan een jaar. Het wijkteam maakt er samen met de indieners een "
            "lange-klap-plan van.",
        ),
    ),
    DemoIdea(
        title="Dorpshuis Elim groter maken",
        area="elim",
        kind=LANG,
        status=S.FINANCIERING,
        submitter="hennie.oosting@example.org",
        summary="Een nieuwe zaal aan het dorpshuis, zodat verenigingen en de jeugd er terecht "
        "kunnen.",
        description=(
            "Het dorpshuis is het hart van Elim, maar de zaal is te klein voor de toneelclub, de "
            "gymnastiek en de jeugdsoos samen. Wij willen een tweede zaal aanbouwen aan de kant "
            "van de Vaartweg, met een eigen ingang voor de jeugd."
        ),
        location="Dorpshuis Elim, Vaartweg 2",
        reach=Reach.DORP,
        notions=(N.ONTMOETEN, N.SAAMHORIGHEID, N.ZELFWERKZAAMHEID),
        notions_explanation="Het hele dorp komt in het dorpshuis samen.",
        support_description="Alle verenigingen van Elim en de jeugdsoos.",
        supporters_estimate=400,
        own_effort="Vrijwilligers doen het sloopwerk, schilderen en richten de zaal in.",
        lines=(("Aanbouw nieuwe zaal", 145000), ("Inrichting en geluid", 15000)),
        own_contribution=10000,
        other_funding=60000,
        other_funding_note="Provincie Drenthe en het VSBfonds (aangevraagd)",
        months=24,
        submitter_kind=SubmitterKind.VERENIGING,
        organisation_name="Vereniging Dorpsbelangen Elim",
        sent=(11, 5),
        confirmed=9,
    ),
    DemoIdea(
        title="Overdekte skatebaan bij de Trompstraat",
        area="zeeheldenbuurt",
        kind=LANG,
        status=S.AFGEWEZEN,
        submitter="johan.bakker@example.org",
        summary="Een skatebaan met een dak, zodat de jeugd ook bij regen kan skaten.",
        description=(
            "De jongeren uit de Zeeheldenbuurt hebben geen plek om te skaten. Een overdekte "
            "baan op het veld bij de Trompstraat zou een plek voor ze zijn, het hele jaar door."
        ),
        location="Veld bij de Trompstraat",
        reach=Reach.WIJK,
        target_group="Jongeren van 12 tot 20 jaar",
        notions=(N.ONTMOETEN,),
        notions_explanation="Jongeren krijgen een eigen plek in de wijk.",
        support_description="Een groep van twintig jongeren en de jongerenwerker.",
        supporters_estimate=30,
        own_effort="De jongeren ontwerpen de baan mee en houden hem schoon.",
        lines=(("Skatebaan", 60000), ("Overkapping", 45000)),
        months=18,
        sent=130,
        path=(S.IN_BEHANDELING, S.BIJ_STUURGROEP, S.AFGEWEZEN),
        texts={
            S.AFGEWEZEN: (
                "De stuurgroep heeft het plan besproken. Er is nu te weinig draagvlak: veel "
                "omwonenden maken zich zorgen over geluid in de avond, en er is geen goede plek "
                "gevonden. Het wijkteam praat met de jongeren verder over een kleinere "
                "skateplek."
            )
        },
    ),
    # Korte klap, all over Hoogeveen.
    DemoIdea(
        title="Geluidsinstallatie voor dorpshuis Elim",
        area="elim",
        kind=KORT,
        status=S.AFGEROND,
        submitter="hennie.oosting@example.org",
        summary="Een goede geluidsinstallatie voor toneel, muziek en de dorpsvergadering.",
        description=(
            "De oude installatie van het dorpshuis kraakt en piept. Bij de dorpsvergadering "
            "verstaan mensen achterin de zaal niets. Met een nieuwe installatie en draadloze "
            "microfoons kan iedereen meedoen."
        ),
        location="Dorpshuis Elim, Vaartweg 2",
        reach=Reach.DORP,
        notions=(N.ONTMOETEN, N.SAAMHORIGHEID),
        notions_explanation="Iedereen kan de voorstellingen en vergaderingen weer volgen.",
        support_description="Toneelclub De Vaart, het koor en Dorpsbelangen.",
        supporters_estimate=150,
        own_effort="Vrijwilligers van de toneelclub installeren en beheren de apparatuur.",
        lines=(
            ("Mengpaneel en speakers", 2850),
            ("Twee draadloze microfoons", 420),
            ("Kabels en standaards", 230),
        ),
        own_contribution=500,
        submitter_kind=SubmitterKind.VERENIGING,
        organisation_name="Vereniging Dorpsbelangen Elim",
        sent=(2, 14),
        texts={
            S.AFGEROND: (
                "Het dorpshuis heeft de bonnen en foto's laten zien. Er bleef € 112 over: dat "
                "gaat terug naar het bewonersbudget van Elim."
            )
        },
    ),
    DemoIdea(
        title="Zomerfestival op de Middenraai",
        area="hollandscheveld",
        kind=KORT,
        status=S.GEREALISEERD,
        submitter="albert.koster@example.org",
        summary="Een gratis festival aan het water, met muziek van eigen bodem en spelletjes.",
        description=(
            "Op de laatste zaterdag van de zomervakantie houden we een festival langs de "
            "Middenraai. Bandjes uit het dorp spelen, er zijn spelletjes voor de kinderen en de "
            "verenigingen laten zien wat ze doen."
        ),
        location="Langs de Middenraai bij dorpshuis De Schakel",
        reach=Reach.DORP,
        notions=(N.ONTMOETEN, N.SAAMHORIGHEID),
        notions_explanation="Het hele dorp viert samen de zomer.",
        support_description="De muziekvereniging, de ondernemers en veel vrijwilligers.",
        supporters_estimate=500,
        own_effort="Veertig vrijwilligers bouwen op, schenken en ruimen op.",
        lines=(
            ("Huur podium", 1200),
            ("Muziek en geluid", 1500),
            ("Activiteiten voor kinderen", 600),
            ("Vergunning en EHBO", 300),
        ),
        own_contribution=800,
        other_funding=1000,
        other_funding_note="Sponsoring door ondernemers uit Hollandscheveld",
        submitter_kind=SubmitterKind.ORGANISATIE,
        organisation_name="Stichting Zomerfeest Hollandscheveld",
        sent=(4, 2),
    ),
    DemoIdea(
        title="Informatiebord over de kano van Pesse",
        area="pesse",
        kind=KORT,
        status=S.IN_UITVOERING,
        submitter="trijntje.wolters@example.org",
        summary="Een bord op de Brink dat vertelt over de oudste boot ter wereld, gevonden in "
        "Pesse.",
        description=(
            "Veel fietsers en wandelaars komen door Pesse, maar weinigen weten dat hier de "
            "oudste boot ter wereld is gevonden. Een bord op de Brink vertelt het verhaal, met "
            "een tekening voor kinderen."
        ),
        location="De Brink in Pesse",
        reach=Reach.DORP,
        notions=(N.LEEFBAARHEID, N.SAAMHORIGHEID),
        notions_explanation="We zijn trots op ons dorp en laten dat zien.",
        support_description="De historische vereniging en de basisschool.",
        supporters_estimate=70,
        own_effort="De historische vereniging schrijft de tekst, kinderen maken de tekening.",
        lines=(("Ontwerp en drukwerk", 650), ("Bord en paal", 1400), ("Plaatsing", 300)),
        sent=150,
    ),
    DemoIdea(
        title="Opschoondag rond de vijver in Erflanden",
        area="erflanden",
        kind=KORT,
        status=S.GOEDGEKEURD,
        submitter="bas.meijer@example.org",
        summary="Twee keer per jaar maken buren samen de oevers van de vijver schoon.",
        description=(
            "Rond de vijver ligt veel zwerfafval. Op twee zaterdagen per jaar ruimen we samen "
            "op, met grijpers en hesjes, en sluiten we af met soep voor iedereen die meehielp."
        ),
        location="De vijver aan de Vijverlaan",
        reach=Reach.BUURT,
        notions=(N.LEEFBAARHEID, N.ZELFWERKZAAMHEID, N.ONTMOETEN),
        notions_explanation="Een schone vijver, en buren die samen iets doen.",
        support_description="De hengelsportvereniging en de buurtapp van de Vijverlaan.",
        supporters_estimate=45,
        own_effort="Wij organiseren de dagen en ruimen zelf op.",
        lines=(
            ("Grijpers, zakken en handschoenen", 320),
            ("Soep, koffie en broodjes", 280),
            ("Hesjes voor kinderen", 150),
        ),
        sent=45,
        confirmed=3,
    ),
    DemoIdea(
        title="Kerstverlichting in de Hoofdstraat",
        area="centrum",
        kind=KORT,
        status=S.AFGEWEZEN,
        submitter="yvonne.smit@example.org",
        summary="Lichtjes boven de Hoofdstraat in december.",
        description="Met lichtjes boven de straat wordt het centrum in december gezelliger.",
        location="Hoofdstraat",
        reach=Reach.WIJK,
        notions=(N.LEEFBAARHEID,),
        notions_explanation="Een gezellig centrum in de donkere maand.",
        support_description="Een paar bewoners boven de winkels.",
        supporters_estimate=10,
        own_effort="Wij helpen met ophangen.",
        lines=(("Lichtsnoeren", 3800), ("Ophangen en weghalen", 1200)),
        sent=90,
        texts={
            S.AFGEWEZEN: (
                "Het wijkteam vindt het een sympathiek idee, maar het past niet binnen de "
                "voorwaarden: de verlichting kost elk jaar opnieuw geld voor ophangen, stroom "
                "en opslag, en de winkeliers zorgen al voor verlichting in de Hoofdstraat. We "
                "kijken graag samen of een kerstactiviteit voor bewoners wel kan."
            )
        },
    ),
    DemoIdea(
        title="Jeu-de-boulesbaan bij het dorpshuis Tiendeveen",
        area="tiendeveen",
        kind=KORT,
        status=S.INGETROKKEN,
        submitter="lammert.brink@example.org",
        summary="Een jeu-de-boulesbaan naast het dorpshuis, voor een potje op zomeravonden.",
        description="Naast het dorpshuis is ruimte voor een baan van vier bij vijftien meter.",
        location="Naast het dorpshuis",
        reach=Reach.DORP,
        notions=(N.ONTMOETEN,),
        notions_explanation="Een spel waar jong en oud samen aan meedoen.",
        support_description="De ouderensoos en de biljartclub.",
        supporters_estimate=25,
        own_effort="We leggen de baan zelf aan.",
        lines=(("Grind en opsluitbanden", 900), ("Ballen en bord", 150)),
        sent=40,
        path=(S.IN_BEHANDELING, S.INGETROKKEN),
        texts={
            S.INGETROKKEN: (
                "We hebben een andere oplossing gevonden: de ijsvereniging laat ons haar terrein "
                "gebruiken. Bedankt voor het meedenken!"
            )
        },
    ),
    DemoIdea(
        title="Buurtfeest op Bevrijdingsdag",
        area="verzetsbuurt",
        kind=KORT,
        status=S.AFGEROND,
        submitter="marleen.hoekstra@example.org",
        summary="Op 5 mei viert de Verzetsbuurt de vrijheid met een feest voor de hele buurt.",
        description=(
            "De straten in onze wijk zijn genoemd naar mensen uit het verzet. Op Bevrijdingsdag "
            "vertellen ouderen hun verhaal, en daarna is er muziek, een springkussen en eten "
            "uit alle keukens van de buurt."
        ),
        location="Speelveld aan de Hannie Schaftstraat",
        reach=Reach.WIJK,
        notions=(N.SAAMHORIGHEID, N.ONTMOETEN),
        notions_explanation="Samen vieren dat we in vrijheid leven.",
        support_description="De oranjevereniging, de school en veel buren.",
        supporters_estimate=200,
        own_effort="Buren koken, bouwen op en ruimen op.",
        lines=(
            ("Springkussen", 350),
            ("Muziek", 400),
            ("Eten en drinken", 600),
            ("Versiering", 150),
        ),
        sent=(3, 1),
    ),
    DemoIdea(
        title="Minibieb in de De Ruyterstraat",
        area="zeeheldenbuurt",
        kind=KORT,
        status=S.BUDGET_TOEGEKEND,
        submitter="johan.bakker@example.org",
        summary="Een kastje voor boeken: neem er een mee, zet er een terug.",
        description=(
            "Een waterdicht boekenkastje aan de stoep, waar buren boeken ruilen. Voor kinderen "
            "komt er een eigen plank."
        ),
        location="Voor De Ruyterstraat 18",
        reach=Reach.STRAAT,
        notions=(N.ONTMOETEN, N.SAAMHORIGHEID),
        notions_explanation="Bij het kastje maken buren een praatje.",
        support_description="De buren van nummer 10 tot en met 30.",
        supporters_estimate=25,
        own_effort="Ik bouw en schilder het kastje zelf en houd het netjes.",
        lines=(("Kastje en glas", 380), ("Verf en bevestiging", 90), ("Eerste boeken", 80)),
        sent=100,
        confirmed=6,
    ),
    DemoIdea(
        title="Voetbaldoeltjes op het trapveld aan de Hertenkamp",
        area="zuid",
        kind=KORT,
        status=S.GEREALISEERD,
        submitter="sandra.nijboer@example.org",
        summary="Twee echte doeltjes op het trapveld, in plaats van jassen op de grond.",
        description="Op het trapveld voetballen elke middag kinderen. Doeltjes met netten maken "
        "het veld veel leuker.",
        location="Trapveld aan de Hertenkamp",
        reach=Reach.BUURT,
        target_group="Kinderen en jongeren",
        notions=(N.LEEFBAARHEID, N.ONTMOETEN),
        notions_explanation="Kinderen spelen buiten in plaats van binnen.",
        support_description="De kinderen van de buurt en hun ouders.",
        supporters_estimate=40,
        own_effort="Ouders helpen met plaatsen en controleren de netten.",
        lines=(("Twee doeltjes", 1100), ("Netten", 140), ("Plaatsen", 260)),
        sent=180,
    ),
    DemoIdea(
        title="Kerstmarkt bij buurthuis De Tamboer",
        area="krakeel",
        kind=KORT,
        status=S.AFGEROND,
        submitter="ria.veenstra@example.org",
        summary="Een kerstmarkt met kraampjes van buren, warme chocolademelk en een koor.",
        description=(
            "Buren verkopen zelfgemaakte spullen, de opbrengst gaat naar de voedselbank. Het "
            "koor van de wijk zingt en er is warme chocolademelk voor iedereen."
        ),
        location="Plein voor buurthuis De Tamboer",
        reach=Reach.WIJK,
        notions=(N.SAAMHORIGHEID, N.ONTMOETEN),
        notions_explanation="In de donkere dagen samen iets moois maken.",
        support_description="Het koor, de handwerkclub en de initiatiefgroep.",
        supporters_estimate=150,
        own_effort="Buren bemensen de kraampjes en ruimen samen op.",
        lines=(
            ("Huur kraampjes", 700),
            ("Verlichting en verlengsnoeren", 250),
            ("Chocolademelk en koek", 300),
        ),
        sent=(9, 8),
    ),
    DemoIdea(
        title="AED-cursus voor dorpsbewoners",
        area="elim",
        kind=KORT,
        status=S.INGEDIEND,
        submitter="hennie.oosting@example.org",
        summary="Twintig dorpsbewoners leren reanimeren en de AED bij het dorpshuis gebruiken.",
        description=(
            "Bij het dorpshuis hangt een AED, maar weinig mensen durven hem te gebruiken. Met "
            "een cursus zijn er in elk deel van het dorp mensen die kunnen helpen."
        ),
        location="Dorpshuis Elim",
        reach=Reach.DORP,
        notions=(N.LEEFBAARHEID, N.SAAMHORIGHEID),
        notions_explanation="Een veiliger dorp, waar buren voor elkaar klaarstaan.",
        support_description="EHBO-vereniging Elim.",
        supporters_estimate=20,
        own_effort="Wij zoeken de deelnemers en regelen de zaal.",
        lines=(("Cursus door een erkende trainer", 900), ("Oefenpop huren", 100)),
        sent=5,
        published=False,
    ),
    DemoIdea(
        title="Geveltuintjes in de Hannie Schaftstraat",
        area="verzetsbuurt",
        kind=KORT,
        status=S.IN_BEHANDELING,
        submitter="marleen.hoekstra@example.org",
        summary="Een strook planten langs de gevels: groener, koeler en mooier.",
        description=(
            "Bewoners halen samen een rij tegels langs de gevels weg en planten er klimmers en "
            "vaste planten. De gemeente helpt met het weghalen van de tegels."
        ),
        location="Hannie Schaftstraat",
        reach=Reach.STRAAT,
        notions=(N.LEEFBAARHEID, N.ZELFWERKZAAMHEID),
        notions_explanation="Een groene straat, die de buren zelf onderhouden.",
        support_description="Achttien huishoudens doen mee.",
        supporters_estimate=18,
        own_effort="Iedereen plant en verzorgt het eigen tuintje.",
        lines=(("Planten en klimmers", 900), ("Tuinaarde", 250), ("Gereedschap", 150)),
        sent=14,
    ),
    DemoIdea(
        title="Bloembakken op het Raadhuisplein",
        area="centrum",
        kind=KORT,
        status=S.IN_UITVOERING,
        submitter="yvonne.smit@example.org",
        summary="Zes grote bloembakken maken het plein fleuriger; buren zorgen voor de planten.",
        description=(
            "Het Raadhuisplein is grijs. Met zes grote bakken met vaste planten en bloembollen "
            "wordt het een plek waar je graag even zit."
        ),
        location="Raadhuisplein",
        reach=Reach.BUURT,
        notions=(N.LEEFBAARHEID, N.ZELFWERKZAAMHEID),
        notions_explanation="Een fleurig plein dat bewoners zelf bijhouden.",
        support_description="De bewoners boven de winkels en de seniorenflat.",
        supporters_estimate=30,
        own_effort="Een groep van acht buren geeft water en wiedt.",
        lines=(("Zes bloembakken", 1800), ("Planten, bollen en potgrond", 600)),
        sent=160,
    ),
]

# Explanations with the usual steps; {team} is wijkteam or dorpenteam.
STEP_TEXTS = {
    S.GOEDGEKEURD: (
        "Het {team} heeft het idee besproken met de initiatiefgroep. Het past binnen de "
        "voorwaarden."
    ),
    S.BUDGET_TOEGEKEND: (
        "Het {team} kent € {amount} toe uit het bewonersbudget {year} van {area}. Jullie kunnen "
        "beginnen!"
    ),
    S.BIJ_STUURGROEP: (
        "Het {team} legt dit plan voor aan de stuurgroep. Die kijkt of bewoners en organisaties "
        "het plan genoeg steunen."
    ),
    S.FINANCIERING: (
        "De stuurgroep ziet genoeg draagvlak bij bewoners en organisaties. Nu zoeken we samen "
        "geld bij fondsen, de gemeente en de woningcorporaties."
    ),
    S.IN_UITVOERING: "Het geld is er. De bewoners gaan aan de slag, met hulp van het {team}.",
    S.GEREALISEERD: "Het is klaar! De indieners laten nog zien waaraan het geld is besteed.",
    S.AFGEROND: (
        "De indieners hebben de kosten laten zien met bonnen en foto's. Het {team} heeft het "
        "idee afgerond."
    ),
}

KORTE_WAY = [S.IN_BEHANDELING, S.GOEDGEKEURD, S.BUDGET_TOEGEKEND, S.IN_UITVOERING]
LANGE_WAY = [S.IN_BEHANDELING, S.BIJ_STUURGROEP, S.FINANCIERING, S.IN_UITVOERING]
END_WAY = [S.GEREALISEERD, S.AFGEROND]


def steps_for(spec: DemoIdea) -> list[str]:
    """The statuses an idea passes after it is sent, to end where the demo wants it."""
    if spec.path:
        return list(spec.path)
    way = (KORTE_WAY if spec.kind == KORT else LANGE_WAY) + END_WAY
    if spec.status in way:
        return way[: way.index(spec.status) + 1]
    if spec.status == S.INGEDIEND:
        return []
    return [S.IN_BEHANDELING, spec.status]  # a question, a rejection or a withdrawal


def _euros(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", ".")


def _sent_at(spec: DemoIdea, now: datetime, position: int) -> datetime:
    if isinstance(spec.sent, tuple):
        month, day = spec.sent
        return timezone.make_aware(datetime(now.year - 1, month, day, 10, position % 60))
    start_of_year = timezone.make_aware(datetime(now.year, 1, 1, 9, position % 60))
    return min(max(now - timedelta(days=spec.sent), start_of_year), now)


def _resident(email: str, first: str, last: str) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_unusable_password()  # residents sign in with a code sent by e-mail
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _number_in_year(idea: Idea, year: int) -> None:
    """submit_idea numbers an idea in the current year; one sent last year gets last year's
    number, and the current year's number it took is given back (it was the last one taken)."""
    IdeaSequence.objects.filter(year=idea.year, last_number=idea.number).update(
        last_number=idea.number - 1
    )
    IdeaSequence.objects.get_or_create(year=year)
    sequence = IdeaSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    Idea.objects.filter(pk=idea.pk).update(
        year=year,
        number=sequence.last_number,
        reference=f"{year}-{sequence.last_number:04d}",
    )


def _backdate(idea: Idea, sent_at: datetime, now: datetime) -> None:
    """The idea was sent at `sent_at`; its steps followed at most a month apart, before now."""
    history = list(StatusChange.objects.filter(idea=idea).order_by("at", "pk"))
    gap = min((now - sent_at) / (len(history) + 1), timedelta(days=30))
    for i, change in enumerate(history):
        change.at = sent_at + gap * i
    StatusChange.objects.bulk_update(history, ["at"])
    Idea.objects.filter(pk=idea.pk).update(
        created_at=sent_at - timedelta(days=2),
        submitted_at=sent_at,
        decision_due=timezone.localdate(sent_at)
        + timedelta(weeks=settings.SMEDERIJEN_DECISION_WEEKS),
    )


def _fields(spec: DemoIdea, smederij: Smederij, start, position: int) -> dict:
    place = smederij.name if smederij.kind == Smederij.Kind.DORP else "Hoogeveen"
    street = STREETS[spec.area][position % len(STREETS[spec.area])]
    end = start + timedelta(days=30 * spec.months)
    return {
        "kind": spec.kind,
        "smederij": smederij,
        "location": spec.location,
        "reach": spec.reach,
        "target_group": spec.target_group,
        "title": spec.title,
        "summary": spec.summary,
        "description": spec.description,
        **{f"serves_{notion}": notion in spec.notions for notion in Notion.values},
        "notions_explanation": spec.notions_explanation,
        "support_description": spec.support_description,
        "supporters_estimate": spec.supporters_estimate,
        "neighbours_involvement": spec.neighbours,
        "own_effort": spec.own_effort,
        "amount_requested": spec.amount_requested,
        "own_contribution": Decimal(spec.own_contribution),
        "other_funding": Decimal(spec.other_funding),
        "other_funding_note": spec.other_funding_note,
        "start_date": start,
        "end_date": end,
        "submitter_kind": spec.submitter_kind,
        "organisation_name": spec.organisation_name,
        "contact_phone": f"06 4{position:02d}1 2{position:02d}3",
        "contact_address": f"{street} {position * 3 + 2}, {place}",
        "name_is_public": spec.submitter_kind == SubmitterKind.INWONER and position % 3 != 0,
        "accepted_conditions": True,
        "accepted_privacy": True,
    }


CONCEPT_FIELDS = (
    "kind",
    "smederij",
    "location",
    "reach",
    "target_group",
    "title",
    "summary",
    "description",
    *[f"serves_{notion}" for notion in Notion.values],
)


def _load_idea(spec: DemoIdea, position: int, people: dict, now: datetime) -> Idea | None:
    smederij = people["areas"][spec.area]
    if Idea.objects.filter(title=spec.title, smederij=smederij).exists():
        return None
    resident = people["users"][spec.submitter]
    team_actor = people["team"][spec.area]
    sent_at = _sent_at(spec, now, position)
    start = timezone.localdate(sent_at) + timedelta(days=60 if spec.kind == LANG else 30)
    fields = _fields(spec, smederij, start, position)
    lines = [{"item": item, "amount": Decimal(amount)} for item, amount in spec.lines]

    idea = services.start_idea(user=resident)
    if spec.status == S.CONCEPT:  # halfway the form: the place and the idea are filled in
        fields = {name: fields[name] for name in CONCEPT_FIELDS}
        return services.save_idea_step(idea, fields=fields, budget_lines=lines)
    idea = services.save_idea_step(idea, fields=fields, budget_lines=lines)
    idea = services.submit_idea(idea, actor=resident)
    if sent_at.year != idea.year:
        _number_in_year(idea, sent_at.year)

    team = "dorpenteam" if smederij.kind == Smederij.Kind.DORP else "wijkteam"
    words = {
        "team": team,
        "area": smederij.name,
        "year": sent_at.year,
        "amount": _euros(spec.amount_requested),
    }
    for to_status in steps_for(spec):
        rule = workflow.TRANSITIONS[(idea.status, to_status)]
        actor = {
            workflow.SUBMITTER: resident,
            workflow.TEAM: team_actor,
            workflow.STUURGROEP: people["stuurgroep"],
        }[rule.actor]
        if idea.status == S.AANVULLING_GEVRAAGD and to_status == S.IN_BEHANDELING:
            idea = services.answer_question(idea, actor=actor, answer=spec.texts["answer"])
            continue
        text = spec.texts.get(to_status, STEP_TEXTS.get(to_status, "")).format(**words)
        if to_status == S.AFGEROND:
            _signed_off_accounting(idea, actor)
        idea = services.transition(idea, to_status, actor=actor, public_text=text)
        if to_status == S.IN_BEHANDELING and spec.reclassify:
            kind, reason = spec.reclassify
            idea = services.reclassify_idea(idea, actor=team_actor, kind=kind, reason=reason)

    if spec.published:
        idea = services.set_published(idea, actor=smederij.gebiedsregisseur, published=True)
    _backdate(idea, sent_at, now)

    streets = STREETS[spec.area]
    for k in range(spec.confirmed + spec.unconfirmed):
        support = services.give_support(
            idea,
            name=SUPPORTERS[(k + position) % len(SUPPORTERS)],
            email=f"buurtbewoner{k + 1}@example.org",
            street=streets[k % len(streets)],
            smederij=smederij if k % 5 != 4 else None,  # some rather not say where they live
        )
        if k < spec.confirmed:
            services.confirm_support(support)
    if spec.paper:
        count, note = spec.paper
        services.add_paper_list(idea, actor=team_actor, count=count, note=note)
    if spec.remark:
        services.add_inventory_remark(idea, actor=people["users"][FATIMA], text=spec.remark)
    return idea


def _load_conditions(year: int) -> None:
    for y in (year - 1, year):
        for position, (kind, title, text) in enumerate(CONDITIONS, start=1):
            Condition.objects.get_or_create(
                year=y, title=title, defaults={"kind": kind, "text": text, "position": position}
            )


def load_ideas() -> list[Idea]:
    """Load the demo conditions and ideas (after people.load_people); returns the new ideas.

    Runs in its own transaction, so the mails of the services are sent (to nowhere) at its end.
    """
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            loaded = _load_ideas()
            load_standard_texts()
            return loaded


def _load_ideas() -> list[Idea]:
    now = timezone.now()
    _load_conditions(timezone.localdate(now).year)
    areas = {s.slug: s for s in Smederij.objects.select_related("gebiedsregisseur")}
    users = {u.email: u for u in User.objects.filter(email__in=[KEES, FATIMA, STUURGROEPLID])}
    for email, first, last in RESIDENTS:
        users[email] = _resident(email, first, last)
    team = {slug: s.gebiedsregisseur for slug, s in areas.items()}
    team.update({slug: User.objects.get(email=email) for slug, email in TEAM_ACTORS.items()})
    people = {"areas": areas, "users": users, "team": team, "stuurgroep": users[STUURGROEPLID]}
    # Oldest first, so the references follow the order in which the ideas were sent.
    order = sorted(enumerate(IDEAS), key=lambda pair: _sent_at(pair[1], now, pair[0]))
    loaded = [_load_idea(spec, position, people, now) for position, spec in order]
    return [idea for idea in loaded if idea is not None]


# Standard texts for the wijkteam's answers: (use, title, text), found again by their title.
# Uses (StandardText.Use): vraag, goedkeuring, toekenning, afwijzing, stuurgroep, soort, overig.
STANDARD_TEXTS = [
    (
        "vraag",
        "Wie doen er mee?",
        "Kun je vertellen wie er nog meer meedoen? Noem bijvoorbeeld de buren of de vereniging "
        "die helpt, en wat zij gaan doen.",
    ),
    (
        "vraag",
        "Begroting uitleggen",
        "Kun je de begroting iets beter uitleggen? Wat kost elk onderdeel, en heb je daar een "
        "offerte of een prijs van een winkel bij?",
    ),
    (
        "vraag",
        "Steun van de buurt",
        "Hoe weet je dat de buurt achter je idee staat? Laat het ons weten, bijvoorbeeld met een "
        "lijst met handtekeningen of steun op de website.",
    ),
    (
        "goedkeuring",
        "Voldoet aan de voorwaarden",
        "Goed nieuws: je idee voldoet aan de voorwaarden. We kijken nu hoeveel geld we uit het "
        "bewonersbudget kunnen geven.",
    ),
    (
        "goedkeuring",
        "Goedgekeurd met een tip",
        "Je idee voldoet aan de voorwaarden. Een tip: vraag de buren op tijd om mee te helpen, "
        "dan wordt het nog mooier.",
    ),
    (
        "toekenning",
        "Geld toegekend",
        "We geven je het geld uit het bewonersbudget. Bewaar de bonnen: na afloop laat je zien "
        "waar het geld aan is uitgegeven.",
    ),
    (
        "toekenning",
        "Minder geld dan gevraagd",
        "We geven een deel van het gevraagde bedrag. Het bewonersbudget is dit jaar beperkt. "
        "Neem contact op als je wilt bespreken hoe je het idee toch kunt uitvoeren.",
    ),
    (
        "afwijzing",
        "Past niet binnen de voorwaarden",
        "Het idee past niet binnen de voorwaarden van dit jaar, omdat …",
    ),
    (
        "afwijzing",
        "Te weinig steun",
        "We hebben je idee goed bekeken. Er is nu nog te weinig steun in de buurt voor. Je mag "
        "het idee later opnieuw insturen, met meer mensen die meedoen.",
    ),
    (
        "stuurgroep",
        "Naar de stuurgroep",
        "Je plan is groot en vraagt om samenwerking en meer geld. Daarom gaat het naar de "
        "stuurgroep. Die kijkt naar de steun voor het plan en beslist daarna.",
    ),
    (
        "stuurgroep",
        "Stuurgroep en draagvlak",
        "De stuurgroep bespreekt je plan in de volgende vergadering. Het helpt als veel mensen "
        "het plan steunen op de website.",
    ),
    (
        "soort",
        "Korte klap wordt lange klap",
        "Je idee is te groot om binnen een jaar uit te voeren met het bewonersbudget. Daarom "
        "maken we er een lange-klap plan van. Zo kunnen we samen zoeken naar meer geld.",
    ),
    (
        "soort",
        "Lange klap wordt korte klap",
        "Je plan is eenvoudiger dan eerst leek. Het kan binnen een jaar, met geld uit het "
        "bewonersbudget. Daarom maken we er een korte-klap idee van.",
    ),
    (
        "overig",
        "Je mag beginnen",
        "Je mag beginnen met je idee. Het wijkteam helpt je waar dat nodig is. Veel succes!",
    ),
    (
        "overig",
        "Gerealiseerd, graag verantwoorden",
        "Wat mooi dat je idee klaar is! Laat ons nu weten wat het echt heeft gekost. Stuur de "
        "bonnen en een paar foto's mee.",
    ),
]


def load_standard_texts() -> int:
    """Load the demo standard texts (idempotent by title); returns how many were added."""

    added = 0
    for position, (use, title, text) in enumerate(STANDARD_TEXTS, start=1):
        _text, created = StandardText.objects.get_or_create(
            title=title, defaults={"use": use, "text": text, "position": position}
        )
        added += created
    return added


# The verantwoording after realisation (loaded after money.py, which books the grants):
# title → (how it went, photos may be public, the satisfaction answer (score, why) or None).
ACCOUNTINGS = {
    "Geluidsinstallatie voor dorpshuis Elim": (
        "De installatie hangt en werkt. Bij de eerste dorpsvergadering verstond iedereen alles, "
        "ook achter in de zaal. De toneelclub heeft al twee voorstellingen gespeeld.",
        True,
        (5, "Snel besloten, en het dorpenteam dacht mee over de offertes."),
    ),
    "Buurtfeest op Bevrijdingsdag": (
        "Ruim tweehonderd buren kwamen. Drie ouderen vertelden over de oorlog; de kinderen "
        "luisterden muisstil. Volgend jaar doen we het weer.",
        True,
        (4, "Fijn geregeld. Het duurde wel even voordat het geld er was."),
    ),
    "Kerstmarkt bij buurthuis De Tamboer": (
        "Twintig kraampjes, het koor zong twee keer en de voedselbank kreeg € 640.",
        False,
        None,
    ),
}
# Realised, with a verantwoording sent and waiting for the team's sign-off.
ACCOUNTING_SENT = (
    "Zomerfestival op de Middenraai",
    "Het was een prachtige dag met zes bandjes uit het dorp. Het podium kostte minder dan "
    "gedacht, omdat de muziekvereniging de geluidsman regelde.",
)
# Answers to the satisfaction question of rejected ideas: title → (score, why).
REJECTION_ANSWERS = {
    "Kerstverlichting in de Hoofdstraat": (3, "Jammer, maar de uitleg was duidelijk."),
}
# A one-page PDF: the receipt of the demo.
DEMO_RECEIPT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_accountings() -> None:
    """The completed demo ideas were accounted for and signed off when they were completed (as
    history, like their grants in money.py); one realised idea waits for the team's sign-off;
    some submitters answered the satisfaction question."""

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            for title, (_story, _public, answer) in ACCOUNTINGS.items():
                idea = Idea.objects.filter(title=title, status=S.AFGEROND).first()
                if idea is None:
                    continue
                closed = idea.history.filter(to_status=S.AFGEROND).last()
                grant = Grant.objects.filter(idea=idea).first()
                cost = grant.spent if grant else idea.amount_requested
                Accounting.objects.filter(idea=idea, actual_cost__isnull=True).update(
                    actual_cost=cost,
                    accepted_cost=cost,
                    sent_at=closed.at - timedelta(days=7),
                    signed_off_at=closed.at,
                )
                if answer:
                    _answer_survey(idea, closed.at, *answer)
            # Demo only: each closed idea was asked when it was closed, not today.
            for survey in SatisfactionSurvey.objects.filter(answered_at__isnull=True):
                closed = survey.idea.history.filter(to_status=survey.idea.status).last()
                SatisfactionSurvey.objects.filter(pk=survey.pk).update(asked_at=closed.at)
            for title, answer in REJECTION_ANSWERS.items():
                idea = Idea.objects.filter(title=title, status=S.AFGEWEZEN).first()
                if idea is not None:
                    _answer_survey(idea, idea.history.last().at, *answer)

            title, story = ACCOUNTING_SENT
            idea = Idea.objects.filter(title=title, status=S.GEREALISEERD).first()
            if idea is None or Accounting.objects.filter(idea=idea).exists():
                return
            resident = idea.submitted_by
            grant = Grant.objects.filter(idea=idea).first()
            cost = (grant.spent + (grant.amount - grant.spent) / 2) if grant else Decimal("0")
            services.save_accounting(
                idea,
                actor=resident,
                actual_cost=cost.quantize(Decimal("1")),
                story=story,
                photos_public=True,
            )
            services.add_accounting_file(
                idea,
                CheckedFile(DEMO_RECEIPT, "application/pdf", Attachment.FileKind.PDF, "bonnen.pdf"),
                actor=resident,
                purpose=Attachment.Purpose.RECEIPT,
            )
            services.send_accounting(idea, actor=resident)


def _signed_off_accounting(idea: Idea, actor) -> None:
    """Demo only: the completed ideas were accounted for and signed off in the past (before
    money.py settled their grants); their costs are filled in by load_accountings."""

    story, photos_public, _answer = ACCOUNTINGS.get(idea.title, ("", False, None))
    Accounting.objects.get_or_create(
        idea=idea,
        defaults={
            "state": Accounting.State.SIGNED_OFF,
            "story": story,
            "photos_public": photos_public,
            "signed_off_by": actor,
        },
    )


def _answer_survey(idea: Idea, closed_at, score: int, reason: str) -> None:

    survey = SatisfactionSurvey.objects.filter(idea=idea, answered_at__isnull=True).first()
    if survey is None:
        return
    services.answer_satisfaction(survey, score=score, reason=reason)
    # Demo only: asked and answered when the idea was closed, not today.
    SatisfactionSurvey.objects.filter(pk=survey.pk).update(
        asked_at=closed_at, answered_at=closed_at + timedelta(days=2)
    )
