"""What a person gets back: the sentence that answers, led by the short answer, checked claims, and no
quiet failures. Model-free where possible (hash embedder, fake LLM)."""
from __future__ import annotations

import json

import pytest
from fakes import FakeLLM
from typer.testing import CliRunner

from rag.answer import asked, howto, kinds, lifts, signals
from rag.answer.citations import unsupported_claims
from rag.api import Pipeline
from rag.cli import app, ask_app
from rag.errors import CorpusError
from rag.types import Locator, Passage

FAST = {"embedder": "hash:64", "retrieval": "dense"}


@pytest.mark.parametrize(
    "question,kind",
    [
        ("How much did Microsoft invest?", "amount"), ("Wie viele Mitarbeiter hat die Firma?", "amount"), ("Сколько стоит подписка?", "amount"),
        ("Combien coûte l'abonnement ?", "amount"), ("Quanto ha investito SoftBank?", "amount"), ("When was Altman fired?", "date"),
        ("In welchem Jahr wurde OpenAI gegründet?", "date"), ("Когда вышла модель?", "date"), ("Who leads the group?", "person"),
        ("Chi ha guidato OpenAI?", "person"), ("Where will the data centres be built?", "place"), ("Où seront-ils construits ?", "place"),
        ("Why did Microsoft hire Suleyman?", "reason"), ("Почему Microsoft наняла Сулеймана?", "reason"), ("Perché Microsoft ha assunto Suleyman?", "reason"),
        ("Which option sorts numerically?", "option"), ("Quel salaire touche-t-il ?", "amount"), ("Какая зарплата у Альтмана?", "amount"),
        ("Qual è il fatturato annuale di OpenAI?", "amount"), ("What was OpenAI valued at?", "amount"), ("On what exact date did they meet?", "date"),
        ("Quelle est la date de lancement prévue ?", "date"), ("In welcher Stadt hat die Firma ihren Sitz?", "place"),
        ("Quel est le nom du directeur technique ?", "person"), ("Which command lists units sorted by how long they took?", "command"),  # not "how long": an amount
        ("Which command shows a user even when accounts come from LDAP?", "command"), ("What happened to the share price?", "other"),
        ("Wie zeigt date die Zeit der letzten Änderung einer Datei an?", "other"), ("What is the release date of GPT-4?", "date"),
        ("What is the name of the language model Microsoft is building?", "name"), ("Как называется языковая модель Microsoft?", "name"),
        ("Wie heißt das Sprachmodell von Microsoft?", "name"), ("Comment s'appelle le modèle de Microsoft ?", "name"),
        ("Come si chiama il modello di Microsoft?", "name"), ("¿Cuál era el nombre del castillo normando?", "name"),  # "nombre de" is no count here
        ("Quel est le nombre d'employés ?", "amount"), ("What was the castle called?", "name"),
        ("Which firm led OpenAI's funding round?", "name"), ("Welches Unternehmen leitet Marc Benioff?", "name"),  # an organisation, by name
        ("Quali investitori hanno partecipato al round?", "name"), ("Какая команда выиграла Суперкубок?", "name"),
        ("Which group may read the file?", "other"),  # a Unix group is no name of the kind
        ("Which command lists the fonts available to fontconfig?", "command"), ("Quale comando ricrea il file modules.dep?", "command"),
        ("How do I show the log of one service since the last boot?", "command"), ("Wie finde ich die optimale MTU heraus?", "command"),
        ("Comment afficher les PID dans pstree ?", "command"), ("Как заблокировать пароль пользователя?", "command"),
        ("¿Cómo puedo listar los paquetes?", "command"), ("How did Nadella respond to the idea?", "other"),  # a past event, no how-to
        # who someone is: a description, no name to lead with; a German genitive still asks for a person
        ("Who is Mustafa Suleyman?", "other"), ("Кто такой Джей Парих?", "other"), ("¿Quién es Marc Benioff?", "other"),
        ("Chi è Satya Nadella?", "other"), ("Wer war Ayurparibhadras Sohn?", "person"), ("Who is the CEO of OpenAI?", "person"),
        # the tool before the verb, and French verbs in -ir / -re: still how-to questions
        ("Как с помощью wget скачать сайт рекурсивно?", "command"), ("Comment extraire le contenu d'un paquet .deb ?", "command"),
        ("Comment a évolué le cours de l'action ?", "other"),
    ],
)
def test_question_types_in_every_language(question, kind):
    assert asked.kind_of(question)[0] == kind


@pytest.mark.parametrize(
    "kind,question,sentence,lead",
    [
        ("amount", "How much had Microsoft invested in OpenAI by November 2023?", "Zu dieser Zeit hatte Microsoft bereits 13 Milliarden US-Dollar in OpenAI investiert.", "13 Milliarden US-Dollar"),
        ("amount", "Combien vaut le projet ?", "un projet de centre de données de 500 milliards de dollars appelé Stargate", "500 milliards de dollars"),
        ("date", "When was Altman briefly fired?", "Nachdem Altman Ende 2023 entlassen und wieder als OpenAI-CEO eingesetzt wurde.", "2023"),
        ("person", "Who leads Microsoft's new AI group?", "Microsoft announced a new AI group led by Jay Parikh that will build agents.", "Jay Parikh"),
        ("person", "Кто возглавит новую группу?", "Новую группу возглавит Джей Парих, бывший технический директор.", "Джей Парих"),
        ("reason", "Why?", "Because it was cheaper.", ""),
    ],
)
def test_the_short_answer_is_found_in_the_quote(kind, question, sentence, lead):
    q = asked.Question.of(question)
    assert q.kind == kind and q.span(sentence) == lead
    assert q.lead(sentence) == ("" if kind == "person" else lead)  # a person is found but not led with: too often wrong


@pytest.mark.parametrize(
    "question,unit,sentence,found",
    [
        ("How much did Microsoft invest in 2019?", "money", "Microsoft invested in OpenAI in 2019 and again in 2023.", []),  # years are not money
        ("How much did Microsoft invest?", "money", "Microsoft investierte 13 Milliarden in OpenAI.", ["13 Milliarden"]),
        ("How much did Microsoft invest?", "money", "Microsoft hired 200 people.", []),  # a count is not money
        ("How many parameters does the model have?", "count", "It was built to compete with GPT-4 in 2024.", []),  # GPT-4 holds no count
        ("How many people use ChatGPT?", "count", "ChatGPT hat 300 Millionen wöchentliche Nutzer.", ["300 Millionen"]),
        ("What share does Microsoft own?", "percent", "Microsoft hält 49 % der Anteile.", ["49 %"]),
        ("What share does Microsoft own?", "percent", "Microsoft investierte 13 Milliarden Dollar.", []),
        ("What was the loss in 2024?", "money", "OpenAI erwartet für 2024 einen Verlust von fünf Milliarden Dollar.", ["fünf Milliarden Dollar"]),
    ],
)
def test_an_answer_of_the_asked_kind_is_found_and_nothing_else(question, unit, sentence, found):
    q = asked.Question.of(question)
    assert q.unit == unit and q.candidates(sentence) == found


def test_a_name_holding_a_whole_name_of_the_question_is_the_questions():
    q = asked.Question.of("Who hired Suleyman?")
    assert q.candidates("Damals engagierte Satya Nadella den Mitbegründer Mustafa Suleyman.", "de") == ["Satya Nadella"]
    q = asked.Question.of("Selon Benioff, où l'hostilité entre Altman et Suleyman s'est-elle manifestée ?")
    assert q.candidates("А Мустафа Сулейман и Сэм Альтман - не лучшие друзья.", "ru") == []  # the question's two people, in Cyrillic
    assert q.candidates("Benioff a affirmé que leur inimitié était visible lors du show de Davos.", "fr") == ["Davos"]
    q = asked.Question.of("Who is the wife of Barack Obama?")
    assert q.candidates("He married Michelle Obama in 1992.", "en") == ["Michelle Obama"]  # another person of that name


def test_a_list_items_first_word_is_a_sentences_first_word():
    q = asked.Question.of("Who wrote the handbook?")
    assert q.candidates("- Das Debian Handbook wurde von Osamu Aoki geschrieben.", "de") == ["Osamu Aoki"]
    assert q.candidates("| Das Debian Handbook | Osamu Aoki |", "de") == ["Osamu Aoki"]


def test_a_part_of_a_date_in_digits_is_no_amount():
    """"Сколько лет длится партнёрство …?" led with "→ 10", the month of a front-matter line "date 2024-10"."""
    q = asked.Question.of("How many people signed?")
    assert q.candidates("date 2024-10 Zwischen OpenAI und Microsoft schien es lange Zeit zu passen.") == []
    assert q.candidates("Am 17.10.2024 unterschrieben 40 Leute.") == ["40"]
    assert q.candidates("Version 2.10 hat 12 Autoren.") == ["2.10", "12"]  # no year: a version, as before


def test_a_manual_section_is_no_amount():
    q = asked.Question.of("How much RAM does Debian need at minimum?")
    assert q.candidates("Die Befehle sind auf die systemd(1)-Umgebung reduziert, siehe passwd(1ssl).") == []
    assert q.candidates("Das System braucht (512) MB, siehe free(1).") == ["512"]


@pytest.mark.parametrize(
    "question,asks", [("How long does the apple tart bake?", True), ("Wie lange dauerte der Krieg?", True), ("Combien de temps faut-il ?", True),
                      ("Сколько времени идёт электричка?", True), ("¿Cuánto duró la peste?", True), ("How much did it cost?", False),
                      ("Сколько лет длится партнёрство?", True), ("How many years did the war last?", True), ("¿Cuántos días dura?", True),
                      ("Quanti anni ha Sam Altman?", True), ("How many employees are there?", False), ("Сколько сотрудников?", False)],
)
def test_a_how_long_question_asks_for_a_span_of_time(question, asks):
    from rag.answer.kinds import asks_duration

    assert asks_duration(question) is asks


@pytest.mark.parametrize(
    "question,unit",
    [
        ("Combien m'a coûté la dernière vidange de la voiture ?", "money"), ("Quanto mi è costata la riparazione dei freni?", "money"),
        ("¿Cuánto cobra el mecánico por hora?", "money"), ("Wie viel hat der letzte Ölwechsel gekostet?", "money"),
        ("Combien de personnes ont gagné le prix ?", "count"),  # "combien de": a count, whatever the verb
        ("What is the interest rate on the loan?", "percent"), ("Wie hoch ist der Zinssatz?", "percent"), ("Quel est le taux de chômage ?", "percent"),
        ("Quel est le taux de change ?", ""), ("What is the market cap of Nvidia?", "money"),
    ],
)
def test_the_money_verb_or_rate_noun_tells_the_unit_of_an_amount(question, unit):
    assert asked.kind_of(question) == (("amount", unit) if unit else ("other", ""))


def test_a_how_long_question_never_leads_with_a_sum_of_money():
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    q = asked.Question.of("How long did the war last?")
    assert asked.priced("$ 500 billion") and asked.priced("12%") and not asked.priced("six")
    assert q.span("The war lasted six years and cost $ 500 billion.", "en") == "six"
    assert q.span("Microsoft инвестировала 1 миллиард долларов в OpenAI.", "ru") == ""
    assert q.span("Ölwechsel zuletzt bei 87.400 km, der nächste nach 12 Monaten", "de") == "12"  # not the kilometres
    assert q.span("Strandweg 7, Dünenhagen (Ostsee)", "de") == ""
    assert q.span("Обычно проходит от пяти до десяти лет.", "ru") == "пяти"  # a range: the unit follows its second number
    assert asked.Question.of("How much did the war cost?").span("The war lasted six years and cost $ 500 billion.", "en") == "$ 500 billion"
    text = "Microsoft invested $1 billion in OpenAI. The partnership ran on for years, 12% of it in cloud credits."
    p = Passage(passage_id="m#0", source="m.md", score=0.8, text=text, language="en")
    items = [Evidence(n=1, passage=p, start=0, end=40, score=0.8), Evidence(n=1, passage=p, start=41, end=len(text), score=0.8)]
    types = {j.item.text: j.type_ok for j in judge.judge(judge.Question.of("How long did the partnership last?"), items)}
    assert types == {"Microsoft invested $1 billion in OpenAI.": 0.0, "The partnership ran on for years, 12% of it in cloud credits.": 0.0}


def test_for_a_how_long_question_an_amount_of_something_else_matches_only_half():
    from rag.answer import judge, signals
    from rag.answer.evidence import Evidence

    assert signals.gives_duration("Cuire 40 minutes.") and signals.gives_duration("in sechs Jahren") and signals.gives_duration("идёт 45 минут")
    assert not signals.gives_duration("Étaler la pâte dans un moule de 28 cm.")
    text = "Ajouter 50 g de sucre. Cuire 40 minutes."
    p = Passage(passage_id="r#0", source="recette.md", score=0.8, text=text, language="fr")
    items = [Evidence(n=1, passage=p, start=0, end=22, score=0.8), Evidence(n=1, passage=p, start=23, end=len(text), score=0.8)]
    types = {j.item.text: j.type_ok for j in judge.judge(judge.Question.of("How long does the apple tart bake?"), items)}
    assert types == {"Ajouter 50 g de sucre.": 0.5, "Cuire 40 minutes.": 1.0}  # half: a range of years may still answer "how long"
    types = {j.item.text: j.type_ok for j in judge.judge(judge.Question.of("How much sugar goes into the tart?"), items)}
    assert types == {"Ajouter 50 g de sucre.": 1.0, "Cuire 40 minutes.": 1.0}


@pytest.mark.parametrize(
    "question,sentence,found",
    [
        ("Bis wann müssen wir am letzten Tag raus sein?", "Abreise bis 10 Uhr, Schlüssel in den Kasten.", ["10 Uhr"]),
        ("À quelle heure passe le plombier ?", "Le plombier passe jeudi à 9h30.", ["9h30"]),
        ("What time is the dentist appointment?", "Kontrolle am 9. April um 8:15.", ["8:15"]),  # a time of day: no date
        ("Во сколько начинается урок?", "Урок начинается в 18:30.", ["18:30"]),
        ("Во сколько раз выросло число пользователей?", "Число пользователей выросло в 3 раза.", ["3"]),  # a multiplier, no time
        ("¿A qué hora es el examen?", "El examen es el 27 de mayo.", []),  # a time of day asked: a date does not answer
        ("When is the exam?", "The exam is on 27 June at 10:00.", ["27 June"]),  # the date; a time only where no date stands
    ],
)
def test_a_time_of_day_answers_when(question, sentence, found):
    assert asked.Question.of(question).candidates(sentence) == found


def test_a_short_line_inside_a_block_is_no_title():
    from rag.answer.signals import in_block, is_heading

    note = '# Home network\nRouter: Netvia AX3000 in the hall cupboard.\nWi-Fi "Larkspur-5G", password maple-otter-4417\n'
    line = note.index("Wi-Fi")
    assert is_heading(note[line:].splitlines()[0]) and in_block(note, line)  # title-shaped, but a note's line among lines
    news = "… schien es lange Zeit zu passen.\n\nSam Altman und Microsoft äußern sich positiv\n\nOpenAI …"
    assert not in_block(news, news.index("Sam Altman"))  # a line standing alone between blank lines: a title
    assert not in_block(note, 0)  # a Markdown heading, the passage's first line


def test_a_tables_header_row_is_noise():
    from rag.answer.signals import table_header

    text = "Orario:\n| Giorno | Ora | Dove |\n| :--- | --- | --- |\n| Martedì | 19:00 | aula 214 |\n"
    header, row = text.index("| Giorno"), text.index("| Martedì")
    assert table_header(text, header, text.index("\n", header))
    assert not table_header(text, row, text.index("\n", row))  # a row of values answers
    assert not table_header("| a | b |", 0, 9)  # no rule line below: a row like any other
    bare = "Ecco le classi:\n| Classe | maschera di rete |\n| A | 255.0.0.0 |\n| B | 255.255.0.0 |\n"  # a table without the rule line
    assert table_header(bare, bare.index("| Classe"), bare.index("\n", bare.index("| Classe")))  # no digit, above a row with one
    assert not table_header(bare, bare.index("| A"), bare.index("\n", bare.index("| A")))


def test_a_table_rows_quote_carries_its_column_names():
    from rag.answer.evidence import columns_of

    text = "Orario:\n| Giorno | Ora | Dove |\n| :--- | --- | --- |\n| Martedì | 19:00 | aula 214 |\n| Giovedì | 19:00 | online |\n\nFine."
    assert columns_of(text, text.index("| Giovedì")) == "Giorno | Ora | Dove"  # from a row below other rows
    assert columns_of(text, text.index("| Martedì")) == "Giorno | Ora | Dove"
    assert columns_of(text, text.index("| Giorno")) == ""  # the header itself
    assert columns_of(text, text.index("Fine")) == "" and columns_of(text, 0) == ""  # prose
    cut = text[text.index("| Martedì") :]  # a passage that starts inside the table: its header is elsewhere
    assert columns_of(cut, cut.index("| Giovedì")) == ""
    bare = "Tabella 7.5.\n\n| pacchetto | popcon | descrizione |\n| libfreetype6 | V:527 | FreeType |\n| fontconfig | V:409 | fc-* |\n"
    assert columns_of(bare, bare.index("| fontconfig")) == "pacchetto | popcon | descrizione"  # a header without the rule line


def test_a_citation_of_a_table_row_carries_its_column_names():
    from rag.answer.evidence import Evidence
    from rag.types import Locator, Passage

    text = "# Kurs\n\n| Tag | Raum | Lehrer |\n|---|---|---|\n| Dienstag | 214 | Marco Bellini |\n"
    passage = Passage(passage_id="k.md#0-80", source="k.md", text=text, score=0.9, language="de", locator=Locator(line=1))
    start = text.index("| Dienstag")
    citation = Evidence(passage=passage, n=1, start=start, end=text.index("\n", start), score=0.9).cite(1)
    assert citation.columns == "Tag | Raum | Lehrer" and citation.to_dict()["columns"] == "Tag | Raum | Lehrer"
    assert citation.locator.line == 5


@pytest.mark.parametrize(
    "question,secret",
    [
        ("What was the password for guests on our wifi again?", True), ("Wie war nochmal unser WLAN-Passwort zu Hause?", True),
        ("Quel est le code de la porte ?", True), ("Какой код от домофона?", True), ("Qual è la combinazione dell'armadietto?", True),
        ("¿Cuál es la contraseña del usuario nobody?", True), ("What is the PIN code of my SIM card?", True),
        # a code that opens nothing, and how to set or change a password, ask for something else
        ("What is the exit code of grep when no line matches?", False), ("Qual è il codice di errore?", False),
        ("How do I enforce stricter password rules such as a minimum length?", False), ("Как сбросить забытый пароль root?", False),
    ],
)
def test_a_question_asking_what_a_password_or_code_is(question, secret):
    from rag.answer.kinds import kind_of

    assert (kind_of(question)[0] == "secret") is secret


def test_a_password_is_given_only_by_a_token_near_what_names_it():
    from rag.answer.credentials import given

    assert given('Wi-Fi "Larkspur-5G", password maple-otter-4417') == ["maple-otter-4417"]  # not the network's name
    assert given("Guest Wi-Fi, password visitors-welcome (off after 6 hours)") == ["visitors-welcome"]
    assert given("Code de la porte d'entrée : 47B19.") == ["47B19"] and given("Schlüsseltresor neben der Haustür, Code 5820.") == ["5820"]
    assert given("Admin password is on the sticker underneath.") == []  # names a password, gives none
    assert given("The Debian base-passwd package holds /etc/passwd.") == []  # a package, not a password
    assert given("Se puede evitar recordar las contraseñas del sistema remoto usando «RSAAuthentication» (protocolo SSH-2).") == []


@pytest.mark.parametrize(
    "text,missing",
    [
        ("Admin password is on the sticker underneath. Router: Netvia AX3000 in the hall cupboard.", "kind:secret"),
        ("Admin password is on the sticker underneath. The router's admin password: tulip-42-harbour.", ""),
        # the password asked for is named and given nowhere: another one is no answer
        ('Admin password is on the sticker underneath. Wi-Fi "Larkspur-5G", password maple-otter-4417.', "kind:secret"),
    ],
)
def test_a_password_question_is_refused_when_no_sentence_gives_one(text, missing):
    from rag.answer import prompts

    assessment = _assess("What's the admin password for the router?", text)
    assert assessment.missing == missing
    if missing:
        assert prompts.explain(missing, "de") == "Keine der gefundenen Passagen nennt das gefragte Passwort oder den Code."
        assert prompts.reason(missing) == "no password or code in the evidence"


@pytest.mark.parametrize(
    "question,words",
    [
        ("What's the admin password for the router?", ["admin", "router"]), ("Wie lautet das Admin-Passwort vom Router?", ["Admin", "Router"]),
        ("C'est quoi le mot de passe administrateur du routeur ?", ["administrateur"]), ("Какой пароль администратора у роутера?", ["администратора"]),
        ("Wie war nochmal unser WLAN-Passwort zu Hause?", ["WLAN", "Hause"]), ("Qual è la password dell'amministratore?", ["admin"]),
        ("What was the password for guests on our wifi again?", ["guests"]), ("Quel est le code de la porte ?", ["porte"]),
    ],
)
def test_the_words_that_say_which_password_is_asked_for(question, words):
    from rag.answer.credentials import qualifiers

    assert [t.text for t in qualifiers(question)] == words


def test_a_password_named_but_withheld_is_not_answered_by_another(monkeypatch):
    from rag.answer import credentials

    note = ["Router: Netvia AX3000 in the hall cupboard.", "Admin password is on the sticker underneath.",
            'Wi-Fi "Larkspur-5G", password maple-otter-4417', 'Guest Wi-Fi "Larkspur-Guest", password visitors-welcome']
    assert credentials.withheld("What's the admin password for the router?", note) == "admin"
    assert credentials.withheld("Какой пароль администратора у роутера?", note) == "администратора"  # across scripts
    assert credentials.withheld("Qual è la password di amministrazione del router?", note) == "admin"  # Italian's double m
    assert credentials.withheld("What was the password for guests on our wifi again?", note) == ""  # named and given
    assert credentials.withheld("Wie war nochmal unser WLAN-Passwort zu Hause?", note) == ""  # no sentence names a WLAN password
    monkeypatch.setattr(credentials, "QUALIFIED", False)
    assert credentials.withheld("What's the admin password for the router?", note) == ""


