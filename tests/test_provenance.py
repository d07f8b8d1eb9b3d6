"""Provenance completeness: every fact cites a sentence, every sentence is quoted verbatim from the
article, every sentence of the article is quoted, and every quoted sentence is used.

The article (``/work/shared/seed/aesc-article.txt``, next to the project folder) is optional: the
tests that read it skip when it is absent.
"""
from __future__ import annotations

import re

import pytest
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import DCTERMS

from graph import ASSERTED, ONTOLOGY
from graph.iris import KG, SCHEMA

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

CC_BY_SA_4 = URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
ARTICLE_URL = URIRef("https://en.wikipedia.org/wiki/Automotive_Energy_Supply_Corporation")

# Classes whose (asserted) instances must cite at least one kg:SourceSentence.
CITED_CLASSES = ["Stake", "Event", "Plant", "Quantity", "Capacity", "MonetaryAmount", "PlantStatus",
                 "MarketPosition", "Organization", "Product", "Market"]


@pytest.fixture(scope="module")
def asserted(dataset):
    return dataset.graph(ASSERTED)


@pytest.fixture(scope="module")
def sentences(asserted):
    return sorted(asserted.subjects(RDF.type, KG.SourceSentence))


@pytest.fixture(scope="module")
def quotes(asserted, sentences) -> dict[URIRef, str]:
    return {s: str(asserted.value(s, KG.text)) for s in sentences}


def instances(dataset, cls: URIRef) -> set[URIRef]:
    """Asserted instances of ``cls`` or of any of its subclasses (from the ontology graph)."""
    ontology, asserted = dataset.graph(ONTOLOGY), dataset.graph(ASSERTED)
    classes = set(ontology.transitive_subjects(RDFS.subClassOf, cls))
    return {node for c in classes for node in asserted.subjects(RDF.type, c)}


# --- Facts cite sentences ------------------------------------------------------------------------

@pytest.mark.parametrize("name", CITED_CLASSES)
def test_every_instance_cites_a_source_sentence(dataset, asserted, name):
    nodes = instances(dataset, KG[name])
    assert nodes, f"no kg:{name} at all: the test would be vacuous"
    uncited = sorted(n for n in nodes if not list(asserted.objects(n, KG.sourceSentence)))
    assert not uncited


def test_event_subclasses_are_counted(dataset):
    """The subclass walk matters: most events are typed with a subclass of kg:Event only."""
    events = instances(dataset, KG.Event)
    direct = set(dataset.graph(ASSERTED).subjects(RDF.type, KG.Event))
    assert len(events) > len(direct)


def test_citations_point_to_source_sentences(asserted):
    targets = set(asserted.objects(None, KG.sourceSentence))
    assert targets
    assert not [t for t in targets if (t, RDF.type, KG.SourceSentence) not in asserted]


# --- Sentences and the document ------------------------------------------------------------------

@pytest.mark.parametrize("prop", [KG.text, KG.section, KG.inDocument, KG.sentenceIndex],
                         ids=["text", "section", "inDocument", "sentenceIndex"])
def test_every_source_sentence_has(asserted, sentences, prop):
    assert len(sentences) > 50
    lacking = [s for s in sentences if len(list(asserted.objects(s, prop))) != 1]
    assert not lacking


def test_sentence_indexes_are_1_to_n(asserted, sentences):
    indexes = sorted(int(asserted.value(s, KG.sentenceIndex)) for s in sentences)
    assert indexes == list(range(1, len(sentences) + 1))


def test_every_source_sentence_is_cited(asserted, sentences):
    cited = set(asserted.objects(None, KG.sourceSentence))
    assert not [s for s in sentences if s not in cited]


def test_source_document(asserted):
    documents = set(asserted.subjects(RDF.type, KG.SourceDocument))
    assert len(documents) == 1
    document = documents.pop()
    assert (document, DCTERMS.license, CC_BY_SA_4) in asserted
    assert (document, SCHEMA.url, ARTICLE_URL) in asserted
    assert set(asserted.objects(None, KG.inDocument)) == {document}


def test_derived_facts_explain_themselves(asserted):
    derived = set(asserted.subjects(KG.derivation, KG.Derived))
    assert derived, "no derived facts: the test would be vacuous"
    unexplained = [d for d in derived if not str(asserted.value(d, KG.derivationNote) or "").strip()]
    assert not unexplained


# --- The article: verbatim quotes and coverage ---------------------------------------------------

