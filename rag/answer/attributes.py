"""Which measurable attribute a question asks about (a salary, a headcount, a price, a founding date …) and
whether a sentence names it, in English, German, Russian, French, Italian and Spanish.

A near miss names the right company and asks for a number the documents give for something else: "How much
does Microsoft pay Sam Altman per year?" against "$500 billion for Stargate". The question's attribute words
tell: an answer sentence names the salary, the employees or the price it gives a figure for. Each attribute
is a closed list of word stems; a stem of five letters or more also matches inside a word (German compounds:
"Jahresgehalt", "Mitarbeiterzahl"), a shorter one only as a word's start with at most three letters after it
("costs", "costano", not "costruito"); a final "$" asks for the whole word ("sales", not "Salesforce").
"""
from __future__ import annotations

import re
from functools import lru_cache

from .kinds import asks_change

_SUBSCRIBERS = ("subscriber", "subscription", "abonnent", "abonniert", "abonnement", "подписчик", "подписк", "абонент", "abonné", "abbonat", "abbonament", "suscriptor", "suscrip", "abonad")
# attribute -> ("kind:unit" of the questions it applies to, its stems in six languages[, stems that count only in a sentence]).
# A release date was tried and dropped: "launch" is asked of attacks, and a song's year often stands without "released".
ATTRIBUTES: dict[str, tuple[tuple[str, ...], ...]] = {
    "salary": (("amount:money", "amount:any"), (
        "salar", "wage", "earn", "earning", "income", "compensation",
        "gehalt", "gehält", "lohn", "löhne", "verdien", "einkommen", "vergütung",
        "зарплат", "заработ", "оклад", "жалован", "доход", "вознагражд",
        "salaire", "rémunér", "gagne", "revenu",
        "stipend", "retribu", "guadagn", "reddit", "compens",
        "sueldo", "gana", "ingreso", "remunera", "cobr",
    )),
    "employees": (("amount:count", "amount:any"), (
        "employ", "staff", "workforce", "worker", "personnel", "headcount",
        "mitarbeiter", "beschäftigt", "angestellt", "belegschaft", "arbeitnehmer",
        "сотрудник", "работник", "работающ", "персонал",
        "employé", "salarié", "effectif", "travailleur",
        "dipendent", "impiegat", "lavorator", "personale", "organico",
        "emplead", "trabajador", "plantilla",
    )),
    "users": (("amount:count", "amount:any"), (
        "user", "customer", "client",
        "nutzer", "benutzer", "anwender", "kunde", "kunden",
        "пользовател", "клиент",
        "utilisateur",
        "utent", "utilizzator",
        "usuari",
    ), _SUBSCRIBERS),  # a subscriber is a user; a user need not be a subscriber
    "subscribers": (("amount:count", "amount:any"), _SUBSCRIBERS),
    "valuation": (("amount:money", "amount:any"), (
        "valued", "^valuation", "bewertet", "bewertung", "оценк", "оценен", "оценив", "оценил", "стоимость компании",
        "valoris", "évalué", "valutat", "valutazion", "valorad", "valoraci", "valuad", "valuaci",
        "market cap", "capitaliz", "capitalis", "marktkapital", "börsenwert", "капитализ",
    )),
    "parameters": (("amount:count", "amount:any"), ("parameter", "paramet", "параметр", "paramètre", "parámetro")),
    "revenue": (("amount:money", "amount:any"), (
        "revenue", "turnover", "sales$", "income",
        "umsatz", "umsätze", "einnahme", "erlös", "ertr",
        "выручк", "доход", "оборот",
        "chiffre d'affaires", "revenu", "recette", "vente",
        "fatturat", "ricav", "entrat", "vendit",
        "ingreso", "facturación", "ventas",
    )),
    "loss": (("amount:money", "amount:any"), (
        "loss", "^losing", "lost", "deficit",
        "verlust", "defizit", "verlor",
        "убыт", "потер", "дефицит",
        "perte", "perdu", "déficit",
        "perdit", "perso$", "disavanz",
        "pérdida", "perdi",
    )),
    "price": (("amount:money", "amount:any"), (
        "price", "pric", "cost$", "costs$", "costly", "costing", "fees$", "charge", "pay$", "paid", "paying", "payment", "spen", "spending", "tariff",
        "preis", "kosten", "kostet", "gebühr", "bezahl", "gezahlt", "zahlt", "ausgeb", "ausgab",
        "цена", "цену", "цены", "ценой", "стоим", "стоит", "стоил", "заплат", "оплат", "выплат", "плати", "тарифн",
        "prix", "coût", "coûte", "tarif", "payé", "payer", "dépens", "frais",
        "prezz", "costa$", "costo$", "costi$", "costano", "tariff", "pagat", "paga", "pagament", "spes",
        "precio", "cuesta", "costó", "coste", "tarifa", "pagó", "pagar", "pagad", "gastó", "gasto", "cobr",
    )),
    "temperature": (("amount:any", "amount:count"), (
        "temperat", "degree", "grad", "градус", "температур", "degré", "gradi$", "grado$", "grados$", "°c", "°f", "° c", "° f",
    )),
    "founded": (("date:", "date:day"), (
        "founde", "foundin", "foundation", "gründ", "основа", "fond", "fondat", "fondation", "fondazion", "fund", "fundaci", "fundad",
    ), (  # only in a sentence: "established" is asked of committees and treaties as often as of firms
        "establish", "errichte", "создан", "учрежд", "créé", "établi", "istitu", "establecid",
    )),
    # how much something rose or fell: a figure without a word of change («Loyer 780 €», "£34.50 a month") is the level,
    # not the rise; a factor is both («fast verdoppelt», «il suo triplo»). Asked only with a verb of change (kinds.asks_change)
    "change": (("amount:any", "amount:percent"), (
        "rise$", "rises$", "rose$", "risen", "rising", "grew$", "grown$", "growth", "increas", "gone up", "went up", "go up", "goes up", "fell$", "fallen", "drop", "decreas", "declin",
        "gestiegen", "steig", "stieg", "gewachsen", "wuchs", "gesunken", "sank$", "gefallen", "fiel$", "erhöh", "zugelegt",
        "вырос", "выросл", "увелич", "подорож", "упал", "подешев", "снизил", "сниж", "рост",
        "augment", "hausse", "monté", "grimp", "baiss", "chut",
        "salit", "aument", "cresc", "cresciut", "scesa", "sceso", "calat", "rincar",
        "subi", "subió", "crec", "creci", "bajó", "cayó", "cayeron",
    ), (  # only in a sentence: a factor says how much
        "doubl", "tripl", "quadrupl", "verdoppel", "verdreifach", "vervierfach", "вдвое", "втрое", "вчетверо", "удвои", "утрои",
        "doublé", "triplé", "raddopp", "triplic", "duplicó", "duplicad",
        "additional", "further", "zusätzlich", "weitere", "дополнительн", "supplément", "ulterior", "aggiuntiv", "adicional",  # "increased by a further $10bn"
    )),
    "office": (("date:", "date:day"), (  # asked only with a verb of taking the office (``_TAKES_OFFICE``): "When did Nadella become CEO?"
        "ceo", "cto", "cfo", "pdg", "chief exec", "geschäftsführ", "vorstandschef", "vorstandsvorsitz", "president", "präsident", "président",
        "президент", "директор", "гендиректор", "руководител", "председател", "amministratore delegato", "director ejecutivo",
        "consejero delegado", "chairman", "vorsitz", "dirigeant", "dirigente", "presidente",
    )),
}
# "became / was appointed / devenu / ernannt / стал / è diventato / se convirtió en" before the office: when someone took it
_TAKES_OFFICE = re.compile(
    r"\b(?:became|become|becomes|appointed|named|elected|took over|devenu|devenue|nommée?|élue?|geworden|ernannt|gewählt|übernahm|"
    r"стал|стала|назначен\w*|избран\w*|diventat[oa]|nominat[oa]|elett[oa]|convirti[óo]|nombrad[oa]|elegid[oa])\b",
    re.IGNORECASE,
)
CHANGE = True  # "how much did it rise" asks for a change (evals/RESULTS.md)
# how --json's abstain_reason names each ("no figure for the asked headcount in the evidence")
LABELS = {"salary": "salary", "employees": "headcount", "users": "number of users", "subscribers": "number of subscribers", "valuation": "valuation", "parameters": "parameter count", "revenue": "revenue",
          "loss": "loss", "price": "price", "founded": "founding date", "temperature": "temperature",
          "office": "date of taking the office", "change": "change"}