@pytest.mark.parametrize(
    "question,condition",
    [
        ("When is a trigger processed?", True), ("Wann wird die Datei /etc/fstab gelesen?", True), ("Wann setzt systemd den Rechnernamen?", True),
        ("Quand faut-il lancer update-grub ?", True), ("Quand un trigger est-il activé ?", True), ("Quando si usa sudo?", True),
        ("¿Cuándo se ejecutan los scripts de /etc/cron.daily?", True), ("Когда перезаписывается конфигурация X-клавиатуры?", True),
        # a past event, or a day asked for: a date
        ("When was ChatGPT launched?", False), ("Wann wurde Altman entlassen?", False), ("Wann habe ich die Bremsbeläge gewechselt?", False),
        ("Quand Microsoft a-t-il investi ?", False), ("Когда Microsoft вложила деньги?", False), ("Wann ist die Prüfung?", False),
    ],
)
def test_a_present_when_may_ask_for_a_condition(question, condition):
    assert kinds.asks_when_condition(question) is condition


@pytest.mark.parametrize(
    "question,text,missing",
    [
        # documentation says when with a condition, not a date
        ("When is a trigger processed?", "When a trigger is activated, it becomes pending for every interested package.", ""),
        ("Wann wird ein Trigger verarbeitet?", "Die Verarbeitung wird aufgeschoben, bis das Paket konfiguriert wird.", ""),
        # neither a date nor a condition
        ("When should I run update-grub?", "For the persistent change, please edit the GRUB_CMDLINE_LINUX_DEFAULT line.", "kind:when"),
        # a past event still needs a date
        ("When was the trigger facility added to dpkg?", "When a trigger is activated, it becomes pending for every interested package.", "kind:date"),
    ],
)
def test_a_condition_answers_a_present_when(question, text, missing):
    from rag.answer import prompts

    assert _assess(question, text).missing == missing
    if missing == "kind:when":
        assert prompts.explain(missing, "fr") == "Aucun des passages trouvés ne dit quand."
        assert prompts.reason(missing) == "no date or condition in the evidence"


def test_a_phone_question_wants_a_phone_number_on_the_named_contacts_line():
    from rag.answer.asked import phones
    from rag.answer.evidence import Evidence
    from rag.answer.judge import assess
    from rag.answer.kinds import kind_of

    assert kind_of("Qual è il numero di cellulare di M. Diallo?") == ("phone", "") and kind_of("How many phones were sold?")[0] == "amount"
    assert kind_of("Who invented the telephone?")[0] == "person"
    assert phones("Portable : 06 39 98 27 41. Jamais là") == ["06 39 98 27 41"] and phones("Call +49 30 1234567 now") == ["+49 30 1234567"]
    assert phones("address 192.168.178.40, am 14.03.2025, 1 000 000 users") == []  # an IP address, a date, a number
    note = ("Mme Aubertin (3e gauche) a un double de nos clés. Portable : 06 39 98 27 41.\n"
            "M. Diallo (rez-de-chaussée) prend nos colis si on est absents.\n")
    p = Passage(passage_id="voisin#0", source="voisin.fr.md", score=0.85, text=note, language="fr")
    from rag import chunk

    items = [Evidence(n=1, passage=p, start=a, end=b, score=0.85 - 0.01 * i) for i, (a, b) in enumerate(chunk.sentences(note))]
    assert assess("Quel est le numéro de portable de Mme Aubertin ?", "fr", [p], items).missing == ""
    assert assess("Qual è il numero di cellulare di M. Diallo?", "it", [p], items).missing == "bound:phone:Diallo"  # another's line
    assert assess("What's the phone number of the dentist?", "en", [p], items[2:]).missing == "kind:phone"  # no number at all


def test_a_number_from_another_document_than_the_one_about_the_question_is_no_answer():
    from rag import chunk
    from rag.answer.evidence import Evidence
    from rag.answer.judge import assess

    arzt = Passage(passage_id="arzt#0", source="arzt.de.md", score=0.86, text="Zahnarzt Dr. Kowalczyk, Schillerstraße 12: Kontrolle am 9. April.", language="de")
    voisin = Passage(passage_id="voisin#0", source="voisin.fr.md", score=0.83, text="Mme Aubertin a nos clés. Portable : 06 39 98 27 41.", language="fr")

    def items(*passages, best=None):
        out = [Evidence(n=n, passage=p, start=a, end=b, score=0.8) for n, p in enumerate(passages, 1) for a, b in chunk.sentences(p.text)]
        for it in out:  # the number's sentence judged best, as the selection does for a phone question
            it.score += 0.05 * (best is not None and best in it.text)
        return out

    # the note about the dentist, ranked first, gives no number; the neighbour's number is no answer
    found = assess("What's the dentist's phone number?", "en", [arzt, voisin], items(arzt, voisin, best="Portable"))
    assert found.missing == "aside:phone"
    from rag.answer import prompts

    assert prompts.reason(found.missing) == "no phone in the document the question is about"
    assert prompts.explain(found.missing, "de").startswith("Das Dokument, um das es in der Frage geht, nennt es nicht")
    # the same number asked of the note ranked first is an answer
    assert assess("Quel est le numéro de portable de Mme Aubertin ?", "fr", [voisin, arzt], items(voisin, arzt, best="Portable")).missing == ""
    # a date from the note ranked first: that note gives one, the rule does not apply
    assert assess("When is the dentist's appointment?", "en", [arzt, voisin], items(arzt, voisin)).missing == ""


@pytest.mark.parametrize(
    "question,unit",
    [
        ("¿Qué día de la semana no está nunca la vecina?", "weekday"), ("On which weekday is the gym closed?", "weekday"),
        ("An welchem Wochentag ist Markt?", "weekday"), ("В какой день недели закрыт зал?", "weekday"),
        ("Quel jour de la semaine passe le plombier ?", "weekday"), ("In che giorno della settimana è chiuso?", "weekday"),
        ("When is the exam?", ""), ("Wann ist der Markt?", ""),
    ],
)
def test_a_weekday_question_is_answered_by_a_day_of_the_week(question, unit):
    q = asked.Question.of(question)
    assert (q.kind, q.unit) == ("date", unit)
    if unit:
        assert q.candidates("Portable : 06 39 98 27 41. Jamais là le mercredi.", "fr") == ["mercredi"]
        assert q.candidates("Зал закрыт по средам и в воскресенье, средний чек 500 ₽.", "ru") == ["средам", "воскресенье"]
        assert q.candidates("Kontrolle am 9. April 2025.", "de") == []  # a date is not a day of the week


@pytest.mark.parametrize(
    "question",
    ["Quel jour la voisine n'est-elle jamais là ?", "On which day do I leave the key?", "An welchem Tag ist Markt?", "В какой день проходит клуб?",
     "In che giorno passa il tecnico?", "¿Qué día llega el paquete?"],
)
def test_a_which_day_question_takes_a_date_or_else_a_weekday(question):
    q = asked.Question.of(question)
    assert (q.kind, q.unit) == ("date", "day")
    assert q.candidates("Jamais là le mercredi (elle garde ses petits-enfants).", "fr") == ["mercredi"]
    assert q.candidates("Unterzeichnet am 3. März 1990, einem Montag.", "de") == ["3. März 1990"]  # a date first
    assert q.candidates("| Суббота | 11:00–12:00 | разговорный клуб |", "ru") == ["Суббота"]  # a time of day is no day


def test_when_takes_no_weekday_and_italian_mai_is_no_month():
    q = asked.Question.of("C'est quand l'anniversaire de tante Bruna ?")
    assert (q.kind, q.unit) == ("date", "")
    assert q.candidates("Le lascio la chiave il venerdì.", "it") == []  # "when" is not answered by a weekday alone
    assert q.candidates("Basilico: tutti i giorni d'estate, mai sulle foglie", "it") == []  # "mai": never
    assert q.candidates("Rendez-vous en mai.", "fr") == ["mai"] and q.candidates("Termin im Mai.", "de") == ["Mai"]


def test_a_short_sentence_is_evidence_only_with_a_figure():
    from rag.answer.evidence import _usable

    assert _usable("Cuire 40 minutes.") and _usable("The printer (Brother HL-L2350DW) has a fixed address.")
    assert not _usable("Cuire lentement.") and not _usable("Seite: 9")
    assert signals.is_boilerplate("Seite 3 von 9") and signals.is_boilerplate("Page 3 of 9") and signals.is_boilerplate("Стр. 3 из 9")  # page furniture
    assert not signals.is_boilerplate("Siehe Seite 3 von Kapitel 9 für Details.")


def test_a_name_that_spells_a_month_is_no_date():
    q = asked.Question.of("Quand OpenAI a-t-il été fondé ?")
    assert q.candidates("Microsoft travaille sur son propre LLM appelé MAI-1.") == []  # "MAI" is not "mai"
    assert q.candidates("Le modèle sortira en mai 2025.") == ["mai 2025"]


@pytest.mark.parametrize("sentence,dates", [
    ("El último brote fue en Marsella en 1654.", ["1654"]),  # "Marsella" is no "mars"
    ("The domain remains in Mailand.", []),  # nor "domain" a "mai"
    ("It opened on 3 May, and Microsoft may invest more.", ["3 May"]),  # English "May" beside a day, not the verb
    ("La ley entró en vigor el 10 de mayo de 2020.", ["10 de mayo de 2020"]),
    ("It closed on March 12, 2024.", ["March 12, 2024"]),
    ("Это было 15 января и в сентябре 2020 года.", ["15 января", "сентябре 2020"]),
])
def test_a_month_is_a_whole_word(sentence, dates):
    assert asked.Question.of("When did it happen?").candidates(sentence, "") == dates


def test_german_nouns_are_not_taken_for_names():
    q = asked.Question.of("Who held the record before Manning?")
    assert q.span("Mit 39 Jahren ist er der älteste Quarterback.", "de") == ""  # "Jahren", "Quarterback": nouns
    assert q.span("Vor Manning wurde der Rekord von John Elway gehalten, der mit 38 Jahren siegte.", "de") == "John Elway"
    assert q.span("Sie schlugen im Finale die New England Patriots.", "de") == "New England Patriots"
    assert q.span("Vor Manning hielt der Rekord von John Elway.", "en") == "Rekord von John Elway"  # other languages: as before


def test_a_where_question_is_led_by_a_path_but_not_by_a_name():
    q = asked.Question.of("Where can I set a different remote user name for a given SSH host?")
    assert q.kind == "place" and q.lead("Put it in ~/.ssh/config under a Host entry.") == "~/.ssh/config"
    city = asked.Question.of("In welcher Stadt hat Inflection AI seinen Sitz?")
    assert city.kind == "place" and city.candidates("Suleyman leitet nun ein neues Team bei Microsoft.", "de") == ["Microsoft"]
    assert city.lead("Suleyman leitet nun ein neues Team bei Microsoft.", "de") == ""  # a place by name is no lead: too often wrong


def _assess(question: str, text: str, score: float = 0.85):
    from rag import chunk
    from rag.answer.evidence import Evidence
    from rag.answer.judge import assess

    passage = _passage(text)
    items = [Evidence(n=1, passage=passage, start=s, end=e, score=score) for s, e in chunk.sentences(text)]
    return assess(question, "en", [passage], items)


@pytest.mark.parametrize(
    "question,text,refused",
    [
        ("How much did Microsoft pay for Inflection AI?", "Microsoft übernahm 2024 den Großteil der Belegschaft von Inflection AI. Mustafa Suleyman leitet nun das Team.", True),
        ("How much did Microsoft pay for Inflection AI?", "Microsoft zahlte 650 Millionen Dollar an Inflection AI. Mustafa Suleyman leitet nun das Team.", False),
        ("In welchem Jahr wurde OpenAI gegründet?", "OpenAI entwickelte GPT-4 und ChatGPT. Microsoft investierte Milliarden in OpenAI.", True),
        ("In welchem Jahr wurde OpenAI gegründet?", "OpenAI wurde 2015 in San Francisco gegründet. Microsoft investierte Milliarden.", False),
        ("Which option sorts numerically?", "The -n option compares according to string numerical value.", False),  # an option, never an exact kind
    ],
)
def test_an_amount_or_date_question_without_one_in_the_evidence_is_not_answerable(question, text, refused):
    assessment = _assess(question, text)
    assert (assessment.answerability == 0.0) is refused


@pytest.mark.parametrize(
    "question,kind,wanted",
    [
        ("Wie hoch ist das Jahresgehalt von Satya Nadella?", "amount", ("salary",)), ("Какая зарплата у Сэма Альтмана?", "amount", ("salary",)),
        ("Quel salaire Mustafa Suleyman touche-t-il ?", "amount", ("salary",)), ("Quanto guadagna Satya Nadella all'anno?", "amount", ("salary",)),
        ("How many employees does Salesforce have?", "amount", ("employees",)),  # "Salesforce" is no revenue word
        ("Quanti dipendenti ha Inflection AI?", "amount", ("employees",)), ("Сколько пользователей у Copilot?", "amount", ("users",)),
        ("¿Cuánto cuesta la suscripción?", "amount", ("price",)), ("Сколько стоит доступ к моделям OpenAI?", "amount", ("price",)),
        ("In welchem Jahr wurde OpenAI gegründet?", "date", ("founded",)), ("¿Cuándo fue fundada la empresa?", "date", ("founded",)),
        ("Quante persone vivono a Roma?", "amount", ()), ("Сколько центров обработки данных?", "amount", ()), ("How many feet tall is it?", "amount", ()),
        ("How much did Microsoft invest in OpenAI?", "amount", ()), ("Wie heißt der Mitarbeiter?", "name", ()),  # not an amount question
        ("When was the paper published?", "date", ()), ("When did they launch the attack?", "date", ()),  # no release attribute
        ("Wie viele zahlende Abonnenten hat ChatGPT?", "amount", ("subscribers",)),  # a user need not pay: not ("users", "subscribers")
        ("What was OpenAI valued at after the round?", "amount", ("valuation",)), ("How was the evaluation funded?", "other", ()),
        ("When was the committee established?", "date", ()), ("How many square kilometres of forest were lost?", "amount", ()),  # no money asked
        ("Approximately how many items are in the costume collection?", "amount", ()), ("How many names were signed after the closing?", "amount", ()),
        ("¿Cuánto cobra Sam Altman al año?", "amount", ("salary", "price")),  # "cobrar": earn or charge, either answers
        ("What is the market capitalization of Nvidia?", "amount", ("valuation",)), ("Wie hoch ist der Börsenwert von Nvidia?", "amount", ("valuation",)),
        ("En quelle année Satya Nadella est-il devenu PDG ?", "date", ("office",)), ("Wann wurde Nadella zum CEO ernannt?", "date", ("office",)),
        ("When did the president visit France?", "date", ()),  # an office, but not its taking
        # how much something rose: the change is asked, with what rose; the price question no longer needs a sum
        ("Quanto è salito il prezzo delle azioni di Microsoft?", "amount", ("price", "change")), ("How much has my car insurance gone up?", "amount", ("change",)),
        ("Di quanto sono aumentati gli utenti settimanali di ChatGPT?", "amount", ("users", "change")), ("Um wie viel ist meine Miete gestiegen?", "amount", ("change",)),
        ("How long does it take for the effects to manifest as changes to economic growth?", "amount", ()),  # growth, but no verb of change
    ],
)
def test_the_attribute_an_amount_or_date_question_asks_about(question, kind, wanted):
    from rag.answer import attributes

    kind_, unit = asked.kind_of(question)
    assert kind_ == kind
    assert attributes.asked(question, kind, unit) == wanted


@pytest.mark.parametrize(
    "sentence,attribute,named",
    [
        ("Il servizio costa 20 dollari al mese.", "price", True), ("OpenAI ha costruito ChatGPT nel 2022.", "price", False),
        ("Das Jahresgehalt stieg auf 48 Millionen.", "salary", True), ("Salesforce wuchs 2024 um 10 Prozent.", "revenue", False),
        ("Les ventes ont atteint 3 milliards.", "revenue", True), ("Combien de pays ?", "price", False),
        ("Il comitato è stato istituito nel 1950.", "founded", True), ("La mostra di costumi aprì nel 1950.", "price", False),
        ("ChatGPT hat 300 Millionen Abonnenten.", "users", True), ("ChatGPT ha 300 milioni di utenti.", "subscribers", False),
        ("Anfang 2024 holte Nadella den Inflection-Mitbegründer Suleyman.", "founded", False),  # a founder is no founding
        ("le co-fondateur de DeepMind, début 2024", "founded", False), ("L'entreprise a été fondée en 2010.", "founded", True),
        ("Satya Nadella wurde 2014 CEO von Microsoft.", "office", True), ("début 2024, Nadella a réagi en embauchant Suleyman", "office", False),
    ],
)
def test_a_sentence_names_an_attribute_by_its_words_not_by_a_longer_word(sentence, attribute, named):
    from rag.answer import attributes

    assert attributes.names(sentence, (attribute,)) is named


def test_a_sum_with_its_currency_sign_is_a_price_unless_the_sentence_spends_it_otherwise(monkeypatch):
    """"Wie viel hat die neue Kette am Fahrrad gekostet?" was refused: the bike log's "catena nuova Shimano HG-71, 24 € + 10 €
    di montaggio" holds no price word. A sum with its sign is the price of what the line names, unless the sentence
    names another use of money (an investment, a valuation, a salary …)."""
    from rag.answer import attributes

    assert attributes.names("22/04: catena nuova Shimano HG-71, 24 € + 10 € di montaggio.", ("price",), ("24 €", "10 €"))
    assert not attributes.names("Microsoft hat 13 Milliarden $ in OpenAI investiert.", ("price",), ("13 Milliarden $",))
    assert not attributes.names("22/04: catena nuova Shimano HG-71, 24 € + 10 € di montaggio.", ("salary",), ("24 €",))
    assert not attributes.names("Il tagliando è fissato per il 12 ottobre.", ("price",), ("12",))  # no sum
    monkeypatch.setattr(attributes, "PRICE_SIGN", False)
    assert not attributes.names("22/04: catena nuova Shimano HG-71, 24 € + 10 € di montaggio.", ("price",), ("24 €", "10 €"))


@pytest.mark.parametrize(
    "question,text,refused",
    [
        # the near miss: an amount, but of another thing (Stargate's money, not a salary)
        ("Wie hoch ist das Jahresgehalt von Satya Nadella?", "Satya Nadella ist Chef von Microsoft. SoftBank investiert 500 Milliarden Dollar in Stargate.", True),
        ("Wie hoch ist das Jahresgehalt von Satya Nadella?", "Satya Nadella ist Chef von Microsoft. Sein Gehalt lag 2023 bei 48 Millionen Dollar.", False),
        ("How many employees does OpenAI have?", "OpenAI has 300 million weekly users. It runs 20 data centres.", True),
        ("How many employees does OpenAI have?", "OpenAI has 300 million weekly users. Its staff grew to 1,700 people.", False),
        # a temperature: a figure with a word or sign for it ("2° piano" is a floor)
        ("Bei wie viel Grad backe ich die Tarte?", "Cuire 35 minutes. Lorenza (2° piano) garde la clé.", True),
        ("Bei wie viel Grad backe ich die Tarte?", "Préchauffer le four à 180 °C. Cuire 35 minutes.", False),
        ("In welchem Jahr wurde OpenAI gegründet?", "OpenAI stellte 2022 ChatGPT vor. Microsoft investierte Milliarden.", True),
        ("In welchem Jahr wurde OpenAI gegründet?", "OpenAI wurde 2015 in San Francisco gegründet. Microsoft investierte Milliarden.", False),
        # a figure for another year than the asked one
        ("How large was OpenAI's loss in 2023?", "OpenAI erwartet einen Verlust von rund fünf Milliarden Dollar für das Jahr 2024.", True),
        ("How large was OpenAI's loss in 2023?", "OpenAI machte 2023 einen Verlust von 540 Millionen Dollar.", False),
        ("How large was OpenAI's loss in 2023?", "Der Verlust von OpenAI lag bei rund 540 Millionen Dollar.", False),  # its year may be in the sentence before
        # the attribute's word must stand within attributes.NEAR words of the amount
        ("How much does ChatGPT Plus cost?", "Aufgrund der hohen Kosten von ChatGPT verhandelte OpenAI allerdings einen Deal mit Oracle im Wert von 10 Milliarden Dollar.", True),
        ("How much does ChatGPT Plus cost?", "Das Abonnement ChatGPT Plus kostet in Deutschland 20 Dollar im Monat.", False),
        # a number after an article counts the noun after it: companies, not employees
        ("Combien d'employés travaillent chez Inflection AI ?", "Des employés des deux entreprises ont confié à Business Insider qu'ils n'aimaient pas travailler ensemble.", True),
        ("How many employees does Inflection AI have?", "The employees of the two companies did not like working together.", True),
        ("How many employees does Inflection AI have?", "Inflection AI hired the 70 employees of a start-up.", False),
        ("Combien d'employés travaillent chez Inflection AI ?", "Inflection AI compte deux employés à Paris.", False),
    ],
)
def test_an_amount_about_another_attribute_does_not_answer(question, text, refused):
    assessment = _assess(question, text)
    assert assessment.missing.startswith(("attribute:", "year:")) is refused
    assert (assessment.answerability == 0.0) is refused


