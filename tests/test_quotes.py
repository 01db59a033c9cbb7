"""The quote stage on short invented articles: who said what, with spans and resolved speakers."""
from __future__ import annotations

import pytest

from newsgraph.model import Article


def quotes(pipeline, text):
    a = pipeline.analyze(Article(id="q", text=text))
    return a, a.quotes


def content_text(a, q):
    return " ".join(a.text[s.start:s.end] for s in q.content)


def find(a, qs, needle):
    hits = [q for q in qs if needle in content_text(a, q)]
    assert hits, f"no quote containing {needle!r}: {[content_text(a, q) for q in qs]}"
    return hits[0]


def test_direct_quote_with_speaker_after(pipeline):
    a, qs = quotes(pipeline, "\u201cWe will rebuild every school by the spring,\u201d said Mayor Lena Fischer on "
                             "Monday.")
    q = find(a, qs, "We will rebuild every school")
    assert q.kind == "direct"
    assert q.speaker_name == "Lena Fischer"
    assert a.text[q.cue.start:q.cue.end] == "said"


def test_speaker_then_cue_then_direct_quote(pipeline):
    a, qs = quotes(pipeline, "Finance Minister Omar Haddad told reporters: \"The budget will be balanced "
                             "next year.\"")
    q = find(a, qs, "The budget will be balanced")
    assert q.speaker_name == "Omar Haddad"
    assert q.kind == "direct"


def test_indirect_quote_and_pronoun_speaker(pipeline):
    text = ("Prime Minister Sara Lindqvist visited the flooded towns on Friday. "
            "She said the government would pay for new dikes.")
    a, qs = quotes(pipeline, text)
    q = find(a, qs, "the government would pay for new dikes")
    assert q.kind == "indirect"
    assert a.text[q.speaker.start:q.speaker.end] == "She"
    assert q.speaker_name == "Sara Lindqvist"


def test_capital_as_speaker_is_the_state(pipeline):
    a, qs = quotes(pipeline, "Berlin says it is ready to send more aid to the region.")
    q = find(a, qs, "ready to send more aid")
    assert q.speaker_name == "Germany"


def test_mixed_quote(pipeline):
    a, qs = quotes(pipeline, "Senator Paul Reed said the new rules were \u201cdeeply unfair\u201d to farmers.")
    q = find(a, qs, "deeply unfair")
    assert q.kind == "mixed"
    assert q.speaker_name == "Paul Reed"


def test_quote_across_sentences_is_one_quote(pipeline):
    a, qs = quotes(pipeline, "\u201cThe bridge is safe. We checked it twice,\u201d the engineer Tom Hale said.")
    q = find(a, qs, "The bridge is safe")
    assert "We checked it twice" in content_text(a, q)


def test_unbalanced_quote_does_not_swallow_the_article(pipeline):
    text = ("The union leader said \u201cwe will strike on Monday.\n"
            "Shops in the city centre stayed open late on Saturday.\n"
            "Police said traffic was light.")
    a, qs = quotes(pipeline, text)
    for q in qs:
        for s in q.content:
            assert "stayed open late" not in a.text[s.start:s.end]


def test_spans_are_offsets_into_the_text(pipeline):
    a, qs = quotes(pipeline, "\u201cPrices will fall,\u201d the central bank governor said. Analysts said they "
                             "doubted it.")
    assert qs
    for q in qs:
        for s in [*q.content, q.cue] + ([q.speaker] if q.speaker else []):
            assert a.text[s.start:s.end] == s.text
        assert 0.0 <= q.confidence <= 1.0


@pytest.mark.parametrize("text", ["\u201c", "\"\"\"", "said said said", "\u201cHe said \u201d she said \u201c"])
def test_odd_quote_marks_never_crash(pipeline, text):
    a, qs = quotes(pipeline, text)
    assert isinstance(qs, list)