_OF_KIND: dict[str, list[str]] = {}
for _name, _spec in ATTRIBUTES.items():
    for _kind in _spec[0]:
        _OF_KIND.setdefault(_kind, []).append(_name)


@lru_cache(maxsize=None)
def _pattern(attribute: str, in_sentence: bool = False) -> re.Pattern:
    parts = []
    for stem in ATTRIBUTES[attribute][1] + (ATTRIBUTES[attribute][2] if in_sentence and len(ATTRIBUTES[attribute]) > 2 else ()):
        core = re.escape(stem.rstrip("$"))
        if not stem[0].isalnum() and stem[0] != "^":  # a sign: "180 °C", "180°C"
            parts.append(core)
        elif stem.startswith("^"):  # a long stem that must start a word: "losing", not "closing"
            parts.append(r"(?<!\w)" + re.escape(stem[1:]))
        elif stem.endswith("$"):
            parts.append(r"(?<!\w)" + core + r"\b")
        elif len(stem) >= 5:
            parts.append(core)
        else:  # a short stem is a word's start with at most three letters after it: "costs", not "costruito"
            parts.append(r"(?<!\w)" + core + r"\w{0,3}\b")
    return re.compile("|".join(parts), re.IGNORECASE)


def asked(question: str, kind: str, unit: str = "") -> tuple[str, ...]:
    """The attributes a question of ``kind`` and ``unit`` names ("Wie hoch ist das Jahresgehalt …" -> ("salary",)), () for
    none. A money attribute is not asked by a count question ("how many square kilometres were lost" asks no loss)."""
    return tuple(a for a in _OF_KIND.get(f"{kind}:{unit}", ()) if _pattern(a).search(question) and (a != "office" or _TAKES_OFFICE.search(question)) and (a != "change" or (CHANGE and asks_change(question))))


