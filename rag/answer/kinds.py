"""What a question asks for: its kind, and for amounts its unit.

``kind`` is reason, date, amount, person, place, name (what something is called), option (a command-line option),
command, phone (a phone number), secret (a password, PIN, code or combination), colour or other; an amount also has a ``unit``: money, percent, count, port (a network port) or any, and a date the
unit "time" when a time of day is asked ("what time", "à quelle heure"), "weekday" for a day of the week, "day" for a day (a date, or a weekday where no date is given). Both come from the question's wording in
English, German, Russian, French, Italian and Spanish: its question word ("how much", "сколько", "combien") or, for
"what is the …" questions, the noun it asks about ("the salary", "das Gehalt", "la date", "la città").
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import colours, credentials
from .signals import any_of as _any

# the kinds of a question about using a tool: which option does something, how to do something (its command); their
# answers are a manual's items and commands, and the tool they name must be documented
HOW_KINDS = ("option", "command")
SECRET_KIND = True  # "What's the admin password …?" asks for a password, which a sentence gives or not (evals/RESULTS.md)
COLOUR_KIND = True  # "What colour is …?" asks for a colour (evals/RESULTS.md)


# --- question words, checked in this order --------------------------------------------------------
_REASON = _any(
    r"\bwhy\b", r"\bwhat (?:was|is|were) the (?:reason|motive)", r"\bfor what reason", r"\bwarum\b", r"\bwieso\b", r"\bweshalb\b",
    r"\baus welchem grund", r"\bпочему\b", r"\bзачем\b", r"\bпо какой причине", r"\bpourquoi\b", r"\bpour quelle raison", r"\bperch[ée]\b",
    r"\bper quale (?:motivo|ragione)", r"\bpor qu[ée]\b")
_DATE_Q = _any(
    r"\bwhen\b", r"\bbis wann\b", r"\bab wann\b", r"\b(?:in |on )?(?:what|which) (?:exact )?(?:year|date|month)\b", r"\bwann\b", r"\bin welchem jahr", r"\bseit wann",
    r"\ban welchem datum", r"\bin welchem monat", r"\bкогда\b", r"\bв каком году", r"\bкакого числа", r"\bquand\b",
    r"\ben quelle année", r"\bà quelle date", r"\bquando\b", r"\bin che anno", r"\bin quale anno",
    r"\bcu[áa]ndo\b", r"\ben qu[ée] a[ñn]o", r"\ben qu[ée] fecha",
)
# a day: a date, or a day of the week where none is given ("Quel jour la voisine n'est-elle jamais là ?": «le mercredi»)
_DAY_Q = _any(
    r"\b(?:on )?(?:what|which) (?:exact )?day\b(?! of the week)", r"\ban welchem tag\b", r"\bв какой день\b(?! недели)", r"\bquel jour\b(?! de la semaine)",
    r"\b(?:in )?che giorno\b(?! della settimana)", r"\bqu[ée] d[íi]a\b(?! de la semana)",
)
_TIME_Q = _any(  # a time of day
    r"\bwhat time\b(?!\s*(?:fram|period|span|zone|scale|line))", r"\bum wie ?viel uhr", r"\bà quelle heure", r"\ba che ora", r"\ba qu[ée] hora", r"\bво сколько\b(?! раз)",
    r"\bв котором часу", r"\bна какое время\b", r"\bк какому времени\b",
)
_WEEKDAY_Q = _any(  # a day of the week, from the question word on
    r"\b(?:what|which) day of the week\b", r"\b(?:on )?(?:what|which) weekday", r"(?:\b(?:an |am )?welche[mnrs]?\s+)?\bwochentag",
    r"(?:\bquel\s+)?\bjour de la semaine\b", r"(?:\b(?:in )?(?:che|quale)\s+)?\bgiorno della settimana\b",
    r"(?:\b(?:qu[ée]|cu[áa]l)\s+)?\bd[íi]a de la semana\b", r"(?:\b(?:в |по )?как(?:ой|ие|им)\s+)?\b(?:день|дни|дням) недели\b",
)
# a phone number: "phone number", "Telefonnummer", "Handynummer", "numéro de téléphone", "numero di cellulare", "номер телефона"
_PHONE_Q = _any(  # the number, not the device: "Who invented the telephone?" asks for a person
    r"\b(?:phone|telephone|mobile|cell(?:phone)?)\s+(?:number|no\b)", r"telefonnummer", r"handynummer", r"\brufnummer", r"mobilnummer",
    r"\bnum[ée]ro de (?:t[ée]l[ée]phone|portable|mobile)\b", r"\bnumero di (?:telefono|cellulare)\b",
    r"\bn[úu]mero de (?:tel[ée]fono|m[óo]vil|celular)\b", r"\bномер (?:телефона|мобильного)",
)
_HOW_MANY = _any(r"\bhow many\b", r"\bwie viele\b", r"\bcombien de\b", r"\bquant[ie]\b", r"\bcu[áa]nt[oa]s\b", r"\bсколько\b")
_PERCENT_Q = _any(
    r"\bwhat (?:share|percentage|proportion|stake|fraction)\b", r"\bhow (?:big|large) (?:a |is the )?(?:share|stake)",
    r"\bwelchen anteil", r"\bwie viel prozent", r"\bwie hoch ist der anteil", r"\bкакую долю", r"\bкакой процент", r"\bкакая доля",
    r"\bquelle (?:part|proportion)", r"\bquel pourcentage", r"\bquale (?:percentuale|quota|parte)", r"\bche (?:percentuale|quota)",
    r"\bqu[ée] (?:porcentaje|parte|proporci[óo]n)",
)
_COUNT_Q = _any(
    r"\bhow many\b", r"\bwie viele\b", r"\bwieviele\b", r"\bcombien d[e']", r"\bquant[ie]\b", r"\bcu[áa]nt[oa]s\b",
    r"\bwhat (?:is|was) the number of", r"\bwie gro(?:ß|ss) ist die (?:zahl|anzahl)", r"\bquel est le nombre", r"\bqual è il numero",
)
# a port is a number (unit "port"): "Welchen Port verwendet wget für FTPS?" is answered by "990", not by a sentence without one
_PORT_Q = _any(
    r"\b(?:which|what) (?:tcp |udp |default )?port\b", r"\bwelche[nrms]? (?:tcp-|udp-)?port\b", r"\bquel port\b", r"\bquale porta\b", r"\bqu[ée] puerto\b",
    r"\bкакой (?:tcp-|udp-)?порт\b", r"\bport number\b", r"\bportnummer\b", r"\bnum[ée]ro de port\b", r"\bnumero di porta\b", r"\bn[úu]mero de puerto\b",
    r"\bномер порта\b", r"\bon (?:which|what) port\b", r"\bauf welchem port\b", r"\bsur quel port\b", r"\bsu quale porta\b", r"\ben qu[ée] puerto\b",
    r"\bна каком порту\b")
_MONEY_Q = _any(
    r"\bhow much money\b", r"\bhow much\b.*\b(?:pay|paid|cost|invest|spend|spent|raise|earn|charge|worth|price)",
    r"\bvalued at\b", r"\bwie viel (?:geld|kostet|hat|haben|hatte|zahlt|zahlte|investiert|verdient|bezahlt)", r"\bwas kostet",
    r"\bсколько\b.*(?:стоит|стоил|денег|заплатил|вложил|инвестировал|получил|зарабатыва|тратит|потратил)",
    r"\bcombien (?:co[uû]te|a-t-il|a-t-elle|ont-ils|vaut|valait|gagne|paie|paye|a co[uû]t[ée])", r"\bcombien\b.*\b(?:investi|pay[ée]|d[ée]pens[ée]|lev[ée])",
    r"\bquanto (?:costa|ha|hanno|vale|valeva|guadagna|paga|è costat)", r"\bcu[áa]nto (?:cuesta|cost[óo]|pag[óo]|invirti[óo]|vale)",
    # the money verb later in the question: "combien m'a coûté …", "quanto mi è costata …", "¿cuánto cobra …?", "wie viel hat … gekostet"
    r"\bcombien\b(?! d[e'’])(?! de temps).*\b(?:co[uû]t|gagn)", r"\bquanto\b.*\b(?:costat|costa|pagat|speso|guadagn)", r"\bcu[áa]nto\b.*\b(?:cobr|gan[aó]|cuest|cost[óo]|pag[óo]|gast[óo])",
    r"\bwie ?viel\b.*\b(?:gekostet|gezahlt|bezahlt|verdient|ausgegeben)", r"\bсколько\b.*(?:платит|обош)",
)
_AMOUNT_Q = _any(
    r"\bhow (?:much|large|big|high|long|old|far|fast|heavy|tall|wide)\b", r"\bwie (?:viel|hoch|gro(?:ß|ss)|lange|alt|weit|schnell|schwer)\b",
    r"\bwieviel", r"\bсколько\b", r"\bкаков[аоы]?\b", r"\bкакой величины", r"\bcombien\b", r"\bquant[oa]\b", r"\bcu[áa]nt[oa]\b",
)
_OPTION_Q = _any(  # "which option …", "welcher Schalter …", "quelle option …", "какой ключ …"
    r"\b(?:which|what) (?:[\w.+-]+ )?(?:option|flag|switch|command[- ]line (?:argument|parameter))s?\b",
    r"\bwelche[rsnm]? (?:[\w.+]+-)?(?:option(?:en)?|schalter)\b",
    r"\bquel(?:le)?s? options?\b", r"\bqual[ei]? (?:opzion[ei]|flag)\b", r"\bqu[ée] opci[óo]n(?:es)?\b",
    r"\bкак(?:ой|ие|ую|ая) (?:ключ|флаг|опци)\w*",
)
_PERSON_Q = _any(r"\bwho\b", r"\bwhom\b", r"\bwhose\b", r"\bwer\b", r"\bwem\b", r"\bwen\b", r"\bwessen\b", r"\bкто\b", r"\bкого\b",
                 r"\bкому\b", r"\bкем\b", r"\bqui\b(?! est-ce que)", r"\bchi\b", r"\bqui[ée]n(?:es)?\b")
# "Who is Mustafa Suleyman?": a name the question gives, asking what the person is (a description, no name to lead with)
_CAPS = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]*"
_WHO_IS = re.compile(
    rf"^(?:who|wer|кто|qui|chi|qui[ée]n)\s+(?:is|was|ist|war|такой|такая|это|est|était|è|era|es|fue)\s+((?:{_CAPS}\s*)+)[?!.]*$"
)
_PLACE_Q = _any(r"\bwhere\b", r"\bwo\b", r"\bwohin\b", r"\bwoher\b", r"\bгде\b", r"\bкуда\b", r"\bоткуда\b", r"\bo[uù]\b", r"\bdove\b",
                r"\bd[óo]nde\b", r"\bin (?:what|which) (?:city|country|town|state|region)", r"\bin welche[mr]? (?:stadt|land|ort|region)",
                r"\bв каком (?:городе|регионе)", r"\bв какой стране", r"\bdans quel(?:le)? (?:ville|pays|région)", r"\bin quale (?:città|paese|regione)",
                r"\ben qu[ée] (?:ciudad|pa[íi]s|regi[óo]n)")
# "what is the …" questions: the noun says what is asked
_MONEY_NOUN = _any(
    r"\b(?:(?<!share )price|cost|value|valued|valuation|salary|wage|revenue|turnover|sales|loss|profit|budget|fee|income|earnings|compensation|remuneration|market cap\w*)\b",
    r"\b(?:vergütung|marktkapitalisierung|börsenwert|капитализаци\w*|вознаграждени\w*|capitalisation|rémunération|capitalizzazione|retribuzione|compenso|capitalizaci[óo]n|remuneraci[óo]n)\b",
    r"\b(?:preis|kosten|wert|bewertung|gehalt|summe|betrag|jahresgehalt|umsatz|verlust|gewinn|budget|gebühr|einkommen)\b",
    r"\b(?:цена|цену|стоимость|сумм\w*|зарплата|зарплату|оклад|выручка|выручку|убыток|прибыль|бюджет|оценка|доход)\b",
    r"\b(?:prix|co[uû]t|valeur|valorisation|salaire|somme|montant|chiffre d'affaires|perte|bénéfice|budget|revenu)\b",
    r"\b(?:prezzo|costo|valore|valutazione|stipendio|somma|importo|fatturato|perdita|profitto|utile|budget|ricavi)\b",
    r"\b(?:precio|coste|costo|valor|salario|suma|importe|sueldo|ingresos|facturaci[óo]n|p[ée]rdida|beneficio|presupuesto)\b",
)
_PERCENT_NOUN = _any(r"\b(?:share(?! price)|percentage|stake|proportion|(?:interest|tax|unemployment|inflation|growth|vat) rate)\b",
                     r"\b(?:zinssatz|zins|steuersatz|arbeitslosenquote|inflationsrate|процентн\w* ставк\w*|taux|tasso|tasa)\b(?! de change| di cambio| de cambio)", r"\b(?:anteil|prozentsatz|beteiligung)\b", r"\b(?:доля|долю|процент)\b",
                     r"\b(?:pourcentage|participation)\b", r"\b(?:quota|percentuale|partecipazione)\b", r"\b(?:porcentaje|participaci[óo]n)\b")
_COUNT_NOUN = _any(r"\bnumber of\b", r"\b(?:anzahl|zahl) (?:der|von)\b", r"\b(?:число|количество)\b", r"(?<!\bel )\bnombre d", r"\bnumero di\b", r"\bn[úu]mero de\b",
                   r"\b(?:population|einwohner|население|habitants|abitanti|habitantes)\b")
# "date" only as a noun ("the date", "quelle date", "date of …"): "wie zeigt date die Zeit …" names the command
_DATE_WORD = r"(?:\b(?:the|what|which|a|its|la|une|quelle|sa|leur)\s+(?:[^\W\d_]+\s+)?date\b|\bdates?\s+(?:of|de|du|d['’])|\bdates\b)"
_DATE_NOUN = _any(_DATE_WORD, r"\b(?:year|day|birthday|anniversary)\b", r"\b(?:datum|jahr|tag|geburtstag)\b", r"\b(?:дата|дату|год|день)\b",
                  r"\b(?:année|jour)\b", r"\b(?:la data|anno|giorno)\b", r"\b(?:fecha|año|d[íi]a)\b")
_PLACE_NOUN = _any(r"\b(?:city|town|country|place|location|headquarters)\b", r"\b(?:stadt|sitz|hauptsitz)\b",
                   r"\b(?:город|страна|место|штаб-квартира)\b", r"\b(?:ville|pays|lieu|siège)\b", r"\b(?:città|paese|luogo|sede)\b",
                   r"\b(?:ciudad|pa[íi]s|lugar|sede)\b")
_PORT_NOUN = _any(r"\b(?:default|standard) (?:tcp |udp )?port\b", r"\bstandard-?port\b", r"\bport par d[ée]faut\b", r"\bporta predefinita\b", r"\bpuerto (?:por defecto|predeterminado)\b", r"\bпорт по умолчанию\b")
_PERSON_NOUN = _any(
    r"\b(?:ceo|cto|cfo|chief \w+|director|founder|co-founder|president|chairman|head|leader|name of the (?:person|man|woman))\b",
    r"\b(?:chef|chefin|gründer|mitgründer|vorsitzende[rn]?|direktor|leiter|geschäftsführer|präsident)\b",
    r"\b(?:директор\w*|основател\w*|президент\w*|руководител\w*|глав\w+ компании|председател\w*)\b",
    r"\b(?:directeur|directrice|fondateur|fondatrice|président|pdg|dirigeant)\b",
    r"\b(?:direttore|fondatore|presidente|amministratore delegato|dirigente)\b", r"\b(?:director|fundador|presidente|jefe)\b",
)
_ORG_NOUN = _any(  # "which company / welches Unternehmen / какая компания …": asked for by name
    r"\b(?:company|companies|firms?|organi[sz]ations?|teams?|investors?|universit(?:y|ies)|newspapers?|club|band)\b",
    r"\b(?:firma|firmen|unternehmen|organisation(?:en)?|mannschaft|team|teams|investoren|investor|universität|zeitung|verein|band)\b",
    r"\b(?:компани\w*|фирм\w*|организаци\w*|команд[аыуе]|инвестор\w*|университет\w*|газет\w*|клуб\w*)",
    r"\b(?:entreprises?|sociétés?|firmes?|organisations?|équipes?|investisseurs?|universités?|journal|journaux|club)\b",
    r"\b(?:aziend[ae]|societ[àa]|organizzazion[ei]|squadr[ae]|investitori|università|giornal[ei]|club)\b",
    r"\b(?:empresas?|compañ[íi]as?|organizaci[óo]n(?:es)?|equipos?|inversores|universidad(?:es)?|peri[óo]dicos?|club)\b",
)
ORG_NAMES = True
# an opening that asks something else: "which command …", "how do I …", "comment …" (a later "when" or
# "how long" belongs to a subordinate clause)
_OPENER = _any(
    r"\b(?:which|what|how (?:do|does|did|can|could|should|would|to|is|are)|is|are|can|should|does|do|was|welche[rsnm]?|wie (?!viel|hoch|gro|lange|alt|weit)\w+"
    r"|womit|quel(?:le)?s?|qu['’]est-ce|comment|est-ce|qual(?:e|i)?|che|cosa|come|как(?:ой|ая|ое|ие|ую|ов\w*)?|что|чем|qu[ée]|cu[áa]l(?:es)?|c[óo]mo)\b",
)
# "When many people are arrested, what is …": the question starts after the comma
# "the value of a field, variable, option or setting": a constant or a setting (FFI_TYPE_STRUCT, "yes"), not a sum of money
_VALUE_WORD = r"(?=.*\b(?:value|wert|valeur|valore|valor|значени[еяюий]\w*|standardwert\w*|vorgabewert\w*)\b)"
_SETTING_VALUE = re.compile(
    _VALUE_WORD +
    r"(?=.*\b(?:fields?|variables?|options?|settings?|parameters?|keys?|attributes?|flags?|properties|property|directives?|entry|entries|"
    r"feld(?:es)?|variablen?|optionen?|einstellung(?:en)?|parametern?|schlüssel|attribut(?:e|s)?|eigenschaft(?:en)?|eintrag(?:s)?|direktive|"
    r"champs?|paramètres?|réglages?|clés?|attributs?|propriétés?|directives?|entrées?|"
    r"campos?|variabil[ei]|opzion[ei]|parametr[io]|impostazion[ei]|chiav[ei]|attribut[oi]|propriet[àa]|voc[ei]|"
    r"opci(?:ón|ones)|parámetros?|ajustes?|claves?|atributos?|propiedad(?:es)?|entradas?|"
    r"пол[еяюй]\w*|переменн\w*|параметр\w*|опци\w*|ключ\w*|настро[йе]\w*|атрибут\w*|свойств\w*)\b)",
    re.IGNORECASE | re.DOTALL,
)
_DEFAULT_VALUE = re.compile(_VALUE_WORD, re.IGNORECASE | re.DOTALL)  # "the default value of WHEN": a setting's value
SETTING_VALUES = True

_LEADING_CLAUSE = _any(r"^(?:when|if|once|after|before|wenn|falls|sobald|nachdem|quand|lorsque|si|когда|если|после того как|quando|se|dopo che|cuando|si)\b[^,?]{3,}?,\s*(?=\S)")
_NOUN_REACH = 4  # the asked noun of "what is the … / quel est le …" comes within this many words of the question word
_NAME_OF = _any(r"\b(?:name|nom|nome|nombre|имя|название|namen?)\b")  # "what is the name of the chief …": reach further
_NAME_Q = _any(  # "what is X called", "wie heißt …", "как называется …": a name or term, not a person's office
    r"\bwhat (?:is|was|are|were) (?:the |its |his |her |their )?(?:\w+ )?names?\b", r"\b(?:is|was|are|were) (?:\w+ ){0,6}(?:called|named|known as)\b",
    r"\bwhat (?:term|word)\b", r"\bwie (?:heißt|heisst|hieß|hiess|heißen|hießen|nennt man|nannten?|nennt)\b", r"\bwelchen namen\b",
    r"\bwie lautet(?:e)? der name\b", r"\bwelcher begriff\b", r"\bкак (?:называ|назван|зовут|звали|именуе)\w*", r"\bкак(?:ое|ово) (?:название|имя)\b",
    r"\bcomment s['’]appel\w*", r"\bquel (?:est|était) (?:le )?nom\b", r"\bquel (?:terme|mot)\b", r"\bcome (?:si|viene|veniva) chiam\w*",
    r"\bqual (?:è|era) il nome\b", r"\bquale termine\b", r"\bc[óo]mo se (?:llam|denomin|conoc)\w*", r"\bcu[áa]l (?:es|era|fue) el nombre\b",
    r"\bqu[ée] (?:nombre|t[ée]rmino)\b",
)
NAME_KIND = True
# "which command …", "welcher Befehl …", "how do I …", "wie kann ich …", "comment …-je": the answer is a command to run
_COMMAND_Q = _any(
    r"\b(?:which|what) (?:\w+ )?commands?\b", r"\bwelche[rsnm]? (?:\w+ )?(?:befehle?|kommandos?)\b", r"\bmit welchem befehl",
    r"\bquel(?:le)?s? (?:\w+ )?commandes?\b", r"\bqual[ei]? (?:\w+ )?comand[oi]\b", r"\bqu[ée] (?:\w+ )?(?:comandos?|[óo]rden(?:es)?)\b",
    r"\bкак(?:ая|ой|ую|ие) (?:\w+ )?команд\w*",
)
_HOWTO_Q = _any(
    r"^how (?:do|can|should) (?:i|you|we)\b", r"^wie (?:kann|muss|soll) (?:ich|man)\b", r"^wie \w+ ich\b", r"^comment (?:puis-je|faire|\w+-je|\w+-t-on)\b",
    r"^comment \w+er\b", r"^come (?:posso|si fa|faccio)\b", r"^come \w+o\b", r"^c[óo]mo (?:puedo|se puede|hago)\b", r"^c[óo]mo \w+o\b",
    r"^как (?:мне|можно)\b", r"^как \w+(?:ть|ти|чь)(?:ся)?\b",
    # with the tool first: "как с помощью wget скачать …", "comment extraire …"
    r"^как (?:с помощью|при помощи|через) \S+ \w+(?:ть|ти|чь)(?:ся)?\b", r"^comment (?:\w+ )?\w+(?:ir|re)\b",
)
# a how-to question about changing or setting something ("how do I change …", "wie ändere ich …", "как изменить …")
_CHANGE_Q = _any(
    r"^how (?:do|can|should) (?:i|you|we) (?:change|set|update|edit|modify|reset|configure|adjust)\b",
    r"^wie (?:kann|muss|soll) (?:ich|man) \S+(?: \S+){0,4} (?:ändern|setzen|einstellen|festlegen|bearbeiten|anpassen|konfigurieren)\b",
    r"^wie (?:ändere|setze|stelle|lege|bearbeite|konfiguriere) ich\b",
    r"^comment (?:changer|modifier|définir|régler|configurer|mettre à jour)\b", r"^comment (?:puis-je|peut-on) (?:changer|modifier|définir|régler|configurer)\b",
    r"^come (?:posso |si può )?(?:cambi|modific|impost|configur|aggiorn)\w*\b", r"^c[óo]mo (?:puedo |se puede )?(?:cambi|modific|configur|ajust|actualiz)\w*\b",
    r"^как (?:мне |можно )?(?:изменить|поменять|сменить|настроить|задать|установить|обновить)\b",
)
COMMAND_KIND = True


def _first(patterns, q: str) -> tuple[int, str, str] | None:
    found = [(m.start(), kind, unit) for pattern, kind, unit in patterns if (m := pattern.search(q))]
    return min(found, key=lambda f: f[0]) if found else None


# … unless it is a harbour ("Which port did the fleet sail from?", "¿De qué puerto zarpó el barco?")
_HARBOUR = _any(
    r"\b(?:ships?|boats?|sail\w*|harbou?rs?|sea|fleet|navy|naval|vessels?|cargo|ferr(?:y|ies)|schiff\w*|hafen|häfen|flotte|marine|navires?|bateaux?|"
    r"mer|flotte|nav[ei]|barc[ahe]\w*|mare|flott[ae]|barcos?|buques?|mar|flota|zarp\w*)\b", r"корабл\w*", r"судн\w*", r"флот\w*", r"мор[еяюс]\w*",
)
_TYPED = ((_OPTION_Q, "option", ""), (_PORT_Q, "amount", "port"), (_TIME_Q, "date", "time"), (_WEEKDAY_Q, "date", "weekday"), (_DAY_Q, "date", "day"), (_DATE_Q, "date", ""), (_PERCENT_Q, "amount", "percent"), (_MONEY_Q, "amount", "money"), (_COUNT_Q, "amount", "count"),
          (_AMOUNT_Q, "amount", "any"), (_PERSON_Q, "person", ""), (_PLACE_Q, "place", ""))
_NOUNS = ((_PORT_NOUN, "amount", "port"), (_PERCENT_NOUN, "amount", "percent"), (_MONEY_NOUN, "amount", "money"), (_COUNT_NOUN, "amount", "count"), (_DATE_NOUN, "date", ""),
          (_PLACE_NOUN, "place", ""), (_PERSON_NOUN, "person", "")) + (((_ORG_NOUN, "name", ""),) if ORG_NAMES else ())


def who_is(question: str) -> str:
    """The name a "who is …?" question asks about ("Who is Mustafa Suleyman?" -> "Mustafa Suleyman"), else "". Not a
    German genitive ("Wer war Ayurparibhadras Sohn?" asks for a person)."""
    bare = _LEADING_CLAUSE.sub("", question.strip()).lstrip("¿¡ ")
    m = _WHO_IS.match(bare[:1].lower() + bare[1:])
    if not m:
        return ""
    words = bare[m.start(1) : m.end(1)].strip("?!. ").split()
    if bare[:3].lower() == "wer" and any(w.endswith("s") for w in words[:-1]):
        return ""
    return " ".join(words)


def asks_command(question: str) -> bool:
    """The question asks which command does something ("Which command shows a process tree?")."""
    return bool(_COMMAND_Q.search(question))


# how much a price or a sum rose or fell: a factor or a share answers it as often as a sum ("il suo triplo del prezzo")
_RISE_Q = _any(r"\b(?:rise|rose|risen|grow|grew|grown|(?:go|goes|gone|went) up|increas\w*|fall|fell|fallen|drop\w*|decreas\w*|declin\w*)\b", r"\b(?:gestiegen|stieg|gewachsen|wuchs|gesunken|sank|gefallen|fiel)\b",
               r"\b(?:вырос\w*|увелич\w*|подорож\w*|упал\w*|подешев\w*|снизил\w*)", r"\b(?:augment\w*|mont[ée]e?s?|grimp\w*|baiss\w*|chut[ée]\w*)\b",
               r"\b(?:salit[oaie]|aumentat\w*|cresciut\w*|sces[oaie]|calat[oaie])\b", r"\b(?:subi[óod]\w*|aument[óa]\w*|creci[óo]\w*|baj[óa]\w*|cay[óe]\w*)\b")
RISE_ANY = True


def asks_change(question: str) -> bool:
    """The question asks how much something rose or fell ("Quanto è salito …?", "How much did the price rise?")."""
    return bool(_RISE_Q.search(question))


@lru_cache(maxsize=256)  # retrieval (the reason lift) and the answer stage both ask
def kind_of(question: str) -> tuple[str, str]:
    """``(kind, unit)``: what the question asks for, and for amounts which kind of amount."""
    q = _LEADING_CLAUSE.sub("", question.strip())
    if _REASON.search(q):
        return "reason", ""
    if who_is(q):
        return "other", ""  # who someone is: a description
    if SETTING_VALUES and (_SETTING_VALUE.match(q) or (_DEFAULT_VALUE.match(q) and "default" in qualifiers(q))):
        return "other", ""  # "Auf welchen Wert muss das Feld type … gesetzt werden?", "the default value of …": no amount
    if COMMAND_KIND and _HOWTO_Q.search(q.lstrip("¿¡ ")) and _CHANGE_Q.search(q):
        return "command", ""  # "Wie ändere ich mit chfn die Telefonnummer?" asks how, not for a number
    if _PHONE_Q.search(q) and not _HOW_MANY.search(q):
        return "phone", ""  # "What's the dentist's phone number?", not "how many phones …"
    if SECRET_KIND and credentials.asks(q):
        return "secret", ""  # "What's the admin password for the router?", "Wie lautet der Türcode?"
    opener = _OPENER.search(q)
    if opener and len(q[: opener.start()].split()) > 2:
        opener = None  # a "was"/"что"/"che" deep inside the question is not how it opens
    typed = _first(_TYPED if not _HARBOUR.search(q) else [t for t in _TYPED if t[0] is not _PORT_Q], q)
    if typed and (opener is None or typed[0] <= opener.start()):
        _, kind, unit = typed
        if kind == "amount" and unit == "any":
            unit = "money" if _MONEY_NOUN.search(q) else "percent" if _PERCENT_NOUN.search(q) else "any"
        return kind, "any" if unit == "money" and RISE_ANY and asks_change(q) else unit
    if opener:  # "what is the salary …", "quelle est la date …", "какая зарплата …"
        words = q[opener.start() :].split()
        reach = _NOUN_REACH + (3 if _NAME_OF.search(" ".join(words[: _NOUN_REACH + 1])) else 0)
        rest = " ".join(words)
        noun = _first(_NOUNS, rest)
        if noun and noun[0] < len(" ".join(words[: reach + 1])):
            return noun[1], noun[2]
    if COLOUR_KIND and colours.asks(q):
        return "colour", ""  # "Welche Farbe hat …", "Di che colore …": a colour word answers
    if NAME_KIND and _NAME_Q.search(q):
        return "name", ""
    if COMMAND_KIND and (_COMMAND_Q.search(q) or _HOWTO_Q.search(q.lstrip("¿¡ "))):
        return "command", ""
    return "other", ""


# a bare "when" about what happens under which condition, in the present or with a modal verb ("When is a trigger
# processed?", "Wann wird /etc/fstab gelesen?", "Quand faut-il lancer update-grub ?", "Когда выполняется …?"); documentation
# answers it with a condition, not a date. Not a past event ("When was …?", "Wann wurde …?") nor a day, year or time asked.
_CONDITION_WHEN = _any(
    r"^\W*when\s+(?:is|are|does|do|should|shall|can|must|will|would)\b",
    # a present verb, not a past one ("wurde", "hat", "war", "startete"); "ist" / "sind" may be either
    r"^\W*wann\s+(?!(?:wurden?|wurdest|hat|habe|hast|habt|haben|hatten?|hattest|war|warst|waren|bin|bist|ist|sind|seid|kam|kamen|gab|ging|genau)\b)\w+(?<!te)(?<!ten)\b",
    r"^\W*quand\s+(?:faut-il|doit-on|dois-je|peut-on|puis-je|est-ce qu['’](?:il faut|on doit))",
    r"^\W*quand\s+(?:(?:le|la|les|l['’]|un|une|ce|cette|ces|mon|ma|mes)\s*[^?]*?\s)?(?!a-t-|ont-|avait-|était-|fut-)\w+-(?:t-)?(?:il|elle|ils|elles|on)\b",
    r"^\W*quando\s+(?:si|viene|vengono|bisogna|devo|deve|serve|conviene|occorre|posso|può|è necessario)\b",
    r"^\W*cu[áa]ndo\s+(?:se|debo|debe|hay que|conviene|puedo|puede|es necesario|necesito)\b",
    r"^\W*когда\s+(?:нужно|надо|следует|можно|стоит|\w+(?:ется|ются|ится|ятся))\b",
)


# what a sentence answering such a "when" says it with: a condition or a moment in any of our languages
_CONDITION = _any(
    r"\b(?:when|whenever|if|once|after|before|during|every time|each time|as soon as|until|unless|at boot)\b",
    r"\b(?:wenn|sobald|falls|nachdem|bevor|während|beim|bei jede[mrn]|jedes mal|solange|bis)\b",
    r"\b(?:quand|lorsque|lorsqu|dès que|si|après|avant|pendant|au démarrage|à chaque|chaque fois|tant que|jusqu)\b",
    r"\b(?:quando|se|appena|dopo|prima|durante|all['’]avvio|ogni volta|finché|mentre)\b",
    r"\b(?:cuando|si|en cuanto|después|antes|durante|al arrancar|al iniciar|cada vez|mientras|hasta)\b",
    r"(?:^|\s)(?:когда|если|как только|после|перед|во время|при|каждый раз|пока|до)(?:\s|$)",
)


def states_condition(sentence: str) -> bool:
    """The sentence says when with a condition or a moment ("Bei jedem Systemstart …", "… quando viene installato …")."""
    return bool(_CONDITION.search(sentence))


def asks_when_condition(question: str) -> bool:
    """A bare "when" in the present or with a modal verb: its answer may be a condition rather than a date."""
    return bool(_CONDITION_WHEN.search(_LEADING_CLAUSE.sub("", question.strip())))


# a greeting, thanks, a farewell or small talk and nothing else: no question the documents answer ("hi there", "merci !",
# "wie geht's?", "спасибо"); "Hi, who leads Microsoft AI?" is a question
_GREETING = (
    r"hi|hello|hey|hiya|howdy|good (?:morning|afternoon|evening|night)|thanks?(?: you)?(?: (?:very|so) much)?|thx|bye|goodbye|"
    r"cheers|how are you(?: doing)?|hallo|moin|servus|guten (?:morgen|tag|abend)|danke(?: schön| sehr)?|tschüss|wie geht(?:'s| es dir| es ihnen)|"
    r"bonjour|bonsoir|salut|coucou|merci(?: beaucoup)?|au revoir|(?:comment )?ça va|ciao|salve|buongiorno|buonasera|grazie(?: mille)?|"
    r"arrivederci|come stai|hola|buenos días|buenas(?: tardes| noches)?|gracias|adiós|qué tal|привет|здравствуй(?:те)?|"
    r"добрый (?:день|вечер)|доброе утро|спасибо|пока|до свидания|как дела"
)
_PHATIC = re.compile(
    rf"^[\s¡¿]*(?:(?:{_GREETING})(?:\s+(?:there|all|everyone|folks|zusammen|alle|à tous|tutti|a todos|всем))?[\s!.,?;:)(]*)+$", re.IGNORECASE
)


def phatic(question: str) -> bool:
    """The question is only a greeting, thanks or small talk ("hi there", "merci !", "как дела?")."""
    return bool(_PHATIC.match(question))


# "how long", "wie lange", "combien de temps", "сколько времени": the answer is a span of time (or a range of dates)
_DURATION_Q = _any(
    r"\bhow long\b", r"\bwie lange\b", r"\bcombien de temps\b", r"\bquanto tempo\b", r"\bquanto dur", r"\bcu[áa]nto tiempo\b",
    r"\bcu[áa]nto dur", r"сколько времени", r"\bкак долго\b",
    # how many years, days … (a span of time counted in its unit)
    r"\bhow many (?:years|months|weeks|days|hours|minutes|seconds|decades)\b", r"\bwie viele (?:jahre|monate|wochen|tage|stunden|minuten|sekunden)\b",
    r"\bcombien (?:d['’]années|d['’]ans|de (?:mois|semaines|jours|heures|minutes|secondes))\b",
    r"\bquant[ie] (?:anni|mesi|settimane|giorni|ore|minuti|secondi)\b", r"\bcu[áa]nt[oa]s (?:años|meses|semanas|d[íi]as|horas|minutos|segundos)\b",
    r"\bсколько (?:лет|месяц\w*|недел\w*|дней|часов|минут|секунд)\b",
)


def asks_duration(question: str) -> bool:
    """The question asks how long something takes or lasts."""
    return bool(_DURATION_Q.search(question))



# What a setting's value is qualified as: its default, its maximum, its minimum. Read from a question ("What is the default
# weight …?", "Quel est le poids maximal …?", "Какой формат … по умолчанию?") and from a sentence ("The default weight
# value is 50, and the maximum is 100.", "(porta predefinita a 990)"), in any of our languages: documentation states
# these in its own language, and the two need not match. German "Standard" counts in its compounds ("standardmäßig",
# "Standard-Target", "Standardwert"), not in "Standardeingabe" (standard input) or "Standardisierung"; "default" not as a
# directory ("/etc/default/locale").
_QUALIFIERS = {
    "default": _any(
        r"(?<!/)\bdefaults?\b(?!/)", r"\bstandard(?!s\b|ein|aus|fehler|is|bibliothek)[\w-]+", r"\bvoreinstellung\w*", r"\bvoreingestellt\w*",
        r"\bvorgabe\w*", r"\bpar d[ée]faut\b", r"\bpredefinit[oaie]\b", r"\bdi default\b", r"\bpor (?:defecto|omisi[óo]n)\b",
        r"\bpredeterminad[oa]s?\b", r"\bпо умолчани[юе]\b",
    ),
    "maximum": _any(r"\bmax(?:imum|ima|imal\w*)?\b", r"\bhöchst\w*", r"\bmaximale?[nrs]?\b", r"\bмаксимальн\w*", r"\bмаксимум\w*", r"\bmassim[oaie]\b", r"\bm[áa]xim[oa]s?\b"),
    "minimum": _any(r"\bmin(?:imum|ima|imal\w*)?\b", r"\bmindest\w*", r"\bminimale?[nrs]?\b", r"\bминимальн\w*", r"\bминимум\w*", r"\bminim[oaie]\b", r"\bm[íi]nim[oa]s?\b"),
}


# a sentence states a default with these German compounds only: "Bei einer Standardinstallation …" says no default value
_GERMAN_COMPOUND = re.compile(r"\bstandard(?!mäßig|wert|einstellung|-)[\w-]+", re.IGNORECASE)


def qualifiers(text: str, sentence: bool = False) -> frozenset[str]:
    """Which of default, maximum and minimum ``text`` names: a question asks for them, a ``sentence`` states them."""
    if sentence:
        text = _GERMAN_COMPOUND.sub(" ", text)
    return frozenset(name for name, pattern in _QUALIFIERS.items() if pattern.search(text))


# a question asking two things ("Wann und wie viel Kaution …?", "¿Dónde … y cuánto pagué?", "A chi …, e entro quando?"): its
# second part, from the question word after "and" (one word may stand between: "et pendant combien de temps")
_SECOND_PART = _any(
    r"(?:,\s*|\s)(?:and|und|et|e|y|и)\s+(?:\w+\s+)?((?:what|which|when|where|who|how|wann|wie|wo|wer|welche\w*|quand|combien|quel\w*|où|qui|"
    r"quando|quanto|quant[aie]|dove|chi|quale|cu[áa]ndo|cu[áa]nt[oa]s?|d[óo]nde|qui[ée]n|когда|сколько|где|кто)\b.*)"
)


def second_part(question: str) -> str:
    """The second of two things a question asks, as a question of its own, else ""."""
    m = _SECOND_PART.search(question)
    return m.group(1) if m else ""