@pytest.mark.parametrize(
    "question,unit,sentence,spans",
    [
        ("Quanto è salito il prezzo delle azioni di Microsoft?", "any", "Microsoft ha visto il suo triplo del prezzo delle azioni.", ["triplo"]),
        ("Um wie viel ist der Beitrag gestiegen?", "any", "Versicherungsbeitrag: seit dem Wechsel fast verdoppelt", ["verdoppelt"]),
        ("На сколько выросли акции?", "any", "Акции выросли вдвое.", ["вдвое"]),
        ("Сколько людей пользуются ChatGPT?", "any", "Il suo triplo del prezzo delle azioni.", []),  # how many people: a factor is no answer
        ("How many times has Polonia won the cup?", "count", "Polonia won the cup twice.", ["twice"]),
        ("How much did Microsoft pay for Inflection?", "money", "Microsoft doubled its bid.", []),  # a sum paid, not a rise
    ],
)
def test_a_factor_answers_how_much_something_rose(question, unit, sentence, spans):
    q = asked.Question.of(question)
    assert (q.kind, q.unit) == ("amount", unit)
    assert q.candidates(sentence) == spans


@pytest.mark.parametrize(
    "question,text,refused",
    [
        # a level is no rise: the rent, the weekly users, with no word of change
        ("Um wie viel ist meine Miete letztes Jahr gestiegen?", "Loyer 780 € + 95 € de charges, virement avant le 5 de chaque mois.", True),
        ("Di quanto sono aumentati gli utenti settimanali di ChatGPT?", "ChatGPT ha accumulato oltre 500 milioni di utenti settimanali.", True),
        ("Di quanto sono aumentati gli utenti settimanali di ChatGPT?", "Gli utenti settimanali di ChatGPT sono raddoppiati a 500 milioni.", False),
        ("How much has my car insurance gone up?", "Versicherung: Teilkasko mit 150 € Selbstbeteiligung. Versicherungsbeitrag: seit dem Wechsel fast verdoppelt.", False),
        ("Quanto è salito il prezzo delle azioni di Microsoft?", "L'investimento ha contribuito, con il suo triplo del prezzo delle azioni.", False),
    ],
)
def test_a_rise_is_answered_by_a_figure_of_change_not_by_a_level(question, text, refused, monkeypatch):
    from rag.answer import attributes

    assert _assess(question, text).missing.startswith("attribute:") is refused
    monkeypatch.setattr(attributes, "CHANGE", False)  # without the rule the level answers: the rule is what refuses
    assert not _assess(question, text).missing.startswith("attribute:")


def test_a_level_is_half_a_type_match_for_a_rise():
    """"How much has my car insurance gone up?": «150 € Selbstbeteiligung» gives a level, «fast verdoppelt» the rise."""
    judged = {j.item.text: j.type_ok for j in _assess("How much has my car insurance gone up?", "Teilkasko mit 150 € Selbstbeteiligung. Der Beitrag hat sich fast verdoppelt.").judged}
    assert judged == {"Teilkasko mit 150 € Selbstbeteiligung.": 0.5, "Der Beitrag hat sich fast verdoppelt.": 1.0}


@pytest.mark.parametrize(
    "question,text,refused",
    [
        ("When was MAI-1 released?", "Microsoft arbeitet an einem eigenen Modell namens MAI-1. " + "Das Team wächst weiter. " * 12 + "ChatGPT kam im November 2022 heraus.", True),
        ("When was MAI-1 released?", "Microsoft stellte sein Modell MAI-1 im Mai 2024 vor. ChatGPT kam im November 2022 heraus.", False),
    ],
)
def test_a_date_far_from_the_identifier_asked_about_does_not_answer(question, text, refused):
    assessment = _assess(question, text)
    assert (assessment.missing == "bound:date:MAI") is refused
    assert (assessment.answerability == 0.0) is refused


@pytest.mark.parametrize(
    "question,text,refused",
    [
        # a sum the asked investor shares with others it is listed with
        ("How much money did SoftBank put into Stargate?", "OpenAI will mit SoftBank und Oracle 500 Milliarden Dollar in Stargate investieren.", True),
        ("How much money did SoftBank put into Stargate?", "SoftBank steckt 100 Milliarden Dollar in Stargate, Oracle und OpenAI den Rest.", False),
        ("How much did Microsoft and OpenAI spend on Stargate?", "Microsoft und OpenAI geben 10 Milliarden Dollar für Stargate aus.", False),  # both asked
        ("How many passengers does the network in Newcastle carry?", "Das Netz bringt 37 Millionen Passagiere zum Flughafen Newcastle, Tynemouth und Sunderland.", False),
        # the question's first word is no name, and a sum naming the investor without the project asked about is another sum
        ("Combien Oracle a-t-il investi dans Stargate ?", "OpenAI will mit SoftBank und Oracle 500 Milliarden Dollar in Stargate investieren. "
         "OpenAI schloss mit Oracle einen Deal über 10 Milliarden Dollar.", True),
        ("Combien Oracle a-t-il investi dans Stargate ?", "Oracle investiert 40 Milliarden Dollar in Stargate, mit SoftBank und OpenAI.", False),
    ],
)
def test_a_sum_shared_with_others_does_not_answer_for_one_of_them(question, text, refused):
    assessment = _assess(question, text)
    assert assessment.missing.startswith("joint:") is refused


@pytest.mark.parametrize(
    "question,text,missing",
    [
        # the office is named, but for another organisation: the CEO of Salesforce is no CEO of Anthropic
        ("Who is the CEO of Anthropic?", "Marc Benioff, CEO von Salesforce, lachte. Salesforce investiert auch in Anthropic, einen Rivalen von OpenAI.", "role:CEO:Anthropic"),
        ("Who is the CEO of Anthropic?", "Dario Amodei, CEO von Anthropic, widersprach. Salesforce investiert auch in Anthropic.", ""),
        ("Кто генеральный директор Anthropic?", "Dario Amodei, CEO von Anthropic, widersprach.", ""),  # the office in another language
        # Russian names the organisation in the genitive, with no word between: "директор Anthropic"
        ("Кто генеральный директор Anthropic?", "Salesforce investit dans le rival d'OpenAI, Anthropic. Marc Benioff, PDG de Salesforce, a ri.", "role:CEO:Anthropic"),
        # no sentence names the office at all
        ("Quel est le nom du directeur technique d'OpenAI ?", "Sam Altman, CEO von OpenAI, sprach von einer Bromance.", "role:CTO"),
        ("Quel est le nom du directeur technique d'OpenAI ?", "Mira Murati, CTO von OpenAI, verließ die Firma.", ""),
        # an organisation spelled out where the office is named, introduced by its acronym earlier
        ("Who is the president of TUMAS?", "Mitglieder haben sich in der Task Force der Methodisten für Abtreibung und Sexualität (TUMAS) organisiert. "
         "Paul Stallsworth, Präsident der Task Force der Methodisten für Abtreibung und Sexualität, sagte etwas.", ""),
        # an adjective before the office is no organisation to bind ("kolumbianischer Präsident" for Columbia)
        ("What Columbia President went to Harvard?", "Zu den Absolventen gehört der kolumbianische Präsident Juan Manuel Santos.", ""),
        ("Who leads Microsoft's new AI group?", "Jay Parikh leitet die neue Gruppe.", ""),  # no office asked
    ],
)
def test_an_office_held_elsewhere_does_not_answer_who_holds_it(question, text, missing):
    assessment = _assess(question, text)
    assert assessment.missing == missing
    assert (assessment.answerability == 0.0) is bool(missing)


@pytest.mark.parametrize(
    "question,text,missing",
    [
        # the sentence closest to a "who" question names nobody: the plumber is never named
        ("Who is the plumber coming on Thursday?", "Fuite sous l'évier signalée le 12 février, le plombier passe jeudi entre 9h et 11h.", "kind:person"),
        ("Who is the plumber coming on Thursday?", "Le plombier, Julien Garnier, passe jeudi entre 9h et 11h.", ""),
        # nobody but the people and names the question gives, whatever joins them ("CEO von OpenAI")
        ("Who was OpenAI's interim CEO when Altman was fired?", "Allerdings wurde Sam Altman kurzzeitig als CEO von OpenAI entlassen.", "kind:person"),
        ("Who was OpenAI's interim CEO when Altman was fired?", "Als Altman entlassen wurde, führte Mira Murati OpenAI als CEO.", ""),
        # a word in quotation marks is a term, not a person; the sentence before names someone, but this one refers to nobody
        ("Who was OpenAI's interim CEO when Altman was fired?", "Zwischen OpenAI und Microsoft schien es lange zu passen. "
         "Sam Altman, CEO von OpenAI, sprach sogar öffentlich von einer „Bromance“.", "kind:person"),
        # a word labelling a number is nobody («Code 5820»); a name before a number still is one ("Jean 3e étage")
        ("Who has a spare key to our flat?", "Schlüssel im Schlüsseltresor neben der Haustür, Code 5820.", "kind:person"),
        ("Who has a spare key to our flat?", "Mme Aubertin (3e gauche) a un double de nos clés.", ""),
    ],
)
def test_a_who_question_needs_someone_it_does_not_name_itself(question, text, missing):
    assessment = _assess(question, text)
    assert assessment.missing == missing
    assert (assessment.answerability == 0.0) is bool(missing)


def test_a_word_labelling_a_number_is_no_person(monkeypatch):
    from rag.answer import asked as asked_mod
    from rag.answer.quantities import labels_a_number

    assert labels_a_number("Code", "neben der Haustür, Code 5820.") and labels_a_number("room", "in room 12")
    assert not labels_a_number("Mme Aubertin", "Mme Aubertin 3e gauche") and not labels_a_number("Code", "Code de la porte : 47B19")
    assert not labels_a_number("Edison", "obwohl Edison 1915 eine von 38 möglichen Nominierungen erhielt")  # a year: a name
    q = asked.Question.of("Who has a spare key to our flat?")
    assert q.candidates("Schlüssel im Schlüsseltresor neben der Haustür, Code 5820.", "de") == []
    monkeypatch.setattr(asked_mod, "LABELS_NO_PERSON", False)
    assert q.candidates("Schlüssel im Schlüsseltresor neben der Haustür, Code 5820.", "de") == ["Code"]


@pytest.mark.parametrize("separator,missing", [(" ", ""), ("\n", "kind:person")])
def test_a_pronoun_answers_who_when_its_line_names_the_person_before_it(separator, missing):
    """The quote "He also describes …" answers with the name its line gives before it; a note's line above is another record."""
    from rag import chunk
    from rag.answer.evidence import Evidence
    from rag.answer.judge import assess

    text = "Живя в X веке, Аль-Муваффак написал книгу о лекарствах." + separator + "Он описывает также дистиллирование морской воды."
    passage = _passage(text)
    (s1, e1), (s2, e2) = chunk.sentences(text)
    items = [Evidence(n=1, passage=passage, start=s2, end=e2, score=0.9), Evidence(n=1, passage=passage, start=s1, end=e1, score=0.7)]
    assessment = assess("Who wrote about the distillation of drinking water from sea water?", "en", [passage], items)
    assert assessment.judged[0].item.start == s2  # the pronoun's sentence is quoted first
    assert assessment.missing == missing


def test_the_amount_must_be_among_the_sentences_closest_to_the_question():
    """The kind rule reads the sentences best by evidence, not by the selection score (which prefers a sentence
    with an amount and would always find one): an amount five sentences down does not answer."""
    from rag.answer.evidence import Evidence
    from rag.answer.judge import KIND_REACH, assess

    filler = [f"Microsoft und OpenAI arbeiten seit Jahren im Bereich {w} eng zusammen." for w in ("Cloud", "Modelle", "Chips", "Forschung")]
    text = " ".join(filler + ["Der Umsatz von Salesforce lag bei 35 Milliarden Dollar."])
    passage = _passage(text)
    from rag import chunk

    spans = chunk.sentences(text)
    assert len(spans) == KIND_REACH + 1

    def refused(amount_score: float) -> bool:
        items = [Evidence(n=1, passage=passage, start=s, end=e, score=0.86 - 0.001 * i) for i, (s, e) in enumerate(spans[:-1])]
        items.append(Evidence(n=1, passage=passage, start=spans[-1][0], end=spans[-1][1], score=amount_score))
        return assess("How much did Microsoft invest in OpenAI?", "en", [passage], sorted(items, key=lambda it: -it.score)).missing == "kind:amount"

    assert refused(0.80) and not refused(0.87)


def test_an_option_question_quotes_only_the_named_tools_passages():
    from rag.answer import judge
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import pick

    cp = Passage(passage_id="cp.txt#0-60", source="cp.txt", score=0.84, text="--sparse=WHEN   control creation of sparse files", language="en", on_subject=True)
    tar = Passage(passage_id="tar.txt#0-60", source="tar.txt", score=0.86, text="-S, --sparse   handle sparse files efficiently", language="en")

    class Vectors:
        def __call__(self, texts, ids=None):
            import numpy as np

            return np.eye(len(texts), 4, dtype=np.float32)

    def sources(question):
        q = judge.Question.of(question)
        items = [Evidence(n=i, passage=p, start=0, end=len(p.text), score=p.score) for i, p in enumerate((tar, cp), 1)]
        return {j.item.passage.source for j in pick(judge.judge(q, items), Vectors(), kind=q.kind)}

    assert sources("Which option of cp controls sparse files?") == {"cp.txt"}
    assert "tar.txt" in sources("How are sparse files handled?")  # no named tool's option asked: the best passage is quoted


def test_another_tools_option_item_yields_to_the_asked_tools(monkeypatch):
    """A how-to question naming mkdir, whose manual was retrieved (on subject): mv's item, closer in cosine, comes after
    mkdir's; with no passage on subject, or the drop off, cosine decides."""
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    mv = Passage(passage_id="mv.it.txt#0-80", source="mv.it.txt", score=0.85, text="-t, --target-directory=DIRECTORY  move all SOURCE arguments into DIRECTORY", language="en")
    mkdir = Passage(passage_id="mkdir.fr.txt#0-80", source="mkdir.fr.txt", score=0.85, text="-p, --parents     créer les répertoires parents nécessaires", language="fr", on_subject=True)
    q = judge.Question.of("How do I get mkdir to create a whole nested path like a/b/c in one go?")

    def first(*passages):
        items = [Evidence(n=i, passage=p, start=0, end=len(p.text), score=s) for i, (p, s) in enumerate(zip(passages, (0.86, 0.845)), 1)]
        return judge.judge(q, items)[0].item.passage.source

    assert first(mv, mkdir) == "mkdir.fr.txt"
    monkeypatch.setattr(howto, "OFF_SUBJECT_DROP", 0.0)
    assert first(mv, mkdir) == "mv.it.txt"


def test_an_option_the_question_gives_is_not_its_answer(monkeypatch):
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    text = "-r, -R, --recursive   remove directories and their contents recursively\n--one-file-system  when removing a hierarchy recursively, skip any directory that is on a file system different from that of the argument"
    p = Passage(passage_id="rm.es.txt#0-200", source="rm.es.txt", score=0.85, text=text, language="en", on_subject=True)
    cut = text.index("\n")
    items = [Evidence(n=1, passage=p, start=0, end=cut, score=0.90), Evidence(n=1, passage=p, start=cut + 1, end=len(text), score=0.84)]
    q = judge.Question.of("How do I keep rm -r from descending into directories mounted from other file systems?")
    assert judge.judge(q, items)[0].item.text.startswith("--one-file-system")
    monkeypatch.setattr(howto, "GIVEN_OPTION_DROP", 0.0)
    assert judge.judge(q, items)[0].item.text.startswith("-r, -R")


def test_an_option_question_quotes_the_option_item_before_prose_that_mentions_an_option(monkeypatch):
    """A German manual with an English note: "… except for the -l option …" sits nearer to an English question
    than the German item that documents the asked option; the item goes first."""
    from rag.answer import judge
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import pick

    note = "The chage command is restricted to the root user, except for the -l option, which may be used by any user."
    item = "-E, --expiredate EXPIRE_DATE\nSetzt das Datum, ab dem auf das Benutzerkonto nicht mehr zugegriffen werden kann."
    text = note + "\n" + item
    p = Passage(passage_id="chage.1#0-300", source="chage.de.1", score=0.84, text=text, language="de", on_subject=True)

    class Vectors:
        def __call__(self, texts, ids=None):
            import numpy as np

            return np.eye(len(texts), 4, dtype=np.float32)

    q = judge.Question.of("Which option of chage sets the account expiration date?")
    items = [Evidence(n=1, passage=p, start=0, end=len(note), score=0.86), Evidence(n=1, passage=p, start=len(note) + 1, end=len(text), score=0.84)]
    assert judge.judge(q, items)[0].item.text.startswith("-E, --expiredate")  # "expiration" names --expiredate: lifted
    monkeypatch.setattr(howto, "OPTION_NAME_LIFT", 0.0)
    assert judge.judge(q, items)[0].item.text.startswith("-E, --expiredate")  # "The chage command is …" says what chage is
    monkeypatch.setattr(howto, "NAME_LINE_DROP", 0.0)
    judged = judge.judge(q, items)
    assert judged[0].item.text.startswith("The")  # without that lift, the selection model alone prefers the English note
    assert pick(judged, Vectors(), kind=q.kind)[0].item.text.startswith("-E, --expiredate")
    assert pick(judged, Vectors(), kind="other")[0].item.text.startswith("The")  # other questions: selection order


@pytest.mark.parametrize(
    "question,sentence,lead",
    [
        ("Wann hat OpenAI ChatGPT veröffentlicht?", "Microsoft investierte im Jahr 2019 in OpenAI – Jahre bevor OpenAI Ende 2022 ChatGPT veröffentlichte.", "2022"),
        ("When did Microsoft invest in OpenAI?", "Microsoft investierte im Jahr 2019 in OpenAI – Jahre bevor OpenAI Ende 2022 ChatGPT veröffentlichte.", "2019"),
        ("Сколько пользователей у ChatGPT?", "Microsoft investierte 1 Milliarde Dollar, und ChatGPT hat 500 Millionen Nutzer.", "500 Millionen Nutzer"),
    ],
)
def test_the_lead_is_the_span_nearest_the_questions_words(question, sentence, lead):
    assert asked.Question.of(question).lead(sentence, "de") == lead


def test_the_selection_prefers_a_figure_for_the_asked_year_and_evens_out_language_pairs():
    """An amount question with a year: a sentence naming only another year loses OTHER_YEAR_DROP in the selection; a
    sentence whose passage carries a language-pair offset loses that offset."""
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    q = judge.Question.of("How much had Microsoft invested in OpenAI by November 2023?")
    text = "Microsoft investierte 2019 eine Milliarde Dollar in OpenAI. Zu dieser Zeit hatte Microsoft bereits 13 Milliarden Dollar investiert."
    p = Passage(passage_id="a#0", source="a.txt", score=0.85, text=text, language="de")
    cut = text.index("Zu")
    items = [Evidence(n=1, passage=p, start=0, end=cut - 1, score=0.86), Evidence(n=1, passage=p, start=cut, end=len(text), score=0.86)]
    lifts = {j.item.text[:5]: j.lift for j in judge.judge(q, items)}
    assert lifts == pytest.approx({"Micro": -judge.OTHER_YEAR_DROP, "Zu di": 0.0})
    p.pair_shift = 0.02
    assert all(j.lift <= -0.02 for j in judge.judge(q, items))


@pytest.mark.parametrize("answerability,evidence,word", [(0.9, 0.95, "high"), (0.6, 0.95, "medium"), (0.3, 0.95, "low"), (0.9, 0.80, "low")])
def test_the_confidence_word_is_low_wherever_the_reply_hedges(answerability, evidence, word):
    """Evidence within WEAK_EVIDENCE_MARGIN of min_evidence makes the extractive reply say the documents may not answer
    directly; the confidence word must not say "high" under that line."""
    from rag.answer import confidence, prompts

    assert confidence(answerability, evidence, 0.78 + prompts.WEAK_EVIDENCE_MARGIN) == word


def test_a_quote_sharing_no_word_with_the_question_is_never_high_confidence():
    from rag.answer import confidence

    assert confidence(0.9, 0.95, 0.8, shares_words=False) == "medium" and confidence(0.9, 0.95, 0.8, shares_words=True) == "high"
    assert _assess("Wie installiere ich ein Paket?", 'Mittels "ps --pid 1 -f" prüfen Sie den init-Befehl.').shares_words is False
    assert _assess("Which command shows the pid of init?", 'Mittels "ps --pid 1 -f" prüfen Sie den init-Befehl.').shares_words is True
    assert _assess("Wie viel hat Microsoft investiert?", "Microsoft investierte 13 Milliarden.").shares_words is True


@pytest.mark.parametrize("answerability,hedged", [(0.3, True), (0.9, False)])
def test_a_low_confidence_answer_says_the_documents_may_not_answer(answerability, hedged):
    from rag.answer import prompts
    from rag.answer.evidence import SentenceVectors
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.embed import get_embedder
    from rag.settings import Settings

    assessment = _assess("Wie viel hat Microsoft investiert?", "Microsoft investierte 13 Milliarden Dollar in OpenAI. Das war 2023.", score=0.95)
    assessment.answerability = answerability
    reply = ExtractiveAnswerer(SentenceVectors(get_embedder("hash:64", Settings())), min_evidence=0.78).answer(assessment)
    assert reply.text.startswith(prompts.WEAK_EVIDENCE_INTRO["en"]) is hedged and "13 Milliarden" in reply.text
    assert reply.lead == ("" if hedged else "13 Milliarden Dollar")  # a hedged reply does not lead with a short answer