# a founder is a person, not a founding: "DeepMind- und Inflection-Mitbegründer Mustafa Suleyman … Anfang 2024"
_AGENT = re.compile(r"(?:found|gründ|fondat|fundad|основат|сооснов)\w*(?:er|ers|eur|eurs|rice|ore|ori|or|ores|ель|еля|елем|ели|елей)$", re.IGNORECASE)
# words at most between an amount and its attribute's word: "Aufgrund der hohen Kosten verhandelte OpenAI … einen Deal mit Oracle
# im Wert von 10 Milliarden Dollar" gives no price (10 words apart); measured on XQuAD de/ru/es and the seeds (evals/RESULTS.md)
NEAR = 8
PRICE_SIGN = True  # a sum with its currency sign in a sentence naming no other use of money answers a price question (evals/RESULTS.md)
_SIGN = re.compile(r"[$€£¥₽]")
_OTHER_MONEY = re.compile(
    r"invest|financ|finanz|fund|förder|инвест|финанс|вложи|вложен|raccol|recaud|valu|valor|bewert|оцен|salar|gehalt|зарплат|revenue|umsatz|выручк|"
    r"chiffre d'affaires|fatturat|ingreso|loss|verlust|убыт|perte|perdit|pérdid|deal|acquisi|übernahm|kauf|сделк|rachat|acquist|adquisi|round|runde|раунд",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W_]+")
_WORD_REST = re.compile(r"[^\W_]*")


