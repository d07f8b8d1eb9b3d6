"""A deterministic generator of synthetic facts in the aesc-kg ontology, for benchmarks and tests.

Each "unit" is one joint venture of two companies with its stakes, validity interval, plant (with
city, region, country, capacities and status), establishment event, monetary amount and source
sentence: about 90 triples that pass the project's SHACL shapes. The same ``(triples, seed)``
gives the same graph, byte for byte once serialised by ``graph.export``.

    python -m benchmarks.synth --triples 100000 --out /tmp/synth   # writes facts.ttl there
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from graph.iris import DEFAULT_BASE, KG, PREFIXES

SYN = Namespace(DEFAULT_BASE + "id/synthetic/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
TRIPLES_PER_UNIT = 84  # measured: the triples one unit adds
YEARS = range(1990, 2031)
STATUSES = (KG.Planned, KG.UnderConstruction, KG.Halted, KG.Operating)
CURRENCIES = ("JPY", "USD", "EUR", "GBP")


def generate(triples: int = 10_000, seed: int = 42) -> Graph:
    """About ``triples`` triples of synthetic facts (whole units, never fewer than one)."""
    rng = random.Random(seed)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("syn", SYN)
    _shared(graph)
    units = max(1, (triples - len(graph)) // TRIPLES_PER_UNIT)
    countries = [SYN[f"country-{n}"] for n in range(max(3, units // 200))]
    for n, country in enumerate(countries):
        _add(graph, country, KG.Country, f"Country {n}")
    for n in range(units):
        _unit(graph, n, rng, countries)
    return graph


def _label(graph: Graph, node, text: str) -> None:
    graph.add((node, RDFS.label, Literal(text, lang="en")))


def _add(graph: Graph, node, cls, text: str, sentence=None) -> None:
    graph.add((node, RDF.type, cls))
    _label(graph, node, text)
    if sentence is not None:
        graph.add((node, KG.sourceSentence, sentence))


def _shared(graph: Graph) -> None:
    doc = SYN["document"]
    _add(graph, doc, KG.SourceDocument, "Synthetic source document")
    graph.add((doc, DCTERMS.license, URIRef("https://creativecommons.org/publicdomain/zero/1.0/")))
    for year in YEARS:
        instant = SYN[f"time-{year}"]
        _add(graph, instant, KG.Instant, str(year))
        graph.add((instant, KG.precision, KG.YearPrecision))
        graph.add((instant, KG.inXSDgYear, Literal(str(year), datatype=XSD.gYear)))
        graph.add((instant, KG.earliest, Literal(f"{year}-01-01", datatype=XSD.date)))
        graph.add((instant, KG.latest, Literal(f"{year}-12-31", datatype=XSD.date)))


def _unit(graph: Graph, n: int, rng: random.Random, countries: list) -> None:
    s = SYN[f"sentence-{n}"]
    graph.add((s, RDF.type, KG.SourceSentence))
    graph.add((s, KG.text, Literal(f"Synthetic sentence number {n}.")))
    graph.add((s, KG.section, Literal("Synthetic")))
    graph.add((s, KG.sentenceIndex, Literal(n + 1)))
    graph.add((s, KG.inDocument, SYN["document"]))
    a, b, jv = SYN[f"company-{n}-a"], SYN[f"company-{n}-b"], SYN[f"jv-{n}"]
    for node, name in ((a, f"Company {n}A"), (b, f"Company {n}B")):
        _add(graph, node, KG.Company, name, s)
    _add(graph, jv, KG.JointVenture, f"Joint venture {n}", s)
    graph.add((jv, KG.hasCustomer, a))
    start = rng.choice(YEARS[:-10])
    end = start + rng.randint(1, 10)
    interval = SYN[f"interval-{n}"]
    _add(graph, interval, KG.Interval, f"{start} to {end}")
    graph.add((interval, KG.hasBeginning, SYN[f"time-{start}"]))
    graph.add((interval, KG.hasEnd, SYN[f"time-{end}"]))
    event = SYN[f"event-{n}"]
    share = rng.randint(1, 99)
    for holder, pct, tag in ((a, share, "a"), (b, 100 - share, "b")):
        stake = SYN[f"stake-{n}-{tag}"]
        _add(graph, stake, KG.Stake, f"Stake {n}{tag.upper()}", s)
        graph.add((stake, KG.holder, holder))
        graph.add((stake, KG.heldCompany, jv))
        graph.add((stake, KG.percentage, Literal(f"{pct}.0", datatype=XSD.decimal)))
        graph.add((stake, KG.validDuring, interval))
        graph.add((stake, KG.startedBy, event))
    _event(graph, n, event, rng, s, a, b, start)
    _plant(graph, n, rng, s, jv, rng.choice(countries), start)


def _event(graph: Graph, n, event, rng, s, a, b, year) -> None:
    _add(graph, event, KG.Establishment, f"Establishment of joint venture {n}", s)
    graph.add((event, KG.date, SYN[f"time-{year}"]))
    graph.add((event, KG.eventStatus, KG.Actual))
    graph.add((event, KG.participant, a))
    graph.add((event, KG.participant, b))
    money = SYN[f"money-{n}"]
    _add(graph, money, KG.MonetaryAmount, f"Capital of joint venture {n}", s)
    graph.add((money, KG.value, Literal(f"{rng.randint(1, 900)}000000.0", datatype=XSD.decimal)))
    graph.add((money, KG.currency, Literal(rng.choice(CURRENCIES))))
    graph.add((event, KG.capital, money))


def _plant(graph: Graph, n, rng, s, jv, country, year) -> None:
    plant, city, region = SYN[f"plant-{n}"], SYN[f"city-{n}"], SYN[f"region-{n}"]
    _add(graph, region, KG.Region, f"Region {n}")
    graph.add((region, KG.locatedIn, country))
    _add(graph, city, KG.City, f"City {n}")
    graph.add((city, KG.locatedIn, region))
    _add(graph, plant, KG.Plant, f"Plant {n}", s)
    graph.add((plant, KG.operator, jv))
    graph.add((plant, KG.city, city))
    graph.add((plant, KG.region, region))
    graph.add((plant, KG.country, country))
    for k, role in enumerate((KG.Initial, KG.Target)):
        capacity = SYN[f"capacity-{n}-{k}"]
        _add(graph, capacity, KG.Capacity, f"Plant {n} capacity {k}", s)
        graph.add((capacity, KG.value, Literal(f"{rng.randint(1, 40)}.0", datatype=XSD.decimal)))
        graph.add((capacity, KG.unit, UNIT["GigaW-HR"]))
        graph.add((capacity, KG.capacityRole, role))
        graph.add((capacity, KG.referenceYear, Literal(str(year + 2 * k), datatype=XSD.gYear)))
        graph.add((plant, KG.capacity, capacity))
    status = SYN[f"status-{n}"]
    _add(graph, status, KG.PlantStatus, f"Plant {n} status", s)
    graph.add((status, KG.statusOf, plant))
    graph.add((status, KG.status, rng.choice(STATUSES)))
    graph.add((status, KG.date, SYN[f"time-{year}"]))
    graph.add((plant, KG.hasStatus, status))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic aesc-kg facts as Turtle.")
    parser.add_argument("--triples", type=int, default=10_000, help="approximate size (default 10000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True, help="folder to write facts.ttl into")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    graph = generate(args.triples, args.seed)
    graph.serialize(args.out / "facts.ttl", format="turtle")
    print(f"wrote {len(graph)} triples to {args.out / 'facts.ttl'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
