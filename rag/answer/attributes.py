"""Which measurable attribute a question asks about (a salary, a headcount, a price, a founding or release date …) and
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

# attribute -> (the kinds of question it applies to, its stems in six languages[, stems that count only in a sentence])
ATTRIBUTES: dict[str, tuple[tuple[str, ...], ...]] = {
    "salary": (("amount",), (
        "salar", "wage", "earn", "earning", "income", "compensation",
        "gehalt", "gehält", "lohn", "löhne", "verdien", "einkommen", "vergütung",
        "зарплат", "заработ", "оклад", "жалован", "доход", "вознагражд",
        "salaire", "rémunér", "gagne", "revenu",
        "stipend", "retribu", "guadagn", "reddit", "compens",
        "sueldo", "gana", "ingreso", "remunera",
    )),
    "employees": (("amount",), (
        "employ", "staff", "workforce", "worker", "personnel", "headcount",
        "mitarbeiter", "beschäftigt", "angestellt", "belegschaft", "arbeitnehmer",
        "сотрудник", "работник", "работающ", "персонал",
        "employé", "salarié", "effectif", "travailleur",
        "dipendent", "impiegat", "lavorator", "personale", "organico",
        "emplead", "trabajador", "plantilla",
    )),
    "users": (("amount",), (
        "user", "subscriber", "customer", "client",
        "nutzer", "benutzer", "anwender", "abonnent", "kunde", "kunden",
        "пользовател", "подписчик", "клиент", "абонент",
        "utilisateur", "abonné", "client",
        "utent", "utilizzator", "abbonat", "client",
        "usuari", "suscriptor", "abonad", "client",
    )),
    "parameters": (("amount",), ("parameter", "paramet", "параметр", "paramètre", "parámetro")),
    "revenue": (("amount",), (
        "revenue", "turnover", "sales$", "income",
        "umsatz", "umsätze", "einnahme", "erlös", "ertr",
        "выручк", "доход", "оборот",
        "chiffre d'affaires", "revenu", "recette", "vente",
        "fatturat", "ricav", "entrat", "vendit",
        "ingreso", "facturación", "ventas",
    )),
    "loss": (("amount",), (
        "loss", "losing", "lost", "deficit",
        "verlust", "defizit", "verlor",
        "убыт", "потер", "дефицит",
        "perte", "perdu", "déficit",
        "perdit", "perso$", "disavanz",
        "pérdida", "perdi",
    )),
    "price": (("amount",), (
        "price", "pric", "cost", "fees$", "charge", "pay$", "paid", "paying", "payment", "spen", "spending", "tariff",
        "preis", "kosten", "kostet", "gebühr", "bezahl", "gezahlt", "zahlt", "ausgeb", "ausgab",
        "цена", "цену", "цены", "ценой", "стоим", "стоит", "стоил", "заплат", "оплат", "выплат", "плати", "тарифн",
        "prix", "coût", "coûte", "tarif", "payé", "payer", "dépens", "frais",
        "prezz", "tariff", "pagat", "paga", "pagament", "spes",
        "precio", "cuesta", "costó", "coste", "costo", "tarifa", "pagó", "pagar", "pagad", "gastó", "gasto",
    )),
    "founded": (("date",), (
        "founde", "foundin", "establish", "gründ", "errichte", "основа", "создан", "учрежд", "fond", "fondat", "créé", "établi", "istitu", "fund", "establecid",
    )),
    "released": (("date",), (
        "release", "launch", "unveil", "introduce", "debut", "came out", "went on sale",
        "vorgestellt", "vorstell", "erschien", "erschein", "eingeführt", "einführ", "lanciert", "präsentiert", "auf den markt",
        "выпуст", "выпущ", "вышл", "вышел", "вышла", "представ", "запуст", "запущ", "анонс", "презент", "релиз",
        "lancé", "lancement", "sorti", "présenté", "dévoil", "mis en vente",
        "lanciat", "lancio", "rilasci", "presentat", "uscit", "svelat",
        "lanzad", "lanzó", "lanzamiento", "presentad", "presentó", "estren",
    ), (  # a release may be a publication, but a publication date is often only a year in brackets: never asked about
        "publish", "veröffentlich", "опубликова", "publié", "pubblicat", "publicad",
    )),
}
# how --json's abstain_reason names each ("no figure for the asked headcount in the evidence")
LABELS = {"salary": "salary", "employees": "headcount", "users": "number of users", "parameters": "parameter count", "revenue": "revenue",
          "loss": "loss", "price": "price", "founded": "founding date", "released": "release date"}
_OF_KIND = {kind: [a for a, spec in ATTRIBUTES.items() if kind in spec[0]] for kind in ("amount", "date")}


@lru_cache(maxsize=None)
def _pattern(attribute: str, in_sentence: bool = False) -> re.Pattern:
    parts = []
    for stem in ATTRIBUTES[attribute][1] + (ATTRIBUTES[attribute][2] if in_sentence and len(ATTRIBUTES[attribute]) > 2 else ()):
        core = re.escape(stem.rstrip("$"))
        if stem.endswith("$"):
            parts.append(r"(?<!\w)" + core + r"\b")
        elif len(stem) >= 5:
            parts.append(core)
        else:  # a short stem is a word's start with at most three letters after it: "costs", not "costruito"
            parts.append(r"(?<!\w)" + core + r"\w{0,3}\b")
    return re.compile("|".join(parts), re.IGNORECASE)


def asked(question: str, kind: str) -> tuple[str, ...]:
    """The attributes an ``kind`` question names ("Wie hoch ist das Jahresgehalt …" -> ("salary",)), () for none."""
    return tuple(a for a in _OF_KIND.get(kind, ()) if _pattern(a).search(question))


def names(sentence: str, attributes: tuple[str, ...]) -> bool:
    """Whether ``sentence`` names one of ``attributes``."""
    return any(_pattern(a, in_sentence=True).search(sentence) for a in attributes)