def names(sentence: str, attributes: tuple[str, ...], figures: tuple[str, ...] = ()) -> bool:
    """Whether ``sentence`` names one of ``attributes`` (given the amounts it holds, ``figures``: one within ``NEAR`` words of
    them; a founding date or an office may stand further from its verb, German puts the verb last). A founder is not a founding."""
    if PRICE_SIGN and "price" in attributes and any(_SIGN.search(f) for f in figures) and not _OTHER_MONEY.search(sentence):
        return True  # "catena nuova Shimano HG-71, 24 € + 10 € di montaggio": a sum for a thing, with no other money word, is its price
    for a in attributes:
        for m in _pattern(a, in_sentence=True).finditer(sentence):
            word = m.group(0) + _WORD_REST.match(sentence, m.end()).group(0)  # the whole word: "Mitbegründer"
            if a == "founded" and _AGENT.search(word):
                continue
            if not figures or a in ("founded", "office") or any(_near(sentence, m, f) and not _counts_other(sentence, f, a) for f in figures):
                return True
    return False


def gives(sentence: str, wanted: tuple[str, ...], figures: tuple[str, ...]) -> bool:
    """Whether ``sentence`` gives a figure for the ``wanted`` attributes: for one of them, and when a change is asked, for
    the change too ("How much did the weekly users rise?": «500 milioni di utenti» gives the users, not their rise)."""
    rest = tuple(a for a in wanted if a != "change")
    return (not rest or names(sentence, rest, figures)) and ("change" not in wanted or names(sentence, ("change",), figures))


# an article right before a number makes it the determiner of the noun after it: "des employés des deux entreprises"
# counts companies, not employees; "the 70 employees" counts employees
_ARTICLE_BEFORE = re.compile(r"(?<!\w)(?:the|der|die|den|des|dem|les|los|las|gli|le|i|dei|degli|delle|these|those|diese[nmrs]?)\s+$", re.IGNORECASE)


def _counts_other(sentence: str, figure: str, attribute: str) -> bool:
    """Whether ``figure`` counts another noun than ``attribute``: an article before it and the attribute's word neither
    in it nor among the two words after it."""
    at = sentence.find(figure)
    if at < 0 or not _ARTICLE_BEFORE.search(sentence[max(0, at - 12) : at]):
        return False
    after = " ".join(_WORDS.findall(sentence[at + len(figure) : at + len(figure) + 40])[:2])
    return _pattern(attribute, in_sentence=True).search(f"{figure} {after}") is None  # the span may hold its noun: "70 employees"


def _near(sentence: str, m: re.Match, figure: str) -> bool:
    at = sentence.find(figure)
    if at < 0:
        return True
    between = sentence[m.end() : at] if at >= m.end() else sentence[at + len(figure) : m.start()]
    return len(_WORDS.findall(between)) <= NEAR


_YEAR = re.compile(r"(?<![\w.,])(1[5-9]\d\d|20\d\d)(?![\w.,]\d)")


def years(text: str) -> set[str]:
    """The years a text names ("2019", not "2019,5")."""
    return set(_YEAR.findall(text))


def other_year(question: str, sentences: list[str]) -> str:
    """The year the question asks about ("OpenAI's loss in 2023") when every sentence that holds a figure of the
    asked kind names another year and not that one ("ein Verlust … für das Jahr 2024"); "" otherwise. A sentence
    naming no year leaves the question open: its year may stand in the sentence before."""
    asked_years = years(question)
    if not asked_years or not sentences:
        return ""
    return min(asked_years) if all((named := years(s)) and not named & asked_years for s in sentences) else ""