def test_quote_running_over_paragraphs(pipeline):
    text = ("\u201cWe have waited ten years for this road,\u201d said council leader Maria Lopez. \u201cThe "
            "villages in the valley have been cut off every winter.\n"
            "\u201cNow the ambulances will get through.\u201d\n"
            "The road opens in May.")
    a, qs = quotes(pipeline, text)
    q = find(a, qs, "villages in the valley")
    assert "ambulances will get through" in content_text(a, q)
    assert "The road opens in May" not in content_text(a, q)


def test_relative_pronoun_speaker_is_its_antecedent(pipeline):
    a, qs = quotes(pipeline, "Farmers, who said the offer was too low, walked out of the talks.")
    q = find(a, qs, "the offer was too low")
    assert q.speaker_name == "Farmers"


def test_organization_speaker_through_the_company(pipeline):
    a, qs = quotes(pipeline, "Shares in Volvo rose on Monday. The company said profits had doubled.")
    q = find(a, qs, "profits had doubled")
    assert q.speaker_name == "Volvo"


def test_unresolved_pronoun_speaker_has_no_name(pipeline):
    a, qs = quotes(pipeline, "It said the plan would fail.")
    for q in qs:
        assert q.speaker_name != "It"


def test_attitude_without_a_proposition_is_not_a_quote(pipeline):
    a = pipeline.analyze(Article(id="q", text="Governor Maria Lopez on Tuesday praised the new harbour "
                                                "authority. She said the harbour would reopen in May."))
    assert all("harbour authority" not in content_text(a, q) for q in a.quotes)
    att = [q for q in a.attitudes if "harbour authority" in content_text(a, q)]
    assert att and att[0].kind == "attitude" and att[0].speaker_name == "Maria Lopez"
    q = find(a, a.quotes, "the harbour would reopen")
    assert q.kind == "indirect" and q.speaker_name == "Maria Lopez"


def test_saying_a_noun_phrase_stays_a_quote(pipeline):
    a = pipeline.analyze(Article(id="q", text="The ministry announced a ceasefire in the northern "
                                                "valley on Friday."))
    assert all("ceasefire" not in content_text(a, q) for q in a.attitudes)
    assert find(a, a.quotes, "a ceasefire").kind == "indirect"


def test_quote_regions_where_paragraph_breaks_were_lost():
    from newsgraph.stages.entities.mentions import quoted_regions
    text = ('Mr Berg said costs would rise. "If we wait, it gets worse. "We must act now," he said. '
            'Ms Ode said it "looked fine".')
    regions = [text[a:b] for a, b in quoted_regions(text)]
    assert regions == ['"If we wait, it gets worse.', '"We must act now,', '"looked fine']


def test_quote_over_joined_paragraphs_is_direct_and_whole(pipeline):
    text = ('Mayor Ana Ruiz said the bridge would reopen. "The repairs took longer than we hoped. '
            '"We are sorry for the delays," she said. The council said it "regretted the cost".')
    a, qs = quotes(pipeline, text)
    whole, mixed = find(a, qs, "We are sorry"), find(a, qs, "regretted the cost")
    assert (whole.kind, mixed.kind) == ("direct", "mixed")
    assert "The repairs took longer" in content_text(a, whole)


def _roles_of(pipeline, text, cue_word, speaker_words):
    """A parsed invented sentence and the token ranges of a cue word and a would-be speaker."""
    from newsgraph.stages.quotes.features import doc_info
    doc = pipeline.nlp(text)
    info = doc_info(doc)
    cue = next(t.i for t in doc if t.text == cue_word)
    words = speaker_words.split()
    start = next(t.i for t in doc if [x.text for x in doc[t.i:t.i + len(words)]] == words)
    return info, range(cue, cue + 1), range(start, start + len(words))