_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:c|ca|e\.g|i\.e|etc|approx|Mr|Mrs|Dr|St|Inc|Corp|Ltd|Co|No|vs)\.)$")


def split_sentences(paragraph: str) -> list[str]:
    """Split prose at '.', '!' or '?' followed by a space and an upper-case letter or a digit,
    but not after an abbreviation ("U.S.", "c.", "e.g.", "Corp.")."""
    pieces, start = [], 0
    for match in re.finditer(r"[.!?][\"')\]]*\s+(?=[A-Z0-9\"'(])", paragraph):
        candidate = paragraph[start:match.start() + 1]
        if _ABBREVIATION.search(candidate):
            continue
        pieces.append(paragraph[start:match.end()].strip())
        start = match.end()
    rest = paragraph[start:].strip()
    return pieces + ([rest] if rest else [])


def article_units(text: str) -> list[tuple[str, str]]:
    """Every ("item", infobox line or list item) and ("prose", sentence) of the article; headings,
    'Source:' lines and empty lines are skipped."""
    units = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line == "Source:" or re.fullmatch(r"=+.*=+", line):
            continue
        if line.startswith("- "):
            units.append(("item", line[2:].strip()))
        else:
            units.extend(("prose", sentence) for sentence in split_sentences(line))
    return units


@pytest.mark.parametrize("paragraph, expected", [
    ("One. Two.", ["One.", "Two."]),
    ("Built at Zama (c.2009) with 13,000 units. Next.", ["Built at Zama (c.2009) with 13,000 units.", "Next."]),
    ("Made in the U.S. Army depot. Then sold.", ["Made in the U.S. Army depot.", "Then sold."]),
    ("It cost c. 5 billion. Really?", ["It cost c. 5 billion.", "Really?"]),
    ("A 2.5 V cell. 3.6 V is more.", ["A 2.5 V cell.", "3.6 V is more."]),
    ('A "super factory". Done.', ['A "super factory".', "Done."]),
    ("Ends without a stop", ["Ends without a stop"]),
], ids=["simple", "c.2009", "U.S.", "c.-space", "decimals", "quotes", "no-stop"])
def test_split_sentences(paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_article_units_handles_headings_lists_and_sources():
    text = "= Title =\n\nLead one. Lead two.\n- Key: value\n==Section==\nSource:\n- Item\n"
    assert article_units(text) == [("prose", "Lead one."), ("prose", "Lead two."),
                                   ("item", "Key: value"), ("item", "Item")]


def _covered(unit: str, texts: list[str]) -> bool:
    """Quoted by one sentence, or made up entirely of quoted sentences (splitting may differ)."""
    if any(unit in text for text in texts):
        return True
    rest = unit
    for text in sorted(texts, key=len, reverse=True):
        rest = rest.replace(text, " ")
    return not re.sub(r"[\s.,;:]+", "", rest)


def test_every_quote_is_verbatim_in_the_article(article_text, quotes):
    missing = {str(s): text for s, text in quotes.items() if text not in article_text}
    assert not missing


def test_quotes_follow_the_article_order(article_text, asserted, quotes):
    position = 0
    for s in sorted(quotes, key=lambda s: int(asserted.value(s, KG.sentenceIndex))):
        found = article_text.find(quotes[s], position)
        assert found >= 0, f"{s} ({quotes[s]!r}) is not found after position {position}"
        position = found + len(quotes[s])


def test_every_sentence_of_the_article_is_quoted(article_text, quotes):
    units = article_units(article_text)
    assert len(units) > 50, "the article splitter found too little"
    texts = list(quotes.values())
    uncovered = [unit for kind, unit in units if kind == "prose" and not _covered(unit, texts)]
    assert not uncovered


def test_every_list_item_and_infobox_line_is_quoted_whole(article_text, quotes):
    """Items are short ("Nissan"): containment would be too lenient, so they must be quoted exactly."""
    items = [unit for kind, unit in article_units(article_text) if kind == "item"]
    assert len(items) > 20
    texts = set(quotes.values())
    assert not [item for item in items if item not in texts]


@pytest.mark.parametrize("unit, expected", [
    ("Trial production at Zama began in mid-2009.", True),
    ("Founded: 2007", True),
    ("Automotive Energy Supply Corporation (AESC)", True),
    ("AESC makes cheese.", False),
])
def test_coverage_check_itself(quotes, unit, expected):
    assert _covered(unit, list(quotes.values())) is expected