# Who holds an office: "Who is the CEO of Anthropic?", "Quel est le nom du directeur technique d'OpenAI ?". A role -> its words
# in six languages (regular expressions, matched from a word's start), then words that count only in a sentence (German
# news calls a CEO "OpenAI-Chef"). A president and a chair are one role: translations swap them ("president of TUMAS",
# "председатель").
ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "CEO": ((
        r"ceo", r"chief executive", r"geschäftsführer", r"vorstandschef", r"vorstandsvorsitz", r"konzernchef", r"firmenchef",
        r"генеральн\w* директор", r"гендиректор", r"исполнительн\w* директор", r"pdg", r"directeur général", r"directrice générale",
        r"président-directeur", r"amministrat\w* delegat", r"direttore generale", r"director\w* ejecutiv", r"consejer\w* delegad", r"director general",
    ), (r"\w*-?chef(?:in)?\b", r"chef von", r"глав\w* компании", r"patron", r"capo", r"jefe", r"head of", r"boss")),
    "CTO": ((
        r"cto", r"chief technology", r"technolog\w* officer", r"technische[rn]? (?:direktor|leiter)", r"technikchef", r"technikvorst",
        r"техническ\w* директор", r"directeur technique", r"directrice technique", r"dirett\w* tecnic", r"director\w* técnic",
    ), ()),
    "CFO": ((
        r"cfo", r"chief financial", r"finanzchef", r"finanzvorst", r"финансов\w* директор", r"directeur financier", r"directrice financière",
        r"dirett\w* finanziari", r"director\w* financier",
    ), ()),
    "president": ((r"president", r"präsident", r"президент", r"président", r"presidente", r"chair", r"vorsitzend", r"председател"), ()),
}


@lru_cache(maxsize=None)
def _role_pattern(role: str, in_sentence: bool) -> re.Pattern:
    words, more = ROLES[role]
    return re.compile(r"(?<!\w)(?:" + "|".join(words + (more if in_sentence else ())) + ")", re.IGNORECASE)


def role_asked(question: str) -> str:
    """The office a "who" question asks about ("CEO"), "" for none."""
    return next((role for role in ROLES if _role_pattern(role, False).search(question)), "")


def names_role(sentence: str, role: str) -> bool:
    return _role_pattern(role, True).search(sentence) is not None


def role_windows(sentence: str, role: str, words: int = 3) -> list[str]:
    """The text around each mention of the office in ``sentence``, ``words`` words either side: "… Sam Altman, CEO von
    OpenAI sprach …" has "OpenAI" beside "CEO"; «Marc Benioff, CEO von Salesforce, … zwischen Microsoft und OpenAI» not."""
    out = []
    for m in _role_pattern(role, True).finditer(sentence):
        before = sentence[: m.start()].split()[-words:]
        after = sentence[m.end() :].split()[: words + 1]  # the rest of the office's word ("OpenAI-CEO", "CEOs"), then ``words`` words
        out.append(" ".join(before + [m.group(0)] + after))
    return out


# what follows the office's name up to the organisation: "of the", "von", "d'", "del", "компании"
_OF = re.compile(r"(?:\s*(?:of|the|von|der|des|bei|de|du|la|d['’]|di|del|della|dello|dell['’]|delle|dei|de los|у|в|компании|корпорации)\b)+\s*['’]?", re.IGNORECASE)
_ORG = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w-]*(?:\s+[A-ZÀ-ÖØ-ÞА-ЯЁ][\w-]*)*")


def role_of(question: str, role: str) -> str:
    """The organisation named right after the office ("the CEO of Anthropic" -> "Anthropic", "директор компании Яндекс",
    "генеральный директор Anthropic"),
    "" when none follows: an adjective before it ("kolumbianischer Präsident") does not survive translation."""
    m = _role_pattern(role, False).search(question)
    if not m:
        return ""
    rest = question[m.end() :]
    rest = rest[len(re.match(r"[\w-]*", rest).group(0)) :]  # the rest of the office's word: "CEOs", "directeur technique"
    of = _OF.match(rest)
    if not of and re.search(r"[а-яё]", m.group(0), re.IGNORECASE):  # Russian puts the organisation in the genitive, with no word between
        of = re.match(r"\s+", rest)
    org = _ORG.match(rest[of.end() :]) if of else None
    return org.group(0) if org else ""


def org_terms(question: str, role: str, terms) -> list:
    """The question's entity terms (``terms``) that name the organisation the office is asked of: "Anthropic" of "Who is
    the CEO of Anthropic?"; none without an office or an organisation."""
    org = role_of(question, role).split() if role else []
    return [t for t in terms if t.entity and t.text in org]