@pytest.mark.parametrize("text, cue, speaker", [
    ("In the current year, said the report, exports would fall.", "said", "the current year"),
    ("Exports, 21 said, would fall.", "said", "21"),
    ("Exports , said , would fall .", "said", ","),
])
def test_punctuation_numbers_and_dates_are_no_speakers(pipeline, text, cue, speaker):
    from newsgraph.stages.quotes import _possible_speaker
    info, cue_r, spk = _roles_of(pipeline, text, cue, speaker)
    assert _possible_speaker(info, cue_r, spk, pipeline.knowledge) == (None, True)


def test_people_and_passive_subjects_as_speakers(pipeline):
    from newsgraph.stages.quotes import _possible_speaker
    kb = pipeline.knowledge
    info, cue, spk = _roles_of(pipeline, "Prime Minister Theresa May said exports would fall.", "said",
                               "Prime Minister Theresa May")
    assert _possible_speaker(info, cue, spk, kb) == (spk, False)
    info, cue, spk = _roles_of(pipeline, "The summit is expected to end without a deal.", "expected", "The summit")
    assert _possible_speaker(info, cue, spk, kb) == (None, False)    # what is expected, not who expects


def test_reported_actions_are_attitudes_not_quotes(pipeline):
    a = pipeline.analyze(Article(id="q", text="The band filmed a video in the prison, angering a warden who says "
                                                "he was tricked into letting the crews in. Nordtek and Valmo have "
                                                "released limited data about the new chip that will power the phone."))
    assert all("tricked" not in content_text(a, q) or q.cue.text == "says" for q in a.quotes)
    assert all("new chip" not in content_text(a, q) for q in a.quotes)
    assert {q.cue.text for q in a.attitudes} >= {"angering"}
    assert find(a, a.quotes, "he was tricked").speaker_name == "warden"


def test_thoughts_need_a_thinker_and_questions_an_answer(pipeline):
    a = pipeline.analyze(Article(id="q", text="The figures assume all students will vote in their home town. "
                                                "The new console is expected to sell well in Japan. The company "
                                                "has not said how the merger would affect jobs. Analysts believe "
                                                "the merger will cut costs."))
    for words in ("all students will vote", "sell well in Japan", "how the merger would affect"):
        assert all(words not in content_text(a, q) for q in a.quotes)
        assert any(words in content_text(a, q) for q in a.attitudes)
    assert find(a, a.quotes, "the merger will cut costs").speaker_name == "Analysts"


@pytest.mark.parametrize("text", ['According to Gartner, "prices will rise by 21% next year."',
                                  '"Prices will rise by 21% next year," according to Gartner.',
                                  "Prices will rise by 21% next year, according to Gartner."])
def test_according_to_is_indirect(pipeline, text):
    a, qs = quotes(pipeline, text)
    q = find(a, qs, "rise by 21%")
    assert (q.kind, q.speaker_name) == ("indirect", "Gartner")


def test_a_quote_in_a_repeated_sentence_is_marked_and_counted_once(pipeline, tmp_path):
    from newsgraph.store import Store
    text = ("Mayor Ana Ruiz said the old bridge would reopen in May. Traffic was heavy in the town on Monday. "
            "Mayor Ana Ruiz said the old bridge would reopen in May.")
    a = pipeline.analyze(Article(id="rep", text=text))
    tellings = [q for q in a.quotes if "bridge would reopen" in content_text(a, q)]
    assert len(tellings) == 2                          # both tellings stay in the analysis, as evidence
    first, later = tellings
    assert first.repeat_of is None and later.repeat_of == a.quotes.index(first)
    assert a.to_dict()["quotes"][a.quotes.index(later)]["repeat_of"] == a.quotes.index(first)
    with Store(tmp_path / "rep.db") as store:
        store.write([a])
        rows = [r for r in store.quotes() if "bridge would reopen" in r["content_text"]]
        assert len(rows) == 1 and rows[0]["idx"] == a.quotes.index(first)
        assert store.stats()["quotes"] == len(a.quotes) - 1
        assert store.conn.execute("SELECT repeat_of FROM quotes WHERE idx = ?",
                                  (a.quotes.index(later),)).fetchone()[0] == a.quotes.index(first)
        assert store.conn.execute("SELECT n_quotes FROM article_summary").fetchone()[0] == len(a.quotes) - 1