@pytest.mark.parametrize(
    "question,names",
    [
        ("How do I change the screen resolution with xrandr?", ["xrandr"]), ("How do I configure a WireGuard VPN tunnel?", ["WireGuard", "VPN"]),
        ("Как подключить Bluetooth-клавиатуру с помощью bluetoothctl?", ["Bluetooth", "bluetoothctl"]),
        ("¿Cómo configuro wpa_supplicant para una red WPA2?", ["wpa_supplicant", "WPA2"]),
        ("Wie richte ich postfix mit SASL-Authentifizierung beim Smarthost ein?", ["SASL"]),  # German nouns are capitalised: not names
        ("Who was a French Roman Catholic of the 15th century?", []),  # ordinals and capitalised words translate
        ("Anyone with physical access could boot my PC. How do I protect against that?", []),
        ("Who oversees a Pharmacy Technician in the UK?", []),  # two-letter acronyms translate (UK, EU)
        # a tool the question names as one: its option, its command, "which X option"
        ("Which option of rsync deletes extraneous files?", ["rsync"]), ("Quale opzione di cp conserva i permessi?", ["cp"]),
        ("Quelle option de la commande tar extrait une archive ?", ["tar"]), ("Which ffmpeg option sets the bitrate?", ["ffmpeg"]),
        ("How do I use the tar command to extract an archive?", ["tar"]), ("Welche ffmpeg-Option setzt die Bitrate?", ["ffmpeg"]),
        ("What is the option for the printer?", []),  # "for" a purpose: a word the documents may translate
        # the last word after an article: a word of the article's language is no tool ("dentista"), a foreign term is ("bonding")
        ("¿A qué hora es la cita con el dentista?", []), ("When is my appointment with the dentist?", []),
        ("Comment agréger deux cartes réseau avec le bonding ?", ["bonding"]),
        ("Which command-line option sets the seed?", []), ("What are the options of the command?", []),
        ("Which dircolors option prints the shell code?", ["dircolors"]),  # a tool ending in "s", named as one
    ],
)
def test_names_that_no_translation_changes(question, names):
    assert asked.identifiers(question) == names


@pytest.mark.parametrize(
    "question,sentence,lead",
    [
        ("Which option keeps blank lines?", "-k, --keep-blank\n\t      keep  blank lines in place", "-k, --keep-blank"),
        ("Welche Option setzt den Startwert?", "-s SEED, --seed=SEED\n  use SEED to initialise the generator", "-s SEED, --seed=SEED"),
        ("Quelle option affiche la version ?", "Use --version to print the version and -h for help.", "--version"),
        ("Какой ключ показывает цвета?", "--color[=WHEN]         color the output WHEN", "--color[=WHEN]"),
        ("Which option does --all replace?", "-A, --almost-all  do not list implied . and ..; see --all", "-A, --almost-all"),
    ],
)
def test_an_option_question_leads_with_the_option(question, sentence, lead):
    q = asked.Question.of(question)
    assert q.kind == "option" and q.lead(sentence) == lead
    assert q.candidates("Usage: cp [OPTION]... [-T] SOURCE DEST") == []  # a synopsis names options, it answers nothing
    assert q.candidates("grep [OPTION...] -f PATTERN_FILE ... [FILE...]") == [] and q.candidates("Aufruf: sort [OPTION]... -o DATEI") == []
    assert q.candidates("oder: sort [OPTION]... --files0-from=DL") == [] and q.candidates("ou : ls [OPTION]... -x") == []  # the usage's further lines
    assert q.candidates("$ grep -n -- 'f.*\\.c$' *g*.h /dev/null") == []
    assert q.candidates("Passing the number -1 as the EXPIRE_DATE removes it.") == [] and q.candidates("Send kill -9 -1 to stop them all") == ["-9", "-1"]
    if "--all" in question:
        assert q.candidates("Use --all or -a.") == ["-a"]  # an option the question names is no answer




def test_a_word_after_an_opening_quote_is_the_first_word_of_its_sentence_not_a_name():
    q = asked.Question.of("Wer leitet das neue Team?")
    assert q.candidates("„Deshalb haben sie Mustafa Suleyman engagiert.", "de") == ["Mustafa Suleyman"]
    assert asked.Question.of("Who leads the team?").candidates("“Therefore they hired Mustafa Suleyman,” he said.", "en") == ["Mustafa Suleyman"]

def test_an_option_item_named_by_a_word_of_the_question_is_lifted():
    from rag.answer import judge, options

    assert options.long_names("-k, --keep-blank\n\t      keep  blank lines in place") == "keep blank"
    assert options.long_names("Use --version to print the version.") == ""  # prose, no item
    raw = asked.Question.of("Which prtstat option prints raw information?")
    assert howto.names_asked_word(raw, "-r, --raw       Вывести информацию в необработанном виде.")
    assert not howto.names_asked_word(raw, "-V, --version       Вывести информацию о версии prtstat.")
    versions = asked.Question.of("Какой ключ sort сортирует номера версий внутри текста?")  # версий ~ version, across scripts
    assert howto.names_asked_word(versions, "-V, --version-sort          natürliche Ordnung von Versionsnummern")
    assert not howto.names_asked_word(asked.Question.of("Which sort option sorts numerically?"), "--sort=WORT   nach Kriterium WORT sortieren")  # the tool's own name
    # another tool the question names may name an option: tar's "-z, --gzip" for "… with gzip", not its "-Z, --compress"
    gzip = asked.Question.of("Which tar option compresses the archive with gzip?")
    item = "-z, --gzip, --gunzip, --ungzip\n      Filter the archive through gzip(1)."
    assert howto.names_asked_word(gzip, item)
    monkey = pytest.MonkeyPatch()
    monkey.setattr(howto, "OTHER_TOOL_NAMES", False)
    try:
        assert not howto.names_asked_word(gzip, item)
    finally:
        monkey.undo()


def test_the_option_item_retrieval_found_closest_to_what_is_asked_is_lifted():
    """Fusion scores each option item of the asked tool's manual against what the question asks the option to do
    (``Passage.asked_items``); the quote selection lifts the best of them by ASKED_ITEM_LIFT, and only when it scored
    above the items' mean."""
    from rag.answer.evidence import Evidence

    text = "-b, --ignore-space-change\n      ignore changes in the amount of white space\n\n-w, --ignore-all-space\n      ignore all white space"
    w = text.index("-w")
    p = Passage(passage_id="diff#0", source="diff.1.gz", score=0.8, text=text, language="en", on_subject=True, asked_items={0: 0.4, w: 1.7})
    items = [Evidence(n=1, passage=p, start=0, end=w - 2, score=0.8), Evidence(n=1, passage=p, start=w, end=len(text), score=0.8)]
    question = asked.Question.of("Which option of diff ignores whitespace?")
    rules = howto.HowRules.of(question, items)
    assert rules.asked == ("diff#0", w)
    assert round(rules.lift(items[1]) - rules.lift(items[0]), 6) == howto.ASKED_ITEM_LIFT
    p.asked_items = {0: -0.4, w: -0.2}  # none above the mean: no lift
    assert howto.HowRules.of(question, items).asked is None


def test_a_name_the_documents_never_mention_is_not_answered_and_the_answer_says_so(tmp_path):
    (tmp_path / "net.md").write_text(
        "# Netzwerk\n\nMit systemd-networkd konfiguriert man eine statische IP-Adresse in /etc/systemd/network/. "
        "Die Datei braucht die Abschnitte [Match] und [Network].\n", encoding="utf-8"
    )
    pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home", min_evidence=0.0, **FAST)
    answer = pipe.ask("How do I configure a WireGuard VPN tunnel?")
    assert answer.abstained and answer.abstain_reason == "not in the documents: WireGuard, VPN"
    assert answer.answer.endswith("They never mention WireGuard, VPN.") and answer.to_dict()["abstain_reason"] == answer.abstain_reason
    german = pipe.ask("Wie konfiguriere ich eine statische Adresse mit systemd-networkd?")
    assert "not in the documents" not in german.abstain_reason  # the name is there (the hash embedder's scores decide the rest)


@pytest.mark.parametrize("text", ["hi there", "Thanks!", "merci beaucoup !", "¡Hola!", "Wie geht es dir?", "спасибо", "Grazie mille"])
def test_a_greeting_is_no_question(text):
    assert kinds.phatic(text)


@pytest.mark.parametrize("text", ["Hi, who leads Microsoft AI?", "Hello world program in C?", "Thanks to whom did OpenAI survive?", "ok"])
def test_a_question_after_a_greeting_is_one(text):
    assert not kinds.phatic(text)


def test_a_greeting_is_answered_with_what_to_ask_not_with_quotes(tmp_path):
    (tmp_path / "net.md").write_text("# Netzwerk\n\nHallo! Mit systemd-networkd konfiguriert man eine statische IP-Adresse.\n", encoding="utf-8")
    pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home", min_evidence=0.0, **FAST)
    answer = pipe.ask("hi there")
    assert answer.abstained and not answer.citations and answer.abstain_reason == "a greeting, not a question"
    assert answer.answer.endswith("ask what you want to know from the documents.")
    assert not pipe.ask("Hi, how do I configure a static address with systemd-networkd?").abstain_reason == "a greeting, not a question"


def test_a_name_elsewhere_in_the_corpus_is_not_called_missing(tmp_path):
    (tmp_path / "net.md").write_text("# Netzwerk\n\nMit systemd-networkd konfiguriert man eine statische IP-Adresse.\n", encoding="utf-8")
    (tmp_path / "vpn.md").write_text("# VPN\n\nWireGuard baut einen VPN-Tunnel mit wg-quick auf; die Datei heißt wg0.conf.\n", encoding="utf-8")
    pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home", min_evidence=0.0, k=1, **FAST)
    question = "Wie konfiguriere ich mit systemd-networkd eine statische IP-Adresse für WireGuard?"
    answer = pipe.ask(question)
    assert [p.source for p in answer.passages] == ["net.md"]  # the one passage retrieved does not name WireGuard …
    assert "not in the documents" not in answer.abstain_reason  # … but another document does: no "They never mention …"
    pipe._mentioned = lambda names: set()  # with the corpus-wide search taken away, the passages alone would say "missing"
    assert pipe.ask(question).abstain_reason == "not in the documents: WireGuard"
    manifest = pipe._view.manifest
    # "_" and "%" are literal (unescaped, LIKE would let "wg_quick" and "wg%" match "wg-quick")
    assert manifest.mentions(["wireguard", "WG0.CONF", "wg_quick", "wg%", "Btrfs"]) == {"wireguard", "WG0.CONF"}
    assert manifest.mentions(["wgquick", "WG-Quick", "wg-quic-k", "wg quick"]) == {"wgquick", "WG-Quick", "wg-quic-k"}  # hyphens aside, not spaces



@pytest.mark.parametrize(
    "word,language,ordinary",
    [
        ("incoming", "en", True), ("aktiviere", "de", True), ("numériquement", "fr", True), ("configuro", "it", True),
        ("Netzwerkkonfiguration", "de", True), ("Sicherheitsupdate", "de", True),  # German compounds, with a joining s
        ("autenticazione", "it", True), ("publiquement", "fr", True),  # derived forms the dictionary leaves out
        ("hexdump", "en", True), ("bitrate", "en", True),  # English compounds a translation spells out
        ("Nginx", "de", False), ("dnsmasq", "it", False), ("Kubernetes", "es", False), ("Dovecot", "fr", False),
        ("systemctl", "en", False), ("journalctl", "de", False),  # system|ctl: a word and no ending
        ("conifgure", "en", True), ("installiren", "de", True),  # misspelt words: one letter from a known one
        ("chrony", "de", False),  # too short to call misspelt ("crony")
        ("plusieurs", "fr", True), ("toujours", "fr", True), ("finora", "it", True),  # words that never inflect: frequency lists
        ("wird", "en", True), ("ohne", "en", True),  # a German question detected as English: the other languages' lists
        ("ricontrollare", "it", True),  # a prefixed word (ri|controllare)
        ("brightnessctl", "de", False), ("fdupes", "it", False),
        ("wi-fi", "en", True), ("read-only", "en", True), ("lm-sensors", "es", False), ("yt-dlp", "ru", False),  # hyphenated
    ],
)
def test_a_dictionary_tells_ordinary_words_from_names(word, language, ordinary):
    from rag.answer.lexicon import ordinary as is_ordinary

    assert is_ordinary(word, language) is ordinary


def test_an_acronym_of_the_questions_language_is_a_word_not_a_name():
    from rag.answer.lexicon import local_acronym, parts_found

    assert local_acronym("WLAN", "de") and local_acronym("KI", "de")  # "Wi-Fi", "AI" in an English document
    assert not local_acronym("ZFS", "de") and not local_acronym("DHCP", "it") and not local_acronym("WLAN", "en")
    assert parts_found("little-endian", "--endian={big|little}  swap input bytes", "it")  # "endian": no word, but written there
    assert not parts_found("lm-sensors", "sensors and temperatures", "es")


@pytest.mark.parametrize(
    "question,unfamiliar",
    [
        ("Wie richte ich Nginx als Reverse-Proxy ein?", ("richte", "Nginx", "als", "Reverse", "Proxy")),  # "Wie": the first word
        ("Come configuro dnsmasq come server DHCP locale?", ("configuro", "dnsmasq", "server", "locale")),  # DHCP: an identifier
        ("Comment changer le thème de démarrage de Plymouth ?", ("changer", "Plymouth")),  # "thème": not ASCII, no name
        ("How do I take a Btrfs subvolume snapshot?", ("take", "Btrfs", "subvolume", "snapshot")),
        ("Wer leitet das Team von Nadella?", ()),  # not a how-to or option question: names there translate
        ("How do I make split add .csv to the names of the pieces?", ("make", "split", "add", "names", "pieces")),  # .csv: an extension
    ],
)
def test_a_how_to_question_offers_its_name_shaped_words(question, unfamiliar):
    assert asked.Question.of(question).unfamiliar == unfamiliar


def test_a_tool_no_document_mentions_is_not_answered_but_an_ordinary_word_missing_is(tmp_path):
    (tmp_path / "web.md").write_text(
        "# Webserver\n\nApache wird mit a2ensite und a2enmod eingerichtet; die Konfiguration liegt in /etc/apache2/. "
        "Ein Reverse-Proxy braucht das Modul proxy_http.\n", encoding="utf-8"
    )
    pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home", min_evidence=0.0, **FAST)
    nginx = pipe.ask("Wie richte ich Nginx als Reverse-Proxy ein?")
    assert nginx.abstained and nginx.abstain_reason == "not in the documents: Nginx" and nginx.answer.endswith("Sie erwähnen Nginx nirgends.")
    apache = pipe.ask("How do I enable a site in Apache as a reverse proxy?")  # enable, site, reverse, proxy: English words the German text lacks
    assert "not in the documents" not in apache.abstain_reason


def test_numbers_compare_by_value_across_languages():
    assert signals.numbers("13 Milliarden Dollar") == signals.numbers("$13 billion") == signals.numbers("13 млрд долларов") == {1.3e10}
    assert signals.numbers("fünf Milliarden") == {5e9} != signals.numbers("five million")
    assert signals.numbers("6,6 Milliarden") == signals.numbers("6.6 billion")
    assert signals.numbers("one of the largest", words=False) == set()


def test_the_words_of_several_texts_are_the_words_of_the_texts_joined():
    texts = ["Мустафа Сулейман возглавил Microsoft AI.", "Nadella investierte 13 Milliarden.", "Le PDG de Salesforce."]
    assert signals.Vocabulary.union([signals.Vocabulary.of(x) for x in texts]) == signals.Vocabulary.of("\n".join(texts))


def test_names_match_across_scripts():
    vocab = signals.Vocabulary.of("Мустафа Сулейман возглавил Microsoft AI в Майкрософт")
    assert vocab.has(signals.Term(text="Suleyman", entity=True)) and vocab.has(signals.Term(text="Microsoft", entity=True))
    assert not vocab.has(signals.Term(text="Nadella", entity=True))


def _passage(text: str, pid: str = "a.txt#0-100") -> Passage:
    return Passage(passage_id=pid, source=pid.split("#")[0], score=0.9, text=text, language="de")


def test_a_sentence_opening_name_with_an_inner_capital_must_stand_with_the_number():
    """"SoftBank invested $500 billion in Stargate" from a passage where the $500 billion is Stargate's and SoftBank
    only anchors it in the next sentence: the claim is not stated together, whatever word opens the sentence."""
    passage = [_passage("Altman ha annunciato un potenziale investimento di $ 500 miliardi in Stargate. L'investimento, ancorato da Softbank e Oracle, sottolinea la divergenza.")]
    question = "Quanto ha investito SoftBank nel progetto Stargate?"
    assert unsupported_claims("SoftBank ha investito $ 500 miliardi nel progetto Stargate.", question, passage)
    assert unsupported_claims("Altman ha annunciato un investimento di $ 500 miliardi in Stargate.", question, passage) == []


def test_claims_are_checked_by_number_and_name():
    german = [_passage("OpenAI erwartet einen Verlust von rund fünf Milliarden Dollar für das Jahr 2024. Mustafa Suleyman leitet das Team.")]
    assert unsupported_claims("OpenAI expects a loss of about five billion dollars in 2024.", "How large is the loss?", german) == []
    assert unsupported_claims("OpenAI expects a loss of five million dollars.", "How large is the loss?", german) == ["5e+06"]
    assert unsupported_claims("OpenAI was founded in 2015.", "When was OpenAI founded?", german) == ["2015"]
    assert unsupported_claims("Suleyman leads the team.", "Who leads the team?", german) == []
    assert unsupported_claims("The team is led by Demis Hassabis.", "Who leads the team?", german) == ["Demis", "Hassabis"]
    assert unsupported_claims("The loss in 2024 is large.", "What loss does OpenAI expect in 2024?", german) == []


def test_a_claimed_number_must_stand_with_its_names_in_one_place():
    news = [_passage(
        "Microsoft arbeitet an einem eigenen Modell namens MAI-1. Das Team ist klein. Es gab Streit mit OpenAI. "
        "Anfang 2024 stellte Nadella Mustafa Suleyman ein. Microsoft investierte 2019 eine Milliarde Dollar in OpenAI."
    )]
    assert unsupported_claims("Microsoft released MAI-1 in early 2024.", "When did Microsoft release MAI-1?", news)[0].startswith("not stated together")
    assert unsupported_claims("Microsoft invested $1 billion in OpenAI in 2019.", "How much did Microsoft invest in OpenAI in 2019?", news) == []


NEWS = (
    "OpenAI erwartet für das Jahr 2024 einen Verlust von rund fünf Milliarden Dollar. "
    "Das Unternehmen sucht deshalb neue Investoren.\n\n"
    "Melden Sie sich hier für unseren Newsletter an, um ihn jeden Mittwoch zu erhalten.\n"
)
# the fake-LLM tests use the hash embedder, which matches words, not meanings: their source is in English
LOSS_EN = "OpenAI expects a loss of about five billion dollars in 2024. The company looks for new investors.\n"


@pytest.fixture
def news(tmp_path):
    root = tmp_path / "news"
    root.mkdir()
    (root / "loss.txt").write_text(NEWS, encoding="utf-8")
    (root / "other.txt").write_text("The cat sat on the mat. It was a sunny day in Paris.\n", encoding="utf-8")
    (root / "loss-en.txt").write_text(LOSS_EN, encoding="utf-8")
    return root


def _ask_llm(news, reply: str):
    llm = FakeLLM(replies=[reply])
    return Pipeline(corpus=news, llm=llm, min_evidence=0.0, min_answerable=0.0, **FAST).ask("How large a loss does OpenAI expect in 2024?", k=3)


def test_an_invented_number_in_the_main_claim_withholds_the_draft(news):
    answer = _ask_llm(news, "OpenAI expects a loss of five million dollars in 2024 [1].")
    assert answer.abstained and answer.citations == []
    assert any("five million" in w or "5e+06" in w for w in answer.warnings), answer.warnings


def test_an_unsupported_draft_gives_way_to_the_quotes_when_the_evidence_answers(news, monkeypatch):
    """A withheld draft is replaced by the extractive quotes, said as a fallback, when the evidence answers with at least
    medium confidence; with low confidence the reply still says the documents do not answer."""
    from rag.answer import judge

    monkeypatch.setattr(judge, "answerability", lambda question, judged: 0.9)
    answer = _ask_llm(news, "OpenAI expects a loss of five million dollars in 2024 [1].")
    assert not answer.abstained and answer.fallback == "the model's answer was not supported by the passages"
    assert answer.citations and "five million" not in answer.answer and answer.llm.startswith("extractive (fallback from")
    assert any("five million" in w for w in answer.warnings) and answer.to_dict()["fallback"]
    monkeypatch.setattr(judge, "answerability", lambda question, judged: 0.2)
    answer = _ask_llm(news, "OpenAI expects a loss of five million dollars in 2024 [1].")
    assert answer.abstained and answer.citations == [] and not answer.fallback


def test_an_llm_answer_naming_a_person_the_evidence_ranks_far_below_gives_way(tmp_path):
    """A person question whose draft cites only a sentence judged far below the best one, and does not name the best one's
    person, gives way to the extractive quotes (said as a fallback); a draft naming that person stands; without a fallback
    the draft stays, with a warning."""
    root = tmp_path / "groups"
    root.mkdir()
    (root / "group.txt").write_text("Microsoft announced a new AI group led by Jay Parikh that will build AI agents and apps.\n", encoding="utf-8")
    (root / "team.txt").write_text("Mustafa Suleyman, the co-founder of Inflection AI, now leads a new team at Microsoft.\n", encoding="utf-8")
    question = "Who leads the new AI group at Microsoft that will build agents and apps?"
    options = {"min_evidence": 0.0, "min_answerable": 0.0, **FAST}
    team = [p.source for p in Pipeline(corpus=root, **options).retrieve(question, 2)].index("team.txt") + 1
    other = f"Mustafa Suleyman, the co-founder of Inflection AI, now leads the new team at Microsoft [{team}]."
    answer = Pipeline(corpus=root, llm=FakeLLM(replies=[other]), **options).ask(question, k=2)
    assert answer.fallback == "the model named another person than the best evidence gives"
    assert [c.source for c in answer.citations] == ["group.txt"] and "Suleyman" not in answer.answer
    assert any("Mustafa Suleyman" in w for w in answer.warnings)
    right = f"Microsoft announced a new AI group led by Jay Parikh that will build AI agents and apps [{3 - team}]."
    answer = Pipeline(corpus=root, llm=FakeLLM(replies=[right]), **options).ask(question, k=2)
    assert not answer.fallback and "Jay Parikh" in answer.answer
    answer = Pipeline(corpus=root, llm=FakeLLM(replies=[other]), llm_fallback=False, **options).ask(question, k=2)
    assert not answer.fallback and "Suleyman" in answer.answer
    assert "the model named another person than the best evidence gives" in answer.warnings