def test_each_attribution_keeps_its_own_content(pipeline):
    text = ('Dr Lena Berg, editor of the magazine Tech Week, said the phone would appeal to young buyers. '
            '"They want a phone that lasts." Berg added: "The price is right. "It will sell well in the spring."')
    a, qs = quotes(pipeline, text)
    said, added = find(a, qs, "appeal to young buyers"), find(a, qs, "The price is right")
    assert "They want a phone that lasts" in content_text(a, said)       # a quote with no cue goes on
    assert "They want a phone" not in content_text(a, added)              # ... with the attribution before it
    assert "appeal to young" not in content_text(a, added) and "price is right" not in content_text(a, said)


def test_a_title_glued_to_the_lead_is_no_quote(pipeline):
    text = ("Council urges bridge repair plan New repairs are needed to keep the old bridge open, the town "
            "council has told ministers. The work would take a year, it said.")
    a, qs = quotes(pipeline, text)
    assert all("urges" not in q.cue.text for q in qs + a.attitudes)
    q = find(a, qs, "New repairs are needed")
    assert content_text(a, q).startswith("New repairs") and q.speaker.text == "the town council"


@pytest.mark.parametrize("text, lead", [
    ("Microsoft seeking spyware trojan Microsoft is investigating a trojan program that steals passwords.",
     "Microsoft is investigating"),
    ("Rapper films music video in jail A US rapper awaiting trial has filmed a video behind bars.", "A US rapper"),
    ("Tony Blair said The Conservatives would lose the next election by a wide margin.", None),
    ("Shares in the company rose sharply on Monday after the results were published.", None),
])
def test_title_glued_to_the_lead(pipeline, text, lead):
    from newsgraph.stages.quotes.features import doc_info, fused_title_end
    doc = pipeline.nlp(text)
    k = fused_title_end(doc_info(doc, [(0, len(text))]))
    assert (doc[k:].text.startswith(lead) if lead else k == 0)


def test_a_quotation_with_no_cue_goes_on_with_the_quote_before_it(pipeline):
    text = ('After the meeting, Mr Berg said closing shops for a day did not make an impact. "If you close for '
            'a day, nobody notices. "We need stronger powers." The council will meet in May.')
    a, qs = quotes(pipeline, text)
    q = find(a, qs, "did not make an impact")
    assert "nobody notices" in content_text(a, q) and "stronger powers" in content_text(a, q)
    assert "council will meet" not in content_text(a, q) and q.kind == "mixed"


def test_passive_cues_speak_through_their_agent(pipeline):
    a = pipeline.analyze(Article(id="q", text='The new phone was described by Ms Ode as "the best phone we have '
                                                'made". With Lee injured, Parker is expected to play at centre.'))
    q = find(a, a.quotes, "the best phone")
    assert content_text(a, q) == "the best phone we have made" and q.speaker_name == "Ode"
    assert all("play at centre" not in content_text(a, x) for x in a.quotes)
    assert all(x.speaker is None for x in a.attitudes if "play at centre" in content_text(a, x))


def test_a_stray_closing_mark_opens_no_quotation():
    from newsgraph.stages.entities.mentions import quoted_regions
    text = 'Exports can hurt small firms", a spokesman said. "We think the case is weak," said Mr Gooch.'
    assert [text[a:b] for a, b in quoted_regions(text)] == ['"We think the case is weak,']


def test_a_thought_with_no_clause_is_an_intention(pipeline):
    a = pipeline.analyze(Article(id="q", text="The club hopes to sign two new players in January. The manager "
                                                "believes the team can win the league."))
    assert any("to sign two new players" in content_text(a, q) for q in a.attitudes)
    assert all("to sign two new players" not in content_text(a, q) for q in a.quotes)
    assert find(a, a.quotes, "the team can win").speaker_name == "manager"