def test_a_supported_claim_stands_and_an_invented_one_is_dropped(news):
    answer = _ask_llm(news, "OpenAI expects a loss of about five billion dollars in 2024 [1]. It was founded in 2015 [1].")
    assert not answer.abstained
    assert "five billion" in answer.answer and "2015" not in answer.answer
    assert any("2015" in w for w in answer.warnings)
    assert answer.citations and answer.citations[0].source == "loss-en.txt"


@pytest.mark.parametrize(
    "sentence,boilerplate",
    [("Melden Sie sich hier an, um es jeden Mittwoch in Ihrem Posteingang zu erhalten.", True), ("Inscrivez-vous ici pour la recevoir.", True),
     ("Subscribe to our newsletter!", True), ("Подпишитесь на наш канал.", True), ("Iscriviti alla newsletter.", True),
     ("-s, --summarize         nur Summe für jedes Argument anzeigen", False), ("Гренландия подписала договор в 1985 году.", False),
     ("--no-cookies                  Non usa i cookie", False), ("- Melden Sie sich am Benutzerkonto neu an.", False),
     ("It also began to use behavioral data to sell advertising slots.", False), ("В 2000 году ABC запустила рекламную веб-кампанию.", False),
     # a help text's link lines are boilerplate; a sentence that gives an address among its words is not
     ("Página inicial de GNU grep: <https://www.gnu.org/software/grep/>\nAyuda general sobre el uso de software de GNU: <https://www.gnu.org/gethelp/>", True),
     ("Full documentation <https://www.gnu.org/software/coreutils/ls>", True),
     ("See <https://www.gnu.org/software/coreutils/ls> for the full list of options ls accepts.", False),
     ("Der Spiegelserver ist unter https://deb.debian.org/debian zu erreichen.", False)],
)
def test_a_call_to_action_is_boilerplate_a_word_of_one_is_not(sentence, boilerplate):
    assert signals.is_boilerplate(sentence) is boilerplate


def test_boilerplate_is_never_quoted(news):
    answer = Pipeline(corpus=news, min_evidence=0.0, min_answerable=0.0, **FAST).ask("Newsletter Mittwoch: how do I sign up?", k=2)
    assert all("Newsletter" not in c.quote for c in answer.citations), answer.citations


def test_extractive_answer_leads_with_the_amount_and_locates_the_quote(news):
    answer = Pipeline(corpus=news, min_evidence=0.0, min_answerable=0.0, **FAST).ask("Wie hoch ist der Verlust, den OpenAI für 2024 erwartet?", k=2)
    first = answer.citations[0]
    assert first.source == "loss.txt" and first.locator.line == 1 and first.location == "loss.txt:1"
    # hash vectors make every answer a hedged one ("low"), which leads with no short answer; the amount is still the lead's pick
    assert answer.confidence == "low" and answer.lead == ""
    q = asked.Question.of(answer.question)
    assert q.lead(first.quote, "de") == "fünf Milliarden Dollar"


def test_a_missing_api_key_is_named_and_the_fallback_is_said(news, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    runner = CliRunner()
    monkeypatch.setenv("RAG_EMBEDDER", "hash:64")
    monkeypatch.setenv("RAG_RETRIEVAL", "dense")
    monkeypatch.setenv("RAG_MIN_EVIDENCE", "0")
    monkeypatch.setenv("RAG_MIN_ANSWERABLE", "0")
    args = ["Wie hoch ist der Verlust 2024?", "--corpus", str(news), "--llm", "openai:gpt-4o-mini"]
    data = json.loads(runner.invoke(ask_app, [*args, "--json"]).stdout)
    assert data["fallback"] is True and "RAG_LLM_API_KEY" in data["fallback_reason"] and "OPENAI_API_KEY" in data["fallback_reason"]
    assert data["llm"] == "extractive (fallback from openai:gpt-4o-mini)" and data["citations"]
    plain = runner.invoke(ask_app, args)
    assert "the extractive answer is shown because" in plain.stdout and "RAG_LLM_API_KEY" in plain.stdout


def test_an_empty_corpus_is_an_error_with_a_hint(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "photo.png").write_bytes(b"\x89PNG\r\n")
    runner = CliRunner()
    result = runner.invoke(app, ["index", str(empty), "--embedder", "hash:64"])
    assert result.exit_code == 1 and "warning: skipped photo.png" in result.stderr
    assert "error: no readable documents in" in result.stderr and "hint:" in result.stderr
    asked = runner.invoke(ask_app, ["anything?", "--corpus", str(empty), "--embedder", "hash:64"])
    assert asked.exit_code == 1 and "no readable documents" in asked.stderr
    with pytest.raises(CorpusError):
        Pipeline(corpus=empty, **FAST).ask("anything?")


def test_the_answerability_rule_refuses_before_any_model_is_called(news):
    llm = FakeLLM(replies=["OpenAI expects a loss of about five billion dollars in 2024 [1]."])
    strict = Pipeline(corpus=news, llm=llm, min_evidence=0.0, min_answerable=0.99, **FAST).ask("How large a loss does OpenAI expect in 2024?", k=3)
    assert strict.abstained and llm.calls == [] and strict.confidence == ""
    assert 0.0 < strict.answerability < 0.99


def test_answerability_rises_when_the_evidence_names_what_the_question_names():
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    def prob(text: str) -> float:
        p = _passage(text)
        item = Evidence(n=1, passage=p, start=0, end=len(text), score=0.86)
        q = judge.Question.of("How much did Microsoft invest in OpenAI in 2019?")
        return judge.answerability(q, judge.judge(q, [item]))

    named = prob("Microsoft hat 2019 eine Milliarde US-Dollar in OpenAI investiert.")
    unnamed = prob("Der Konzern hat damals viel Geld in das Labor gesteckt.")
    assert named > unnamed


def test_the_second_embedders_opinion_moves_the_quote():
    """Two sentences alike to the main embedder: the one mUSE finds closer to the question is quoted first;
    without a second opinion the selection reads the training mean (no effect)."""
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    p = _passage("Microsoft investierte 2019 eine Milliarde Dollar. Microsoft investierte 2023 weitere Milliarden Dollar.")
    q = judge.Question.of("How much did Microsoft invest?")

    def order(seconds):
        items = [Evidence(n=1, passage=p, start=0, end=47, score=0.85, second=seconds[0]),
                 Evidence(n=1, passage=p, start=48, end=len(p.text), score=0.85, second=seconds[1])]
        return [j.item.start for j in judge.judge(q, items)]

    assert order([0.2, 0.6])[0] == 48 and order([0.6, 0.2])[0] == 0
    mean = judge._model()["select"]["mean"]["second"]
    assert [j.second for j in judge.judge(q, [Evidence(n=1, passage=p, start=0, end=47, score=0.85)])] == [mean]


def test_the_listwise_fit_puts_the_answering_sentence_first():
    """bench/answerability.py's selection fit: a feature that marks the answer in every question wins weight."""
    import numpy as np

    from bench.answerability import fit_listwise

    rng = np.random.default_rng(0)
    groups = []
    for _ in range(40):
        x = rng.normal(size=(5, 2))
        y = np.zeros(5)
        y[rng.integers(5)] = 1
        x[:, 0] += 3 * y  # feature 0 tells the answer, feature 1 is noise
        groups.append((x, y))
    w = fit_listwise(groups)
    assert w[0] > 1.0 and abs(w[1]) < w[0] / 3
    assert np.mean([y[np.argmax(x @ w)] for x, y in groups]) > 0.8


@pytest.mark.parametrize(
    "line,heading",
    [("Microsoft heuert neues Team an", True), ("# Setup", True), ("Le démarrage du système", True),
     ("$ journalctl -b -u ssh", False), ("/etc/hostname", False), ("systemctl set-default multi-user.target", False),
     ('GRUB_CMDLINE_LINUX_DEFAULT="quiet"', False), ("The proxy is set with HTTP_PROXY.", False),
     ("# ssh -q -L 4025:remote-server:25 username@remote-server", False), ('# echo "shutdown -h now" | at now', False), ("## Installing the server", True)],
)
def test_headings_are_told_from_commands(line, heading):
    assert signals.is_heading(line) is heading


def test_a_command_is_looked_for_in_any_script_a_brand_only_in_latin_text():
    russian_manual = ["Ключ -p сохраняет права доступа, а Майкрософт здесь ни при чём."]
    assert asked.Question.of("Какой ключ rsync сохраняет права доступа?").absent(russian_manual) == ["rsync"]  # commands are never transliterated
    assert asked.Question.of("Какой ключ cp сохраняет права?").absent(["Ключ cp -p сохраняет права."]) == []
    assert asked.Question.of("Сколько Microsoft вложила в OpenAI?").absent(russian_manual) == []  # a brand may be written Майкрософт


def test_a_name_written_with_or_without_a_hyphen_is_not_absent():
    note = ['Wi-Fi "Larkspur-5G", password maple-otter-4417. Send it by e-mail.']
    assert asked.Question.of("Какой пароль от wifi?").absent(note) == []  # a Latin word in a Russian question: an identifier
    assert asked.Question.of("Какой пароль от WiFi или WLAN?").absent(note) == ["WLAN"]
    assert asked.Question.of("Как отправить его по email?").absent(note) == []
    assert asked.Question.of("Какой пароль от Wi-Fi?").absent(["wifi password maple-otter-4417"]) == []


def test_a_sentence_that_points_back_to_its_reason_holds_a_reason():
    q = asked.Question.of("Why did Microsoft hire Suleyman?")
    assert q.type_match("— Вот почему они наняли Мустафу Сулеймана.") == 1.0
    assert q.type_match("Deshalb haben sie Mustafa Suleyman engagiert.") == 1.0
    assert q.type_match("Daraufhin soll Microsoft Suleyman engagiert haben.") == 1.0  # "as a result": the reason is before
    assert q.type_match("Par conséquent, Microsoft a embauché Suleyman.") == 1.0
    assert q.type_match("Mustafa Suleyman leitet nun ein neues Team bei Microsoft.") == 0.0


def test_a_quote_that_introduces_a_command_brings_the_command_once():
    """"…, führen Sie folgendes aus:" says how, the line after the code fence is the answer: the quote runs on to it,
    and that line is not quoted a second time; a quote that introduces nothing stays as it is."""
    from rag import chunk
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import with_continuation

    text = "Um die italienische Handbuchseite zu lesen, führen Sie folgendes aus:\n```\nLANG=it_IT.UTF-8 man programmname\n```\nDas ist alles."
    p = _passage(text)
    spans = chunk.sentences(text)
    intro = Evidence(n=1, passage=p, start=spans[0][0], end=spans[0][1], score=0.85)
    assert with_continuation(intro).text.endswith("LANG=it_IT.UTF-8 man programmname")
    last = Evidence(n=1, passage=p, start=spans[-1][0], end=spans[-1][1], score=0.85)
    assert with_continuation(last).text == "Das ist alles."


def test_a_further_quote_from_another_file_must_be_closer_to_the_first():
    """A second quote from the first quote's file may trail it by QUOTE_MARGIN on the selection scale; one from another
    file only by CROSS_FILE_MARGIN (the extra quotes from other files were the ones citing files without the fact)."""
    import numpy as np

    from rag.answer import judge
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import CROSS_FILE_MARGIN, QUOTE_MARGIN, pick

    assert CROSS_FILE_MARGIN < QUOTE_MARGIN
    trail = (CROSS_FILE_MARGIN + QUOTE_MARGIN) / 2  # allowed in the same file, not from another one
    a = _passage("Microsoft investierte 13 Milliarden Dollar in OpenAI.", "a.txt#0-60")
    b = _passage("Microsoft hat OpenAI insgesamt 13 Milliarden Dollar gegeben.", "b.txt#0-60")
    a2 = _passage("Die Summe floss in mehreren Runden an OpenAI.", "a.txt#60-120")

    def chosen(second: Passage, gap: float) -> list[str]:
        q = judge.Question.of("How much did Microsoft invest in OpenAI?")
        judged = judge.judge(q, [Evidence(n=i, passage=p, start=0, end=len(p.text), score=0.85) for i, p in enumerate((a, second), 1)])
        judged[0].score, judged[1].score = 5.0, 5.0 - gap
        judged.sort(key=lambda j: -j.score)
        axis = {a.text: 0, b.text: 1, a2.text: 2}  # orthogonal vectors: no quote is a near-duplicate of another
        return [j.item.passage.passage_id for j in pick(judged, lambda texts, ids=None: np.eye(4, dtype=np.float32)[[axis[t] for t in texts]])]

    assert chosen(a2, trail) == ["a.txt#0-60", "a.txt#60-120"]
    assert chosen(b, trail) == ["a.txt#0-60"]
    assert chosen(b, CROSS_FILE_MARGIN / 2) == ["a.txt#0-60", "b.txt#0-60"]


def test_a_further_quote_without_a_figure_is_dropped_when_the_first_gives_one():
    """An amount or date question whose first quote holds a figure of the asked kind: a further quote holding none is
    context, not an answer, and is left out; for other questions it stays."""
    import numpy as np

    from rag.answer import judge
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import pick

    a = _passage("Microsoft investierte 13 Milliarden Dollar in OpenAI.", "a.txt#0-60")
    b = _passage("Die Partnerschaft von Microsoft und OpenAI war eng.", "a.txt#60-120")
    c = _passage("Microsoft gab OpenAI weitere 10 Milliarden Dollar.", "a.txt#120-180")
    q = judge.Question.of("How much did Microsoft invest in OpenAI?")
    judged = judge.judge(q, [Evidence(n=1, passage=p, start=0, end=len(p.text), score=0.85) for p in (a, b, c)])
    for j, score in zip(sorted(judged, key=lambda j: j.item.passage.passage_id), (5.0, 4.8, 4.6)):
        j.score = score
    judged.sort(key=lambda j: -j.score)
    axis = {a.text: 0, b.text: 1, c.text: 2}
    vectors = lambda texts, ids=None: np.eye(4, dtype=np.float32)[[axis[t] for t in texts]]  # noqa: E731
    assert [j.item.passage.passage_id for j in pick(judged, vectors, kind=q.kind)] == ["a.txt#0-60", "a.txt#120-180"]
    assert [j.item.passage.passage_id for j in pick(judged, vectors, kind="other")] == ["a.txt#0-60", "a.txt#120-180", "a.txt#60-120"]


@pytest.mark.parametrize(
    "source,text,undocumented",
    [
        ("fakeroot.es.1.gz", "Por ejemplo, puede usarse con rsync(1) para guardar el árbol de directorios. -u, --unknown-is-real: usa el propietario real.", True),
        ("rsync.1.gz", "--delete: delete extraneous files from the receiving side.", False),  # its own manual
        ("backup.md", "Mit rsync -a --delete spiegeln Sie ein Verzeichnis; --delete entfernt überzählige Dateien.", False),  # given with an option
    ],
)
def test_an_option_question_about_a_tool_no_passage_documents_is_refused(source, text, undocumented):
    """A manual that only refers to rsync ("SEE ALSO rsync(1)") does not tell rsync's options: quoting another tool's
    option as the answer misleads."""
    from rag import chunk
    from rag.answer.evidence import Evidence
    from rag.answer.judge import assess

    passage = _passage(text, f"{source}#0-100")
    items = [Evidence(n=1, passage=passage, start=s, end=e, score=0.85) for s, e in chunk.sentences(text)]
    assessment = assess("Which option of rsync deletes extraneous files?", "en", [passage], items)
    assert (assessment.missing == "subject:rsync") is undocumented


@pytest.mark.parametrize(
    "question,refused",
    [
        ("Как с помощью rsync исключить каталог из синхронизации?", True),  # a how-to question naming its tool mid-sentence
        ("Как сбросить забытый пароль root?", False),  # a Latin word of a Russian question is no tool by itself
        ("How do I exclude a directory from the sync?", False),
    ],
)
def test_a_how_to_question_about_a_tool_no_passage_documents_is_refused(question, refused):
    from rag import chunk
    from rag.answer.evidence import Evidence
    from rag.answer.judge import assess

    text = "Por ejemplo, puede usarse con rsync(1) para guardar el árbol de directorios. -u, --unknown-is-real: usa el propietario de root."
    passage = _passage(text, "fakeroot.es.1.gz#0-100")
    items = [Evidence(n=1, passage=passage, start=s, end=e, score=0.85) for s, e in chunk.sentences(text)]
    assert (assess(question, "ru", [passage], items).missing == "subject:rsync") is refused


def test_an_office_refusal_is_explained_in_the_question_language():
    from rag.answer import prompts

    assert prompts.explain("role:CEO:Anthropic", "de") == "Keine der gefundenen Passagen nennt die gefragte Person."
    assert prompts.explain("role:CTO", "xx") == "None of the passages found names the person asked for."
    assert prompts.reason("role:CEO:Anthropic") == "no CEO of Anthropic in the evidence"
    assert prompts.reason("role:CTO") == "no CTO in the evidence"


def test_a_sum_in_a_hyphenated_compound_is_money_not_a_count():
    """German glues sums into compounds ("500-Milliarden-Dollar-Rechenzentrumsprojekt"): that is an amount of money,
    which answers "how much money" and does not answer "how many data centres"."""
    sentence = "OpenAI plant mit SoftBank und Oracle ein 500-Milliarden-Dollar-Rechenzentrumsprojekt namens Stargate."
    count = asked.Question.of("Wie viele Rechenzentren umfasst das Stargate-Projekt?")
    money = asked.Question.of("Wie viel Geld fließt in Stargate?")
    assert (count.unit, money.unit) == ("count", "money")
    assert count.candidates(sentence, "de") == [] and money.candidates(sentence, "de") == ["500"]
    assert count.candidates("Stargate umfasst 20 Rechenzentren.", "de") == ["20"]


def test_a_reason_word_of_one_language_is_none_in_another():
    assert signals.causal("Er kam nicht, da er krank war.", "de") and signals.causal("Je reste, car il pleut.", "fr")
    assert not signals.causal("Bici da città grigia, telaio 54.", "it") and not signals.causal("The car is in the garage.", "en")
    assert signals.causal("He stayed because it rained.", "en")


def test_a_why_question_quotes_the_sentence_that_points_back_to_the_reason_first():
    """"Why did Microsoft hire Suleyman?": a causal clause about something else ("… angeschrien haben soll, da er …") scored
    a little higher than Benioff's "… Вот почему они наняли Мустафу Сулеймана." The sentence pointing back to the reason gets
    the lift retrieval gives it (signals.REASON_LIFT) in the selection and the evidence floor too, and is quoted first."""
    from rag.answer import judge
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import pick

    shout = "Insider berichten, dass Suleyman einen OpenAI-Mitarbeiter angeschrien haben soll, da er der Meinung war, es gehe zu langsam."
    back = "У них будут свои собственные передовые модели, — предсказал Бениофф. — Вот почему они наняли Мустафу Сулеймана."
    de = Passage(passage_id="de.txt#0-200", source="de.txt", score=0.83, text=shout, language="de")
    ru = Passage(passage_id="ru.txt#0-200", source="ru.txt", score=0.80, text=back, language="ru")

    class Vectors:
        def __call__(self, texts, ids=None):
            import numpy as np

            return np.eye(len(texts), 4, dtype=np.float32)

    items = [Evidence(n=1, passage=de, start=0, end=len(shout), score=0.832, second=0.24), Evidence(n=2, passage=ru, start=back.index("— Вот"), end=len(back), score=0.800, second=0.45)]
    q = judge.Question.of("why did Microsoft hire Suleyman?")
    judged = judge.judge(q, items)
    lifted = {j.item.passage.source: j.lift for j in judged}
    assert lifted == {"de.txt": 0.0, "ru.txt": pytest.approx(signals.REASON_LIFT)}
    assert pick(judged, Vectors(), kind=q.kind)[0].item.passage.source == "ru.txt"
    other = judge.judge(judge.Question.of("Who did Microsoft hire?"), items)
    assert all(j.lift == 0.0 for j in other)  # not a "why" question: no lift


def test_a_name_question_lifts_the_sentence_that_says_what_something_is_called():
    """"What is the name of the language model …?" asks for a name: a sentence naming nothing the question does not
    already give holds no answer, and one that says what something is called ("son propre LLM appelé MAI-1") gains
    signals.NAMING_LIFT in the selection. No short answer leads it: such leads were right for a third of XQuAD's name
    questions."""
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    team = "Il team di Suleyman ha iniziato a lavorare su un modello linguistico per competere con GPT-4 di Openai."
    called = "Microsoft travaille apparemment sur son propre LLM appelé MAI-1."
    it = Passage(passage_id="it.txt#0-200", source="it.txt", score=0.84, text=team, language="it")
    fr = Passage(passage_id="fr.txt#0-200", source="fr.txt", score=0.82, text=called, language="fr")
    items = [Evidence(n=1, passage=it, start=0, end=len(team), score=0.84, second=0.2), Evidence(n=2, passage=fr, start=0, end=len(called), score=0.82, second=0.2)]
    q = judge.Question.of("What is the name of the large language model Microsoft is building in-house?")
    assert q.kind == "name" and q.type_match(called, "fr") == 1.0 and q.type_match("Microsoft is building a model in-house.") == 0.0
    assert q.lead(called, "fr") == ""
    lifted = {j.item.passage.source: j.lift for j in judge.judge(q, items)}
    assert lifted["fr.txt"] == pytest.approx(signals.NAMING_LIFT) and signals.NAMING_LIFT > 0 and lifted["it.txt"] == 0.0
    assert all(j.lift == 0.0 for j in judge.judge(judge.Question.of("What is Microsoft building in-house?"), items))
    assert not signals.names_something("Das heißt, Microsoft baut ein eigenes Modell.")  # "that is", not a name


def test_a_further_quote_for_another_year_is_left_out_of_an_amount_answer(monkeypatch):
    """"How much money had Microsoft put into OpenAI by November 2023?": "Zu dieser Zeit … 13 Milliarden" answers, and
    "… 1 миллиард долларов … в 2019 году" gives a figure for another year: it is no further quote. Without the rule
    (FURTHER_SAME_YEAR) both are quoted."""
    from rag.answer import extractive, judge
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import pick

    then = "Zu dieser Zeit hatte Microsoft bereits 13 Milliarden US-Dollar in OpenAI investiert."
    early = "Microsoft инвестировала 1 миллиард долларов в OpenAI в 2019 году."
    de = Passage(passage_id="de.txt#0-200", source="de.txt", score=0.84, text=then, language="de")
    ru = Passage(passage_id="ru.txt#0-200", source="ru.txt", score=0.84, text=early, language="ru")

    class Vectors:  # a different direction for each sentence: no two are near-duplicates
        def __call__(self, texts, ids=None):
            import numpy as np

            return np.array([[1.0, 0.0] if "Milliarden" in text else [0.0, 1.0] for text in texts], dtype=np.float32)

    items = [Evidence(n=1, passage=de, start=0, end=len(then), score=0.845, second=0.4), Evidence(n=2, passage=ru, start=0, end=len(early), score=0.845, second=0.4)]
    q = judge.Question.of("How much money had Microsoft put into OpenAI by November 2023?")
    judged = judge.judge(q, items)
    assert [j.other_year for j in judged] == [False, True]
    assert [j.item.passage.source for j in pick(judged, Vectors(), kind=q.kind)] == ["de.txt"]
    monkeypatch.setattr(extractive, "FURTHER_SAME_YEAR", False)
    assert [j.item.passage.source for j in pick(judged, Vectors(), kind=q.kind)] == ["de.txt", "ru.txt"]


def test_a_quote_that_points_to_the_code_block_after_it_brings_its_first_lines():
    """"Per esempio, "/etc/hosts" contiene righe come le seguenti." introduces the block after it as a colon would: the quote
    runs on to the block's first lines (up to BLOCK_LINES, before a blank line). A forward word with no block after it, or a
    block after a sentence that points nowhere, changes nothing."""
    from rag import chunk
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import BLOCK_LINES, with_continuation

    text = 'Per esempio, "/etc/hosts" contiene righe come le seguenti.\n\n```\n127.0.0.1 localhost\n127.0.1.1 host_name\n\n::1 localhost\n```\nFine.'
    p = _passage(text)
    first = chunk.sentences(text)[0]
    quote = with_continuation(Evidence(n=1, passage=p, start=first[0], end=first[1], score=0.85)).text
    assert BLOCK_LINES >= 2 and quote.endswith("127.0.1.1 host_name") and "::1" not in quote
    plain = "Il file /etc/hosts contiene righe.\n\n```\n127.0.0.1 localhost\n```"
    first = chunk.sentences(plain)[0]
    assert with_continuation(Evidence(n=1, passage=_passage(plain), start=first[0], end=first[1], score=0.85)).text == "Il file /etc/hosts contiene righe."
    prose = "Le righe seguenti sono importanti. Poi viene altro testo."
    first = chunk.sentences(prose)[0]
    assert with_continuation(Evidence(n=1, passage=_passage(prose), start=first[0], end=first[1], score=0.85)).text == "Le righe seguenti sono importanti."


def test_a_how_to_question_prefers_the_sentence_that_gives_a_command():
    """"Quale comando ricrea il file modules.dep …?": the sentence describing the failure names modules.dep and depmod(8),
    the one after it gives the command ("Führen Sie "depmod -a" aus …"). A command question's answer holds a quoted call,
    a prompt line or a manual's option item; a quoted phrase ("« secure attention key »") is none, and a sentence ending
    in ":" holds the command it introduces."""
    from rag.answer.options import commands

    q = asked.Question.of("Quale comando ricrea il file modules.dep quando il caricamento dei moduli fallisce?")
    assert q.kind == "command" and q.lead('Führen Sie "depmod -a" aus, um dies zu beheben.') == ""  # no lead: unmeasured
    assert q.type_match('Führen Sie "depmod -a" aus, um dies zu beheben.') == 1.0
    assert q.type_match('Falls "/lib/modules/kernel-version/modules.dep" mittels depmod(8) nicht korrekt erstellt wurde …') == 0.0
    assert commands("« secure attention key »") == [] and commands('"fc-list"') == ["fc-list"] and commands('"getent passwd"') == []
    assert commands("-c, --continue   riprende a scaricare un file parzialmente scaricato") == ["-c, --continue"]
    assert commands("$ journalctl -b -u ssh") == ["journalctl -b -u ssh"]

    from rag.answer import judge
    from rag.answer.evidence import Evidence

    text = "Die angezeigten Fehlermeldungen des Kernels können gefiltert werden:\n\n```\n# dmesg -n3\n```"
    intro = Evidence(n=1, passage=_passage(text), start=0, end=text.index(":") + 1, score=0.85, second=0.3)
    how = judge.Question.of("Comment filtrer les messages du noyau affichés sur la console ?")
    assert how.kind == "command" and judge.judge(how, [intro])[0].type_ok == 1.0  # the command it introduces counts


def test_the_sentence_that_adds_more_of_the_asked_kind_joins_the_first_quote():
    """"Quali investitori hanno partecipato al round …?": the first quote names Thrive Capital, the sentence right after it
    adds "Auch Nvidia, MGX und Microsoft haben investiert." and is quoted second, however far below the first it scores.
    A sentence after it that adds nothing of the asked kind, or one further away, is not."""
    from rag.answer import judge
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import with_additions

    first = "Die Finanzierungsrunde wurde von Thrive Capital angeführt."
    text = first + " Auch Nvidia, MGX und Microsoft haben investiert. Apple investierte nicht."
    p = _passage(text)
    second_at = text.index("Auch")
    third_at = text.index("Apple")
    items = [Evidence(n=1, passage=p, start=0, end=len(first), score=0.86, second=0.5),
             Evidence(n=1, passage=p, start=second_at, end=third_at - 1, score=0.80, second=0.07)]
    q = judge.Question.of("Quali investitori hanno partecipato al round di finanziamento di OpenAI?")
    judged = judge.judge(q, items)
    lead = [j for j in judged if j.item.start == 0]
    assert [j.item.start for j in with_additions(lead, judged)] == [0, second_at]
    plain = [Evidence(n=1, passage=p, start=0, end=len(first), score=0.86, second=0.5),
             Evidence(n=1, passage=p, start=third_at, end=len(text), score=0.80, second=0.07)]
    judged = judge.judge(q, plain)
    assert [j.item.start for j in with_additions([j for j in judged if j.item.start == 0], judged)] == [0]  # not right after it


@pytest.mark.parametrize(
    "question,term",
    [
        ("What is initramfs?", "initramfs"), ("What is the GRUB bootloader?", "GRUB bootloader"), ("Was ist ein dpkg-Trigger?", "dpkg-Trigger"),
        ("Qu'est-ce que systemd ?", "systemd"), ("Qu'est-ce qu'un démon ?", "démon"), ("Что такое NSS?", "NSS"), ("Cos'è un journal?", "journal"),
        ("¿Qué es Postfix?", "Postfix"), ("What does cron do?", "cron"), ("À quoi sert PAM ?", "PAM"), ("What is APT pinning used for?", "APT pinning"),
        # questions about something else than what a term is
        ("What is the name of the model?", ""), ("What is the largest city in Poland?", ""), ("What is the country known for?", ""),
        ("Was sind Cydippida nicht?", ""), ("What are the three construction subsectors?", ""), ("How does cron work?", ""),
    ],
)
def test_a_definition_question_names_its_term(question, term):
    from rag.answer.defines import what_is

    assert what_is(question) == term


@pytest.mark.parametrize(
    "sentence,term,says",
    [
        ("- PAM offre un mécanisme d’authentification souple.", "PAM", True), ("Das udev-System bietet Mechanismen zur Hardware-Erkennung.", "udev", True),
        ("initramfs (initial RAM filesystem) ist ein Archiv.", "initramfs", True), ("NSS — это механизм службы имён.", "NSS", True),
        ("GRUB is a boot loader.", "GRUB bootloader", True),  # a word of the term opens the sentence
        ("Dieses System wird normalerweise initramfs-System genannt.", "initramfs", False),  # named, not said what it is
        ("Siehe systemd.device(5).", "systemd", False), ("Many users never configure PAM at all, but PAM is everywhere.", "PAM", False),
    ],
)
def test_a_sentence_that_opens_with_the_term_and_says_what_it_is_defines_it(sentence, term, says):
    from rag.answer.defines import defines

    assert defines(sentence, term) is says


def test_for_a_definition_question_a_pointer_or_a_command_line_is_no_quote_and_a_definition_is_lifted():
    from rag.answer import defines, judge
    from rag.answer.evidence import Evidence

    assert defines.only_points("Siehe systemd.device(5).") and defines.only_points("$ sudo systemctl stop postfix")
    assert not defines.only_points("See the manual for the details of every option this daemon takes when it starts up at boot time.")
    text = "Siehe postfix(1). Postfix ist ein Mailserver. $ sudo systemctl stop postfix"
    p = Passage(passage_id="p#0", source="p.md", score=0.8, text=text, language="de")
    spans = [(0, 17), (18, 45), (46, len(text))]
    items = [Evidence(n=1, passage=p, start=s, end=e, score=0.8) for s, e in spans]
    judged = {j.item.text: j for j in judge.judge(judge.Question.of("¿Qué es Postfix?"), items)}
    assert judged["Siehe postfix(1)."].noise and judged["$ sudo systemctl stop postfix"].noise
    assert not judged["Postfix ist ein Mailserver."].noise and judged["Postfix ist ein Mailserver."].lift == pytest.approx(judge.DEFINITION_LIFT)
    other = {j.item.text: j for j in judge.judge(judge.Question.of("Wie stoppe ich Postfix?"), items)}
    assert not other["$ sudo systemctl stop postfix"].noise and other["Postfix ist ein Mailserver."].lift == 0.0



def test_who_is_lifts_the_sentence_that_describes_the_person_by_an_apposition():
    """"Who is Mustafa Suleyman?" asks for a description: the sentence opening with the name and an apposition gets the
    definition lift; a sentence naming him further on does not, nor does a term's listing with a comma ("What is …?")."""
    from rag.answer import defines, judge
    from rag.answer.evidence import Evidence

    assert defines.asked_term("Who is Mustafa Suleyman?") == ("Mustafa Suleyman", True) and defines.asked_term("Что такое Netfilter?") == ("Netfilter", False)
    assert defines.asked_term("Who founded OpenAI?") == ("", False)
    assert defines.defines("Mme Aubertin (3e gauche) a un double de nos clés.", "Mme Aubertin", apposition=True)
    assert not defines.defines("- netfilter-Module, die Netfilter-Firewall-Funktionalitäten bereitstellen", "Netfilter")  # a term: no apposition
    text = "„Deshalb haben sie Mustafa Suleyman engagiert. Mustafa Suleyman, der Mitbegründer von Inflection AI, leitet ein Team."
    p = Passage(passage_id="p#0", source="p.txt", score=0.8, text=text, language="de")
    items = [Evidence(n=1, passage=p, start=s, end=e, score=0.8) for s, e in [(0, 46), (47, len(text))]]
    lifts = {j.item.text[:10]: j.lift for j in judge.judge(judge.Question.of("Who is Mustafa Suleyman?"), items)}
    assert lifts == {"„Deshalb h": 0.0, "Mustafa Su": pytest.approx(judge.DEFINITION_LIFT)}


@pytest.mark.parametrize(
    "sentence,sums",
    [
        ("05/03: cambiata la camera d'aria posteriore, 8 € alla Ciclofficina", ["8 €"]), ("Einlagerung 45 € pro Saison", ["45 €"]),
        ("откладываю 15 000 ₽ на накопительный счёт", ["15 000 ₽"]), ("It costs $5, or 10 USD with the case.", ["$5", "10 USD"]),
        ("Pressione: 5,5 bar dietro, 5 bar davanti.", []),
    ],
)
def test_a_currency_sign_after_the_number_makes_it_a_sum(sentence, sums):
    assert asked.Question.of("How much did it cost?").candidates(sentence, "it") == sums


@pytest.mark.parametrize(
    "question,language,text,refused",
    [
        # sums in the question's own language, for other things: none shares a word with the question
        ("Combien coûte l'assurance de la voiture ?", "fr", "Loyer 780 € + 95 € de charges, virement avant le 5.\n\nRégularisation des charges en juin, environ 120 €.", True),
        ("Combien coûte l'assurance de la voiture ?", "fr", "L'assurance de la voiture coûte 480 € par an, charges comprises.", False),
        # a word of the question in the sum's neighbourhood binds it ("Tagliando completo" on the line before "Prezzo: 80 €")
        ("Quanto costa il tagliando completo della bici?", "it", "Tagliando completo a ottobre, da Ernesto.\nPrezzo concordato: 80 € in contanti.", False),
    ],
)
def test_a_sum_for_something_else_in_the_questions_language_does_not_answer(question, language, text, refused):
    from rag import chunk
    from rag.answer.evidence import Evidence
    from rag.answer.judge import assess

    passage = Passage(passage_id="n.md#0", source="n.md", score=0.9, text=text, language=language)
    items = [Evidence(n=1, passage=passage, start=s, end=e, score=0.85) for s, e in chunk.sentences(text)]
    assert (assess(question, language, [passage], items).missing == "object:money") is refused
    other = Passage(passage_id="n.md#0", source="n.md", score=0.9, text=text, language="de")  # a sum in another language: open
    items = [Evidence(n=1, passage=other, start=s, end=e, score=0.85) for s, e in chunk.sentences(text)]
    assert assess(question, language, [other], items).missing != "object:money"


def test_an_option_that_turns_something_off_yields_when_the_question_turns_nothing_off(monkeypatch):
    """"Comment faire ignorer la casse à grep ?": "--no-ignore-case" sits as near the question as "-i, --ignore-case"
    (the same words); an item that turns something off loses POLARITY_DROP unless the question asks to turn something off."""
    from rag.answer import judge, options
    from rag.answer.evidence import Evidence

    off = "--no-ignore-case\n       Do not ignore case distinctions in patterns and input data."
    on = "-i, --ignore-case\n       Ignore case distinctions in patterns and input data."
    text = off + "\n" + on
    p = Passage(passage_id="grep.1#0-200", source="grep.1", score=0.85, text=text, language="en", on_subject=True)
    items = [Evidence(n=1, passage=p, start=0, end=len(off), score=0.861), Evidence(n=1, passage=p, start=len(off) + 1, end=len(text), score=0.855)]
    q = judge.Question.of("Comment faire ignorer la casse à grep ?")
    assert judge.judge(q, items)[0].item.text.startswith("-i, --ignore-case")
    monkeypatch.setattr(howto, "POLARITY_DROP", 0.0)
    assert judge.judge(q, items)[0].item.text.startswith("--no-ignore-case")
    assert options.turns_off("-n or --line-numbers\n       Suppresses line numbers.")
    assert options.turns_off("--no-clobber  do not overwrite an existing file")
    assert not options.turns_off("-d, --delete            supprimer les caractères d’TABLEAU1, ne pas convertir")  # "supprimer" deletes
    assert not options.turns_off("-N or --LINE-NUMBERS\n       Causes a line number to be displayed at the beginning of each line.")
    assert not options.turns_off("Do not ignore case distinctions.")  # prose, not an option item
    assert options.asks_off("Как сделать, чтобы cp не перезаписывал файлы?") and options.asks_off("How do I keep rm -r from descending into mounts?")
    assert not options.asks_off("How do I make less show line numbers?")
    # keeping something asks to turn its removal off: «-k, --keep  Don't delete the input files.» answers it
    for keep in ("Which option of xz keeps input files?", "Какой ключ xz сохраняет исходные файлы?", "Quelle option de gzip conserve le fichier ?"):
        assert options.asks_off(keep), keep


def test_a_question_naming_its_tool_does_not_get_the_manuals_name_line(monkeypatch):
    """"How do I see the extended memory map of a process with pmap?": the NAME line ("pmap - …") and the sentence saying
    what pmap does are nearer to the question than the item "-x, --extended"; they only say what the tool is. A "which
    command …" question keeps the NAME line (it names the command)."""
    from rag.answer import judge, options
    from rag.answer.evidence import Evidence

    name = "pmap - Afficher l'empreinte mémoire d'un processus"
    about = "La commande pmap affiche l'empreinte mémoire d'un ou plusieurs processus."
    item = "-x, --extended\n       Afficher la sortie au format étendu."
    text = "\n".join([name, about, item])
    p = Passage(passage_id="pmap.fr.1#0-300", source="pmap.fr.1", score=0.85, text=text, language="fr", on_subject=True, locator=Locator(section="PMAP(1) › NOM"))
    a, b = len(name), len(name) + 1 + len(about)
    items = [Evidence(n=1, passage=p, start=0, end=a, score=0.88, second=0.5), Evidence(n=1, passage=p, start=a + 1, end=b, score=0.88, second=0.5), Evidence(n=1, passage=p, start=b + 1, end=len(text), score=0.83, second=0.19)]
    q = judge.Question.of("How do I see the extended memory map of a process with pmap?")
    assert judge.judge(q, items)[0].item.text.startswith("-x, --extended")
    monkeypatch.setattr(howto, "NAME_LINE_DROP", 0.0)
    assert not judge.judge(q, items)[0].item.text.startswith("-x, --extended")
    assert options.name_shaped(name) and options.name_section("PMAP(1) › NOM") and not options.name_section("PMAP(1) › OPTIONS")
    assert not (options.name_shaped("Milch - 2 Liter") and options.name_section("Einkauf"))
    assert options.about_tool("The chfn command changes user fullname, office room number …", "chfn")
    assert not options.about_tool("dpkg-query -l 'libc6*'", "dpkg-query")


def test_a_how_to_question_about_changing_a_number_is_no_phone_question():
    from rag.answer.kinds import kind_of

    assert kind_of("Wie ändere ich mit chfn die Büro-Telefonnummer?")[0] == "command"
    assert kind_of("Как изменить номер телефона в chfn?")[0] == "command"
    assert kind_of("What is the phone number of the dentist?")[0] == "phone"


def test_another_tools_option_is_no_answer_about_the_asked_tool(monkeypatch):
    """"How do I make gzip encrypt the file with a password?": gzip's manual was retrieved and has no such option; zip's
    "--password" item is the nearest sentence. That is no answer about gzip: the answerer says so and names zip."""
    from rag.answer import judge, prompts
    from rag.answer.evidence import Evidence

    item = "-P password\n       --password password\n       Use password to encrypt zipfile entries (if any)."
    prose = "When compressing, gzip uses the .tgz extension if necessary instead of cutting names with a .tar extension."
    zp = Passage(passage_id="zip.1#0-100", source="man/zip.1.gz", score=0.886, text=item, language="en", on_subject=False)
    gp = Passage(passage_id="gzip.1#0-120", source="man/gzip.1.gz", score=0.867, text=prose, language="en", on_subject=True)
    items = [Evidence(n=1, passage=zp, start=0, end=len(item), score=0.88), Evidence(n=2, passage=gp, start=0, end=len(prose), score=0.84)]
    q = judge.Question.of("How do I make gzip encrypt the file with a password?")
    judged = judge.judge(q, items)
    why = judge.missing(q, judged, [zp, gp])
    assert why == "elsewhere:zip"
    assert "zip" in prompts.explain(why, "de") and prompts.reason(why) == "only another tool's option (zip) in the evidence"
    gp.on_subject = False  # without the asked tool's manual there is nothing to tell the two apart
    assert judge.missing(q, judge.judge(q, items), [zp, gp]) == ""
    gp.on_subject = True
    monkeypatch.setattr(howto, "ELSEWHERE", False)
    assert judge.missing(q, judged, [zp, gp]) == ""


def test_a_date_for_another_persons_office_does_not_say_when_the_asked_one_took_it():
    """"En quelle année Satya Nadella est-il devenu PDG ?" against the seeds: their dates with an office are Altman's
    ("… als OpenAI-CEO eingesetzt", Ende 2023, where only "Nadella" is named) and Nadella's hiring of Suleyman (début 2024):
    no sentence with a date names Satya Nadella with the office. Suleyman's own appointment does answer its question."""
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    altman = "Nachdem Altman Ende 2023 entlassen und wieder als OpenAI-CEO eingesetzt wurde, teilten Mitarbeiter mit, dass Nadella …"
    hire = "Quelques mois plus tard, début 2024, Nadella a réagi en embauchant Mustafa Suleyman comme PDG de Microsoft AI."
    p1 = Passage(passage_id="a#0", source="a.txt", score=0.85, text=altman, language="de")
    p2 = Passage(passage_id="b#0", source="b.txt", score=0.84, text=hire, language="fr")
    items = [Evidence(n=1, passage=p1, start=0, end=len(altman), score=0.86), Evidence(n=2, passage=p2, start=0, end=len(hire), score=0.85)]
    nadella = judge.Question.of("En quelle année Satya Nadella est-il devenu PDG ?")
    assert judge.missing(nadella, judge.judge(nadella, items), [p1, p2]) == "attribute:office"
    suleyman = judge.Question.of("When did Mustafa Suleyman become CEO of Microsoft AI?")
    assert judge.missing(suleyman, judge.judge(suleyman, items), [p1, p2]) == ""


def test_an_option_item_in_the_third_chunk_of_the_right_manual_competes_with_the_first_chunks(monkeypatch):
    """"How do I edit a file in place with sed?": sed(1)'s first chunk holds "-f script-file", its third "-i, --in-place";
    the selection model (trained on XQuAD's one-paragraph files) reads the chunk rank as the source's rank. For an option
    or how-to question a chunk's rank is read half as its document's."""
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    f = "-f script-file, --file=script-file\n       add the contents of script-file to the commands to be executed"
    i = "-i[SUFFIX], --in-place[=SUFFIX]\n       edit files in place (makes backup if SUFFIX supplied)"
    other = "grep searches for PATTERNS in each FILE."
    p1 = Passage(passage_id="sed#0", source="sed.1.gz", score=0.86, text=f, language="en", on_subject=True)
    p2 = Passage(passage_id="grep#0", source="grep.1.gz", score=0.85, text=other, language="en")
    p3 = Passage(passage_id="sed#9", source="sed.1.gz", score=0.85, text=i, language="en", on_subject=True)
    items = [Evidence(n=1, passage=p1, start=0, end=len(f), score=0.87, second=0.35), Evidence(n=2, passage=p2, start=0, end=len(other), score=0.80, second=0.1),
             Evidence(n=3, passage=p3, start=0, end=len(i), score=0.868, second=0.41)]
    q = judge.Question.of("How do I edit a file in place with sed?")
    assert judge.judge(q, items)[0].item.text.startswith("-i[SUFFIX]")
    assert judge._document_ranks(items) == {1: 1, 2: 2, 3: 1}
    monkeypatch.setattr(judge, "DOCUMENT_RANK", 0.0)
    assert judge.judge(q, items)[0].item.text.startswith("-f script-file")


def test_a_tool_is_also_a_question_word_naming_a_retrieved_manual(monkeypatch):
    """"Wie ändere ich mit chfn die Büro-Telefonnummer?" names chfn in the middle, where no pattern reads a tool; the
    retrieved manual about it (chfn.it.1.gz, on the question's subject) tells it, so its summary sentence yields."""
    from rag.answer import howto
    from rag.answer.evidence import Evidence

    about = "The chfn command changes user fullname, office room number, office phone number, and home phone number information."
    p = Passage(passage_id="chfn#0", source="man/chfn.it.1.gz", score=0.87, text=about, language="en", on_subject=True)
    q = howto.Question.of("Wie ändere ich mit chfn die Büro-Telefonnummer?")
    assert q.commands == () and q.identifiers == ()
    items = [Evidence(n=1, passage=p, start=0, end=len(about), score=0.88)]
    rules = howto.HowRules.of(q, items)
    assert rules.tools == ("chfn",) and rules.lift(items[0]) < 0
    monkeypatch.setattr(howto, "SUBJECT_TOOLS", False)
    assert howto.HowRules.of(q, items).tools == ()


def _quote(text: str, language: str):
    from types import SimpleNamespace

    return SimpleNamespace(item=SimpleNamespace(text=text, passage=SimpleNamespace(language=language)))


@pytest.mark.parametrize(
    "question,language,quotes,lead",
    [
        # the first quote is Russian, a further one Italian with the same sum: the Italian reader gets the Italian span
        ("Quanto ha investito Microsoft in OpenAI nel 2019?", "it",
         [("Microsoft инвестировала 1 миллиард долларов в OpenAI в 2019 году.", "ru"), ("Microsoft Ha investito $ 1 miliardo in Openai nel 2019.", "it")], "$ 1 miliardo"),
        # another value in the question's language is no translation of the answer: the first quote's span stays
        ("Quanto ha investito Microsoft in OpenAI?", "it",
         [("Microsoft инвестировала 13 миллиардов долларов в OpenAI.", "ru"), ("Microsoft Ha investito $ 1 miliardo in Openai nel 2019.", "it")], "13 миллиардов долларов"),
        # the first quote is already in the question's language
        ("Wie viel hat Microsoft investiert?", "de",
         [("Microsoft investierte 13 Milliarden Dollar.", "de"), ("Microsoft a investi 13 milliards de dollars.", "fr")], "13 Milliarden Dollar"),
        ("In che anno Microsoft ha investito in OpenAI?", "it", [("Microsoft investierte 2019 in OpenAI.", "de"), ("Microsoft ha investito in OpenAI nel 2019.", "it")], "2019"),
    ],
)
def test_the_short_answer_is_written_in_the_questions_language_when_a_quote_gives_it(question, language, quotes, lead):
    from rag.answer.extractive import in_language

    assert in_language(asked.Question.of(question), [_quote(t, lang) for t, lang in quotes], language) == lead


def test_a_name_is_the_same_in_two_scripts_and_inflections():
    from rag.answer.extractive import _same_name

    assert _same_name("Мустафу Сулеймана", "Mustafa Suleyman") and _same_name("Сэм Альтман", "Sam Altman")
    assert not _same_name("Sam Altman", "Satya Nadella") and not _same_name("Mustafa Suleyman", "Suleyman")


@pytest.mark.parametrize(
    "sentence,value,span",
    [
        ("Microsoft инвестировала 13 миллиардов долларов в OpenAI.", 1.3e10, "13 миллиардов долларов"),
        ("Microsoft вложила 2 миллиарда долларов.", 2e9, "2 миллиарда долларов"),
        ("Это стоило 5 миллионов рублей.", 5e6, "5 миллионов рублей"),
        ("Microsoft инвестировала 1 миллиард долларов.", 1e9, "1 миллиард долларов"),
    ],
)
def test_a_russian_scale_word_counts_in_every_case(sentence, value, span):
    """"13 миллиардов" is 13 billion, not 13 (the genitive plural after a number), so it matches "13 billion" in a claim."""
    from rag.answer import signals

    assert signals.numbers(sentence) == {value}
    assert asked.Question.of("Сколько Microsoft инвестировала в OpenAI?").span(sentence, "ru") == span


@pytest.mark.parametrize(
    "text,values",
    [
        ("Microsoft invirtió 13 mil millones de dólares.", {1.3e10}),  # Spanish "mil millones" is a billion, not 13 thousand
        ("dos mil millones", {2e9}),
        ("5 mil habitantes", {5000.0}),
        ("Microsoft invested $13bn in OpenAI.", {1.3e10}),  # a scale glued to the number
        ("полтора миллиарда", {1.5e9}),
        ("eineinhalb Millionen Nutzer", {1.5e6}),
        ("La cuisson prend 3 mn.", {3.0}),  # French minutes, not millions
    ],
)
def test_sums_written_the_ways_languages_write_them(text, values):
    from rag.answer import signals

    assert signals.numbers(text) == values


def test_a_spanish_sum_is_the_short_answer_whole():
    q = asked.Question.of("¿Cuánto invirtió Microsoft en OpenAI?")
    assert q.span("Microsoft invirtió 13 mil millones de dólares en OpenAI.", "es") == "13 mil millones de dólares"


@pytest.mark.parametrize(
    "passage",
    ["Microsoft вложила 13 миллиардов долларов в OpenAI.", "Microsoft invirtió 13 mil millones de dólares en OpenAI.", "Microsoft invested $13bn in OpenAI."],
)
def test_a_claimed_sum_matches_the_sum_in_every_language_it_is_written_in(passage):
    """An answer's "13 billion" is the cited passage's "13 миллиардов", "13 mil millones" or "$13bn"; "13 million" is none."""
    cited = [_passage(passage)]
    assert unsupported_claims("Microsoft invested 13 billion dollars in OpenAI.", "How much did Microsoft invest?", cited) == []
    assert unsupported_claims("Microsoft invested 13 million dollars in OpenAI.", "How much did Microsoft invest?", cited) == ["1.3e+07"]


@pytest.mark.parametrize(
    "sentence,date",
    [("Version 3 was released on 2024-03-12.", "2024-03-12"), ("Er kam am 12.03.2024 zurück.", "12.03.2024"), ("Ultimo controllo 05/03/2024.", "05/03/2024"),
     ("Il est arrivé le 12 mars 2024.", "12 mars 2024")],
)
def test_a_date_written_in_digits_is_the_whole_date(sentence, date):
    """"2024-03-12" answers "when" as a date, not as the year 2024 alone."""
    assert asked.Question.of("When did it happen?").span(sentence, "") == date


@pytest.mark.parametrize(
    "sentence,context,heading",
    [("1 What is libffi?", "1 What is libffi?", True), ("2.4. The glob files", "2. Unified system › 2.4. The glob files", True),
     ("libffi: the portable foreign function interface library", "libffi: the portable foreign function interface library › libffi", True),
     ("The glob files are read in order.", "2. Unified system › 2.4. The glob files", False),
     ("2 ASN.1 structure handling", "1 Introduction › 2 ASN.1 structure handling", True),
     ("Aufruf: du [OPTION]... [DATEI]...", "Aufruf: du [OPTION]... [DATEI]...", False),  # a usage line says how to call the tool
     ("1 What is libffi?", "", False)],
)
def test_a_title_or_section_heading_of_the_passage_is_a_heading(sentence, context, heading):
    assert signals.names_heading(sentence, context) is heading


@pytest.mark.parametrize(
    "text,quote,starts",
    [
        # texinfo HTML: the signature, a blank line, the description
        ("Function: void ffi_closure_free (void *writable) ¶\n\nFree memory allocated using ffi_closure_alloc. The argument is the writable address.",
         "Free memory allocated using ffi_closure_alloc.", "Function: void ffi_closure_free"),
        # texinfo PDF: the signature, a parameter line, the description
        ("const char * asn1_strerror (int error) [Function]\nerror: is an error returned by a libtasn1 function.\nReturns a string with a description of an error.",
         "Returns a string with a description of an error.", "const char * asn1_strerror"),
        ("os.path.join(path, *paths)¶\nJoin one or more path segments intelligently.", "Join one or more path segments intelligently.", "os.path.join"),
        ("ffi_type_uint16 ¶\n\nAn unsigned, 16-bit integer type.\n\nffi_type_sint16 ¶\n\nA signed, 16-bit integer type.", "A signed, 16-bit integer type.", "ffi_type_sint16"),
        # prose with a parenthesis, a quote inside a paragraph, a command line: no signature
        ("Kevin Scott (CTO)\nHe said Microsoft was the biggest landlord.", "He said Microsoft was the biggest landlord.", "He said"),
        ("Function: void ffi_call (ffi_cif *cif) ¶\n\nThis calls the function fn. It returns nothing.", "It returns nothing.", "It returns"),
        ("$ ls -l (whatever)\nLists the files.", "Lists the files.", "Lists"),
    ],
)
def test_a_function_description_is_quoted_with_its_signature(text, quote, starts):
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import with_signature

    p = Passage(passage_id="m#0", source="manual.html", score=0.9, text=text, language="en")
    at = text.index(quote)
    item = with_signature(Evidence(n=1, passage=p, start=at, end=at + len(quote), score=0.9))
    assert item.text.startswith(starts) and item.text.endswith(quote)


def test_a_name_written_as_code_is_one_term_matched_whole():
    terms = signals.key_terms("What does ffi_call do with modules.dep in the U.S.?")
    assert [(t.text, t.entity) for t in terms[:2]] == [("ffi_call", True), ("modules.dep", True)]
    assert not {"ffi", "call", "modules", "dep"} & {t.text for t in terms}
    call = terms[0]
    assert signals.Vocabulary.of("To call a function, use the ffi_call function:").has(call)
    assert not signals.Vocabulary.of("The cif in ffi_cif stands for Call InterFace.").has(call)  # ffi_cif, Call: another name
    assert [t.text for t in signals.key_terms("¿Qué pasó en el siglo I d.C en Roma?")][:1] != ["d.C"]  # an abbreviation, not code


def test_a_plain_note_s_first_line_is_its_title_but_stays_quotable():
    """The first line of a document without headings titles it in the index ("wlan: …"); it is still the answer."""
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    text = "wlan: Larkspur-5G, password maple-otter-4417\nrouter admin page: 192.168.1.1"
    note = Passage(passage_id="n#0", source="home.txt", score=0.9, text=text, language="en", context="wlan: Larkspur-5G, password maple-otter-4417")
    html = Passage(passage_id="h#0", source="globs.html", score=0.9, text="2.4 Which file wins?\n\nThe globs2 file wins.", language="en",
                   context="2 The glob files › 2.4 Which file wins?", locator=Locator(section="2 The glob files › 2.4 Which file wins?"))
    items = [Evidence(n=1, passage=note, start=0, end=text.index("\n"), score=0.85), Evidence(n=2, passage=html, start=0, end=20, score=0.85)]
    noise = {j.item.passage.source: j.noise for j in judge.judge(judge.Question.of("What is the wlan password?"), items)}
    assert noise == {"home.txt": False, "globs.html": True}


def test_a_signature_line_alone_is_quoted_with_its_description():
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import with_continuation

    text = "ffi_type_longdouble ¶\n\nOn platforms that have a C long double type, this is defined.\n\nffi_type_pointer ¶\n\nA generic void * pointer."
    p = Passage(passage_id="m#0", source="types.html", score=0.9, text=text, language="en")
    item = with_continuation(Evidence(n=1, passage=p, start=0, end=len("ffi_type_longdouble ¶"), score=0.9))
    assert item.text == "ffi_type_longdouble ¶\n\nOn platforms that have a C long double type, this is defined."


@pytest.mark.parametrize(
    "text,named",
    [
        ("What is the default weight of a glob pattern?", {"default"}), ("Quel est le poids maximal d'un motif glob ?", {"maximum"}),
        ("Какой формат tar использует по умолчанию?", {"default"}), ("¿Qué formato usa tar por defecto?", {"default"}),
        ("Qual è il fattore di blocco predefinito di tar?", {"default"}), ("Wie setze ich das Standard-Target dauerhaft?", {"default"}),
        ("ZAHL Zeilen des Kontexts ausgeben (Vorgabe: 3).", {"default"}), ("How do I enforce a minimum password length?", {"minimum"}),
        ("The default weight value is 50, and the maximum is 100.", {"default", "maximum"}),
        # standard input, a standard, a directory named default: no default value
        ("Ohne DATEI die Standardeingabe lesen.", set()), ("Standards are good.", set()), ('Siehe "/etc/default/locale".', set()),
        ("if (ffi_prep_cif(&cif, FFI_DEFAULT_ABI, 1, …", set()),
    ],
)
def test_a_default_maximum_or_minimum_is_read_in_every_language(text, named):
    assert kinds.qualifiers(text) == named


def test_a_sentence_states_a_default_with_few_german_compounds_a_question_asks_with_any():
    assert kinds.qualifiers("Welche Standardpriorität hat eine treemagic-Regel?") == {"default"}
    assert kinds.qualifiers("Bei einer Standardinstallation werden viele Dienste gestartet.", sentence=True) == set()
    assert kinds.qualifiers("Samba verwendet standardmäßig Unicode.", sentence=True) == {"default"}


def test_a_question_asking_for_a_default_lifts_the_sentence_stating_one_in_another_language():
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    text = "--compression=TIPO  Sceglie la compressione, uno tra auto, gzip e none (predefinito: none). --header=STRINGA  Inserisce STRINGA."
    p = Passage(passage_id="w#0", source="wget.it.txt", score=0.8, text=text, language="it")
    cut = text.index("--header")
    items = [Evidence(n=1, passage=p, start=0, end=cut - 1, score=0.8), Evidence(n=1, passage=p, start=cut, end=len(text), score=0.8)]
    asked_default = {j.item.text[:8]: j.lift for j in judge.judge(judge.Question.of("Quelle compression wget utilise-t-il par défaut ?"), items)}
    assert lifts.QUALIFIER_LIFT > 0 and asked_default["--compre"] == pytest.approx(lifts.QUALIFIER_LIFT) and asked_default["--header"] == 0.0
    plain = {j.item.text[:8]: j.lift for j in judge.judge(judge.Question.of("Quelle compression wget sait-il utiliser ?"), items)}
    assert plain["--compre"] == 0.0


@pytest.mark.parametrize(
    "question,kind",
    [
        ("What is the default value of WHEN for ls --color?", ("other", "")), ("Welchen Standardwert hat die Option -w?", ("other", "")),
        ("Welchen Wert hat Microsoft?", ("amount", "money")),  # a company's worth is a sum
        # a port is a number, a harbour is not
        ("Welchen Port verwendet wget standardmäßig für implizites FTPS?", ("amount", "port")), ("Какой порт слушает sshd?", ("amount", "port")),
        ("¿Qué puerto usa el servidor SSH por defecto?", ("amount", "port")), ("Which port did the fleet sail from?", ("other", "")),
        ("What does port forwarding do?", ("other", "")),
        # "what is the default port …" in six languages asks for a port too; a harbour's "port" without "default" does not
        ("What is the default port of ssh?", ("amount", "port")), ("Quel est le port par défaut de wget pour HTTPS ?", ("amount", "port")),
        ("Qual è la porta predefinita di ssh?", ("amount", "port")), ("¿Cuál es el puerto por defecto de FTPS implícito?", ("amount", "port")),
        ("Was ist der Standardport von SSH?", ("amount", "port")), ("Какой порт по умолчанию у ssh?", ("amount", "port")),
        ("What is the largest port in Poland?", ("other", "")),
    ],
)
def test_a_default_value_is_no_sum_and_a_port_is_a_number(question, kind):
    assert kinds.kind_of(question) == kind


@pytest.mark.parametrize(
    "sentence,ports",
    [
        ("the default port for implicit FTPS, 990, will be used, instead of 21.", ["990", "21"]), ("Use --ftp-port=2121 here.", ["2121"]),
        # a version beside a name, another option's value, a sum: no port
        ("ssh will act as a SOCKS 4/5 proxy.", []), ("wget -r --tries=10 http://fly.srk.fer.hr/ -o log", []), ("It costs $443.", []),
    ],
)
def test_a_port_is_a_plain_number_of_a_port_range_not_another_options_value(sentence, ports):
    q = asked.Question.of("Which port does it use?")
    assert (q.kind, q.unit) == ("amount", "port")
    assert q.candidates(sentence, "en") == ports


@pytest.mark.parametrize(
    "sentence,names",
    [
        ("Function: ffi_status ffi_get_struct_offsets (ffi_abi abi) ¶", {"ffi_status", "ffi_get_struct_offsets", "ffi_abi"}),
        ("asn1Coding generates a DER encoding", {"asn1coding"}), ("set LIBFFI_TMPDIR to a directory", {"libffi_tmpdir"}),
        ("see /etc/mailname first", {"/etc/mailname"}), ("export $LANGUAGE", {"$language"}), ("globs2 and mime.cache", {"globs2", "mime.cache"}),
        # prose, versions, abbreviations and plain tool words are no code names
        ("libffi also provides a way to get the offsets of the members of a structure.", set()), ("version 4.19.0, 18 August 2022", set()),
        ("U.S. and e.g. and X.680", set()), ("Use ibus on GNOME.", set()),
    ],
)
def test_names_written_as_code_are_found_in_a_sentence(sentence, names):
    from rag.answer import codenames

    assert codenames.code_names(sentence) == names


def test_a_question_asking_for_a_function_or_file_lifts_a_sentence_naming_one_it_does_not_give():
    from rag.answer import codenames, judge
    from rag.answer.evidence import Evidence

    assert codenames.asks_code_name("Quelle fonction de libffi calcule le décalage de chaque membre ?")
    assert codenames.asks_code_name("Какой файл имеет приоритет?") and not codenames.asks_code_name("Which company bought it?")
    text = "libffi also provides a way to get the offsets of members. Function: ffi_get_struct_offsets computes each offset. See ffi_cif."
    p = Passage(passage_id="s#0", source="Size.html", score=0.8, text=text, language="en")
    cuts = [0, text.index("Function:"), text.index("See ffi_cif"), len(text)]
    items = [Evidence(n=1, passage=p, start=a, end=b - 1 if b < len(text) else b, score=0.8) for a, b in zip(cuts, cuts[1:])]
    lifted = {j.item.text[:8]: j.lift for j in judge.judge(judge.Question.of("Which libffi function computes the offsets used by ffi_cif?"), items)}
    assert lifts.CODE_NAME_LIFT > 0 and lifted["Function"] == pytest.approx(lifts.CODE_NAME_LIFT)
    assert lifted["libffi a"] == 0.0 and lifted["See ffi_"] == 0.0  # no code name, or only the one the question gives


@pytest.mark.parametrize(
    "question,tools",
    [
        # what the options are for, in the question's language: no tool the documents must name
        ("Dans quel fichier sont définies les options de montage des systèmes de fichiers ?", []), ("Quali opzioni di ricerca ha grep?", []),
        ("¿Qué opciones de búsqueda tiene grep?", []), ("Quelles options d'affichage a ls ?", []),
        # a tool, even a short one that is a word too
        ("Quelle option de tar chiffre l'archive ?", ["tar"]), ("¿Qué opción de tar cifra el archivo?", ["tar"]), ("Quale opzione di sort ordina?", ["sort"]),
        ("Which option of rsync excludes files?", ["rsync"]), ("Which rsync option excludes files?", ["rsync"]), ("Which sort option sorts by number?", ["sort"]),
        # an English word before "option" with another tool named says what the option does
        ("Which sorting option of ls sorts by size?", ["ls"]), ("Which verbose flag does cp have?", ["cp"]), ("Which ignore-case option does grep have?", ["grep"]),
        # the option written between "option" and its tool
        ("¿Qué hace la opción -x de grep?", ["grep"]), ("Was macht die Option -c bei uniq?", ["uniq"]), ("Что делает ключ -n у sort?", ["sort"]),
        ("Welche Option bei großen Dateien?", []), ("What kind of chloroplasts do diatoms have?", []),
    ],
)
def test_a_word_saying_what_an_option_does_names_no_tool(question, tools):
    from rag.answer.options import _named_tools

    assert _named_tools(question, at_end=False) == tools


@pytest.mark.parametrize(
    "question,given",
    [
        ("What does the -h flag of df do?", ["-h"]), ("Что делает ключ -n у sort?", ["-n"]), ("Was macht die Option -c bei uniq?", ["-c"]),
        ("À quoi sert l'option --preserve de cp ?", ["--preserve"]), ("¿Qué hace tail -F?", ["-F"]), ("Cosa fa l'opzione -q di head?", ["-q"]),
        # another question writing an option: the option it writes is not what it asks about
        ("How can tail -f stop by itself once a given process has exited?", []), ("What is the default value of WHEN for ls --color?", []),
        ("Which option of rm -r keeps it on one file system?", []),
    ],
)
def test_a_question_asking_what_an_option_does_gives_that_option(question, given):
    from rag.answer.options import asks_what_option_does

    assert asks_what_option_does(question) == given


def test_the_item_documenting_the_option_a_question_asks_about_is_lifted_in_its_tools_manual():
    from rag.answer import judge, options
    from rag.answer.evidence import Evidence

    assert options.documents("--preserve[=ELENCO_ATTR] preserva gli attributi", {"--preserve"})
    assert not options.documents("-K, --keep  keep it", {"-k"}) and not options.documents("Use -k to keep it.", {"-k"})
    text = "  -h, --human-readable  afficher les tailles en puissances de 1024\n  -H, --si  identique avec un multiple de 1000\n"
    df = Passage(passage_id="df#0", source="df.fr.txt", score=0.8, text=text, language="fr", on_subject=True)
    du = Passage(passage_id="du#0", source="du.de.txt", score=0.8, text="  -h, --human-readable  Größen lesbar ausgeben\n", language="de")
    cut = text.index("  -H")
    items = [Evidence(n=1, passage=df, start=2, end=cut - 1, score=0.8), Evidence(n=1, passage=df, start=cut + 2, end=len(text) - 1, score=0.8),
             Evidence(n=2, passage=du, start=2, end=len(du.text) - 1, score=0.8)]
    lifted = {(j.item.passage.source, j.item.text[:3]): j.lift for j in judge.judge(judge.Question.of("What does the -h flag of df do?"), items)}
    assert lifts.GIVEN_FLAG_LIFT > 0 and lifted[("df.fr.txt", "-h,")] == pytest.approx(lifts.GIVEN_FLAG_LIFT)
    assert lifted[("df.fr.txt", "-H,")] == 0.0 and lifted[("du.de.txt", "-h,")] == 0.0  # another option; another tool's manual


def test_a_help_texts_footer_of_links_and_an_info_pointer_is_boilerplate():
    footer = ("Aide en ligne de GNU coreutils : <https://www.gnu.org/software/coreutils/>\nSignalez les problèmes de traduction à : "
              "<traduc@traduc.org>\nDocumentation complète <https://www.gnu.org/software/coreutils/df>\nou disponible localement via: info '(coreutils) df invocation'")
    assert signals.is_boilerplate(footer) and signals.is_boilerplate("Report bugs to <bug-tar@gnu.org>.")
    assert not signals.is_boilerplate("Send mail to <bug@gnu.org> if the program crashes when run with very large files and you know why.")


def test_a_default_asked_of_a_named_tool_is_lifted_in_its_manual_only():
    from rag.answer import judge
    from rag.answer.evidence import Evidence

    head = Passage(passage_id="h#0", source="head.1.gz", score=0.8, text="Print the first 10 lines of each FILE.", language="en", on_subject=True)
    wget = Passage(passage_id="w#0", source="wget.1.gz", score=0.8, text='With the "default" style each dot represents 1K.', language="en")
    tool = Passage(passage_id="h#1", source="head.1.gz", score=0.8, text="By default, head prints a header for each file.", language="en")
    items = [Evidence(n=i, passage=p, start=0, end=len(p.text), score=0.8) for i, p in enumerate((head, wget, tool), start=1)]
    lifted = {j.item.passage.passage_id: j.lift for j in judge.judge(judge.Question.of("What is the default number of lines head prints?"), items)}
    assert lifted["w#0"] == 0.0 and lifted["h#1"] == pytest.approx(lifts.QUALIFIER_LIFT) and lifted["h#0"] == 0.0


def _scored_quote(text: str, source: str, score: float):
    from types import SimpleNamespace

    return SimpleNamespace(item=SimpleNamespace(text=text, passage=SimpleNamespace(source=source, language="en")), score=score)


def test_a_further_quote_from_another_file_must_repeat_the_first_quotes_answer_or_score_near_it():
    from rag.answer.extractive import corroborating

    q = asked.Question.of("When did Microsoft announce that it would take over the staff of Inflection AI?")
    first = _scored_quote("In March 2024 Microsoft announced that it would take over most of the staff of Inflection AI.", "a.txt", 5.0)
    other_year = _scored_quote("A few months later, early 2023, Nadella hired Mustafa Suleyman to lead Microsoft AI.", "b.txt", 3.5)
    same_year = _scored_quote("Microsoft said in March 2024 that most Inflection AI employees would join it.", "c.txt", 3.0)
    same_file = _scored_quote("Inflection AI was a rival of OpenAI founded by Suleyman in 2022.", "a.txt", 3.2)
    assert corroborating(q, [first, other_year, same_year, same_file]) == [first, same_year, same_file]
    early = _scored_quote("Early 2024, Microsoft hired most of Inflection AI's staff.", "d.txt", 3.0)  # the year, not the month
    russian = _scored_quote("В марте 2024 года Microsoft объявила, что возьмёт большую часть сотрудников Inflection AI.", "e.txt", 3.0)
    assert corroborating(q, [first, early, russian]) == [first, russian]
    rival = _scored_quote(other_year.item.text, "b.txt", 4.5)  # nearly as likely to answer as the first: a rival answer stays
    assert corroborating(q, [first, rival]) == [first, rival]
    who = asked.Question.of("What is the name of the language model Microsoft builds?")  # introduces no name: nothing to repeat
    assert corroborating(who, [first, other_year]) == [first, other_year]


def test_a_further_quote_for_a_person_question_names_the_first_quotes_person_by_surname():
    from rag.answer.extractive import corroborating

    q = asked.Question.of("Who leads Microsoft's new AI group that will build agents and apps?")
    first = _scored_quote("Microsoft announced a new AI group led by Jay Parikh that will build AI agents and apps.", "a.txt", 5.0)
    other = _scored_quote("Mustafa Suleyman, the co-founder of Inflection AI, now leads a new team at Microsoft.", "b.txt", 3.0)
    russian = _scored_quote("Microsoft объявила о создании новой группы под руководством Джея Париха.", "c.txt", 2.0)
    assert corroborating(q, [first, other, russian]) == [first, russian]  # "Джея Париха": the surname, inflected, across scripts


def test_months_are_read_by_number_in_six_languages():
    from rag.answer.quantities import months

    assert months("Im März 2024") == months("в марте 2024 года") == months("12 March 2024") == months("marzo 2024") == {3}
    assert months("в мае") == months("Mai 2023") == {5} and months("Mai 2023 und juin") == {5, 6}
    assert months("début 2024") == months("мал") == months("You may go") == set()


def test_a_person_span_is_a_name_of_two_words_before_an_acronym():
    q = asked.Question.of("Who is leading Microsoft's newly announced AI group that will build agents and apps?")
    sentence = "Pourtant, lorsque Microsoft a annoncé un nouveau groupe IA dirigé par Jay Parikh qui construira des agents et des applications IA."
    assert q.span(sentence, "fr") == "Jay Parikh"  # not "IA", the acronym nearest the question's words
    assert asked.person_shaped(["IA", "Parikh", "OpenAI"]) == ["Parikh"]
    assert asked.person_shaped(["PZPR"]) == ["PZPR"]  # nothing better: the acronym stays


def test_a_name_the_first_quote_introduces_must_be_repeated_by_a_quote_from_another_file():
    from rag.answer.extractive import corroborating

    q = asked.Question.of("What is the name of the language model Microsoft is building in-house?")
    first = _scored_quote("Microsoft is reportedly working on its own LLM called MAI-1.", "a.txt", 5.0)
    context = _scored_quote("Suleyman's team began building a large language model to compete with GPT-4.", "b.txt", 4.9)
    again = _scored_quote("Microsoft travaille sur son propre LLM appelé MAI-1.", "c.txt", 3.0)
    assert corroborating(q, [first, context, again]) == [first, again]  # "MAI-1" is a name, not the number 1
    unnamed = _scored_quote("Microsoft is reportedly working on a language model of its own.", "a.txt", 5.0)
    assert corroborating(q, [unnamed, context]) == [unnamed, context]  # no name introduced: nothing to repeat


def test_a_phone_question_quotes_the_line_with_the_number_first():
    """The sentence naming the person is judged best (as in the notes eval), the number stands in the next one: the
    number's sentence goes first, also as the reranker's single first quote (limit 1); the quotes stay the same. A question
    of another kind keeps the judged order."""
    from dataclasses import replace

    import numpy as np

    from rag import chunk
    from rag.answer.evidence import Evidence
    from rag.answer.extractive import pick
    from rag.answer.judge import assess

    note = "Mme Aubertin (3e gauche) a un double de nos clés. Portable : 06 39 98 27 41. Jamais là le mercredi.\n"
    p = Passage(passage_id="voisin#0", source="voisin.fr.md", score=0.85, text=note, language="fr")
    items = [Evidence(n=1, passage=p, start=a, end=b, score=0.81 - 0.01 * i) for i, (a, b) in enumerate(chunk.sentences(note))]
    basis = {t: row for t, row in zip(("Mme", "Por", "Jam"), np.eye(3))}
    vectors = lambda texts: np.array([basis[t[:3]] for t in texts])  # noqa: E731 (distinct sentences, no near-duplicates)
    for question, kind, first in [("Wie lautet die Handynummer von Frau Aubertin?", "phone", "Portable"), ("Wer hat einen Schlüssel?", "person", "Mme")]:
        judged = assess(question, "de", [p], items).judged
        # the selection as measured on the notes: the name's sentence 1.29, the number's 1.06
        judged = sorted((replace(j, score=1.29 if j.item.text.startswith("Mme") else 1.06 if j.item.text.startswith("Portable") else -2.0) for j in judged), key=lambda j: -j.score)
        assert judged[0].item.text.startswith("Mme")
        quotes = pick(judged, vectors, kind=kind)
        assert quotes[0].item.text.startswith(first) and len(quotes) >= 2, question
        assert pick(judged, vectors, limit=1, kind=kind) == quotes[:1]


@pytest.mark.parametrize(
    "question,second",
    [
        ("Wann und wie viel Kaution habe ich für die Wohnung hinterlegt?", "wie viel Kaution habe ich für die Wohnung hinterlegt?"),
        ("¿Dónde me cambiaron la cámara de la rueda trasera y cuánto pagué?", "cuánto pagué?"),
        ("A chi devo dare i documenti per le tasse, e entro quando?", "quando?"),
        ("Когда OpenAI провела раунд финансирования и сколько она привлекла?", "сколько она привлекла?"),
        ("How much did Microsoft and OpenAI invest?", ""), ("Tom and Jerry", ""),
    ],
)
def test_a_question_asking_two_things_has_a_second_part(question, second):
    assert kinds.second_part(question) == second


def test_a_sentence_answering_both_parts_of_a_two_part_question_is_lifted():
    from rag.answer.evidence import Evidence

    text = "Régularisation des charges une fois par an, en juin. Dépôt de garantie versé le 1er septembre 2022 : 780 €."
    p = Passage(passage_id="loyer#0", source="loyer.fr.md", score=0.8, text=text, language="fr")
    items = [Evidence(n=1, passage=p, start=s, end=e, score=0.8) for s, e in [(0, 52), (53, len(text))]]
    both = lifts.WordingLifts.of(asked.Question.of("Wann und wie viel Kaution habe ich für die Wohnung hinterlegt?"), items)
    assert [both.lift(it) for it in items] == [0.0, pytest.approx(lifts.BOTH_PARTS_LIFT)]
    one = lifts.WordingLifts.of(asked.Question.of("Wann habe ich die Kaution hinterlegt?"), items)
    assert [one.lift(it) for it in items] == [0.0, 0.0]


@pytest.mark.parametrize(
    "question,role,org",
    [("Who is the CEO of Anthropic?", "CEO", "Anthropic"), ("Кто генеральный директор Anthropic?", "CEO", "Anthropic"),
     ("Кто генеральный директор компании Яндекс?", "CEO", "Яндекс"), ("Кто технический директор OpenAI?", "CTO", "OpenAI"),
     ("Кто генеральный директор?", "CEO", ""), ("What Columbia President went to Harvard?", "president", "")],
)
def test_the_organisation_an_office_is_asked_of(question, role, org):
    from rag.answer import attributes

    assert attributes.role_asked(question) == role
    assert attributes.role_of(question, role) == org


def test_a_sentence_naming_the_asked_office_beside_the_organisation_is_lifted():
    from rag.answer.evidence import Evidence

    text = "Marc Benioff, CEO von Salesforce, lachte über die Kluft zwischen Microsoft und OpenAI. Sam Altman, CEO von OpenAI, sprach von einer Bromance."
    p = Passage(passage_id="news#0", source="news.de.txt", score=0.8, text=text, language="de")
    items = [Evidence(n=1, passage=p, start=s, end=e, score=0.8) for s, e in [(0, 86), (87, len(text))]]
    assert items[1].text.startswith("Sam Altman")
    wording = lifts.WordingLifts.of(asked.Question.of("Кто генеральный директор OpenAI?"), items)
    assert [wording.lift(it) for it in items] == [0.0, pytest.approx(lifts.ROLE_LIFT)]
    salesforce = lifts.WordingLifts.of(asked.Question.of("Chi è l'amministratore delegato di Salesforce?"), items)
    assert [salesforce.lift(it) for it in items] == [pytest.approx(lifts.ROLE_LIFT), 0.0]


@pytest.mark.parametrize(
    "question,sentence,same",
    [
        ("Wer unterrichtet am Donnerstag?", "| Четверг | 19:00–20:30 | онлайн (Zoom) | Кьяра Ферри |", True),
        ("Кто ведёт четверговые занятия?", "Le cours du jeudi a lieu en ligne.", True),
        ("Was ist im März passiert?", "В марте 2024 года Microsoft наняла Сулеймана.", True),
        ("Wer unterrichtet am Donnerstag?", "| Вторник | 19:00–20:30 | ауд. 214 | Марко Беллини |", False),
        ("¿Qué pasó en octubre?", "Im November 2023 wurde Altman entlassen.", False),
    ],
)
def test_a_weekday_or_month_matches_its_name_in_any_language(question, sentence, same):
    from rag.answer.evidence import Evidence

    day_or_month = [t for t in signals.key_terms(question) if t.stem.startswith("~")]
    assert len(day_or_month) == 1
    assert signals.Vocabulary.of(sentence).has(day_or_month[0]) is same
    p = Passage(passage_id="n#0", source="n.md", score=0.8, text=sentence, language="ru")
    it = Evidence(n=1, passage=p, start=0, end=len(sentence), score=0.8)
    assert lifts.WordingLifts.of(asked.Question.of(question), [it]).lift(it) == (pytest.approx(lifts.CALENDAR_LIFT) if same else 0.0)


def test_a_password_sentence_naming_which_one_the_question_asks_for_is_lifted():
    """"Wie lautet das WLAN-Passwort für Gäste?": «Guest Wi-Fi …, password visitors-welcome» names the guests (Gäste ~
    Guest, a name across languages) and gives a password; the home network's line gives one for nobody in particular."""
    from rag.answer.evidence import Evidence

    text = 'Wi-Fi "Larkspur-5G", password maple-otter-4417\nGuest Wi-Fi "Larkspur-Guest", password visitors-welcome'
    p = Passage(passage_id="wifi#0", source="wifi.en.md", score=0.8, text=text, language="en")
    cut = text.index("\n")
    items = [Evidence(n=1, passage=p, start=0, end=cut, score=0.83), Evidence(n=1, passage=p, start=cut + 1, end=len(text), score=0.83)]
    wording = lifts.WordingLifts.of(asked.Question.of("Wie lautet das WLAN-Passwort für Gäste?"), items)
    assert [wording.lift(it) for it in items] == [0.0, pytest.approx(lifts.CREDENTIAL_LIFT)] and lifts.CREDENTIAL_LIFT > 0
    plain = lifts.WordingLifts.of(asked.Question.of("Wie lautet das WLAN-Passwort?"), items)  # no word says which
    assert [plain.lift(it) for it in items] == [0.0, 0.0]


@pytest.mark.parametrize(
    "question,kind",
    [
        ("What colour is my car?", "colour"), ("Welche Farbe hat unser Auto?", "colour"), ("De quelle couleur est le badge du garage ?", "colour"),
        ("Di che colore è il foulard per la mamma?", "colour"), ("¿De qué color es el badge del garaje?", "colour"),
        ("Какого цвета мой велосипед?", "colour"), ("What colors was the 2001 ABC logo?", "colour"),
        ("Which color option does grep have?", "option"),  # asks for an option
        ("In what decade did ABC finish transitioning to color?", "other"), ("Wie teuer war die Farbe?", "other"),
    ],
)
def test_a_colour_question_in_six_languages(question, kind):
    assert kinds.kind_of(question)[0] == kind


@pytest.mark.parametrize(
    "sentence,named",
    [
        ("Auto: grauer Octavia Kombi, Kennzeichen HB-KL 482", ["grauer"]), ("Bici da città grigia, telaio 54", ["grigia"]),
        ("foulard di seta verde salvia", ["verde"]), ("Pour le garage, c'est le badge gris.", ["gris"]), ("the blue folder", ["blue"]),
        ("логотип был черно-желтое", ["черно", "желтое"]), ("Это серый велосипед и белая машина", ["серый", "белая"]),
        ("la red ABC y el logotipo negro y amarillo", ["negro", "amarillo"]),  # "la red": the network
        ("Ich weiß es nicht.", []), ("Die Tür ist weiß.", ["weiß"]),  # "ich weiß": I know
        ("серия, сериал, Router: Netvia AX3000", []), ("#ff8800 on #abc", ["#ff8800", "#abc"]),
    ],
)
def test_the_colours_a_sentence_names(sentence, named):
    from rag.answer import colours

    assert colours.named(sentence) == named


def test_a_colour_question_is_refused_when_no_close_sentence_names_a_colour_and_led_by_the_colour_otherwise():
    from rag.answer import prompts

    router = "Router: Netvia AX3000 in the hall cupboard. Admin password is on the sticker underneath."
    assert _assess("What colour is the router?", router).missing == "kind:colour"
    assert prompts.explain("kind:colour", "it") == "Nessuno dei passaggi trovati indica un colore."
    assert prompts.reason("kind:colour") == "no colour in the evidence"
    car = "Auto: grauer Octavia Kombi, Kennzeichen HB-KL 482\nNächster TÜV: Oktober 2025\n"
    assessment = _assess("Welche Farbe hat unser Auto?", car)
    assert assessment.missing == ""
    first = next(j for j in assessment.judged if not j.noise)  # a note's first line names the colour: quotable, not a title
    assert first.item.text.startswith("Auto: grauer") and first.type_ok == 1.0
    assert assessment.question.lead(first.item.text, "de") == "grauer"
    kinds.COLOUR_KIND = False
    kinds.kind_of.cache_clear()
    try:  # without the kind, the same first line is a title and the router question is not refused
        assert _assess("What colour is the router?", router).missing == ""
        assert all(j.noise for j in _assess("Welche Farbe hat unser Auto?", car).judged if j.item.text.startswith("Auto:"))
    finally:
        kinds.COLOUR_KIND = True
        kinds.kind_of.cache_clear()


@pytest.mark.parametrize(
    "sentence,amounts,without",
    [
        ("OpenAI CEO Sam Altman äußerte sich in einem Statement am 17. Oktober gegenüber der Times.", [], ["17"]),  # a day, no age
        ("On October 17, 300 people came.", ["300 people"], ["17", "300 people"]), ("17 октября пришли 300 человек.", ["300"], ["17", "300"]),
        ("Luca (compie 9 anni il 3 ottobre)", ["9"], ["9", "3"]), ("In May 2024, 500 people came.", ["500 people"], ["500 people"]),
    ],
)
def test_the_day_of_a_date_that_names_its_month_is_no_amount(sentence, amounts, without):
    q = asked.Question.of("How many were there?")
    assert q.candidates(sentence, "en") == amounts
    asked.DAYS_OF_DATES = False
    try:
        assert q.candidates(sentence, "en") == without
    finally:
        asked.DAYS_OF_DATES = True


def test_a_short_record_line_with_a_figure_is_quotable_and_a_numbered_section_title_is_a_heading():
    from rag.answer import evidence

    evidence._usable.cache_clear()
    assert evidence._usable("Week 29: Priya") and not evidence._usable("Weeks: Priya")  # 9 letters and a figure; no figure
    assert not evidence._usable("| 1 | 2 | ab |")
    assert signals.is_heading("2.1 ASN.1 syntax") and signals.is_heading("3.2. Systemd-Init")  # a dotted name is no code there
    assert not signals.is_heading("10.5 GB free") and not signals.is_heading("1. Run make install") and not signals.is_heading("2.1 was released.")
    signals.NUMBERED_HEADINGS = False
    try:
        assert not signals.is_heading("2.1 ASN.1 syntax")
    finally:
        signals.NUMBERED_HEADINGS = True


def test_how_many_of_a_group_is_answered_by_a_share():
    q = asked.Question.of("How many of the Scottish electorate would need to vote for it?")
    sentence = "Der Scotland Act 1978 sah vor, dass die Mehrheit der schottischen Wählerschaft am 1. März 1979 dafür stimmte."
    assert q.candidates(sentence, "de") == ["Mehrheit"]  # not the day of «1. März», not the Act's year
    assert asked.Question.of("Wie viele der Mitarbeiter hat Microsoft übernommen?").candidates("den Großteil der Belegschaft", "de") == ["Großteil"]
    assert asked.Question.of("How many employees does OpenAI have?").candidates("The majority of employees signed.", "en") == []  # no "of"
    asked.PARTITIVE = False
    try:
        assert q.candidates(sentence, "de") == []
    finally:
        asked.PARTITIVE = True
