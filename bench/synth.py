"""A deterministic synthetic Dyad corpus of any size, for the benchmark only.

`make_corpus(out_dir, n_events, seed=…)` writes `dyad.yaml` (7 tracks, as_of) and N events, N/40 entities
(people, countries, organizations, agreements, initiatives), N/4 sources, four series (exports, imports, their
derived balance, an irregular tariff rate), N/100 commitments. Event bodies are 100–400 words of Markdown with
record links (`event:`, `person:`, …), some lists, tables and footnotes; dates run from 1990 to 2026 at day,
month and year precision. Every name is fictional ("Person 0042", "Country 007"): this corpus is never published.

The same (n_events, seed) always gives byte-identical files, and the corpus passes `generator.pipeline.check`
with no errors and no warnings.

    python -m bench.synth OUT_DIR N [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AS_OF = dt.date(2026, 11, 30)
FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)
# The track ids of content/dyad.yaml, so the ```dyad blocks of site_src/ that filter by track still resolve.
TRACKS = [("diplomacy", "Diplomacy", 30), ("quad", "The group", 8), ("trade", "Trade and tariffs", 22),
          ("defence", "Defence", 16), ("technology", "Technology", 12), ("civil-nuclear", "Civil nuclear", 7),
          ("critical-minerals", "Critical minerals", 5)]
ORG_TYPES = ["government", "ministry", "agency", "legislature", "court", "military", "company", "multilateral",
             "think-tank", "other"]
SOURCE_KINDS = ["government", "news", "news", "news", "dataset", "analysis", "reference", "social"]
ROLES = ["Foreign Minister", "Trade Minister", "Defence Minister", "Head of Government", "Ambassador",
         "National Security Adviser", "Commerce Secretary", "Chief Negotiator", "Envoy", "Deputy Minister"]
WORDS = ("agreement talks minister delegation framework cooperation review tariff quota export import market "
         "access supply chain partnership dialogue summit visit statement communique joint working group "
         "committee secretariat council session round negotiation proposal draft text clause annex schedule "
         "commitment target deadline timeline progress report assessment analysis figure estimate value volume "
         "growth decline increase reduction balance deficit surplus investment fund project programme initiative "
         "mechanism channel forum platform meeting conference workshop seminar briefing press conference "
         "announcement decision order notice regulation rule standard procedure review panel dispute settlement "
         "consultation request response reply letter memorandum understanding protocol exchange note visit tour "
         "port harbour airport corridor railway road bridge pipeline grid plant reactor mine mineral battery "
         "semiconductor software network satellite launch vehicle aircraft vessel exercise drill patrol training "
         "officer staff student researcher engineer worker farmer trader firm company bank insurer exporter "
         "importer producer consumer household region province district city capital border coast island "
         "river valley plain highland weather season harvest crop grain rice wheat cotton textile steel aluminium "
         "copper lithium cobalt nickel gas oil coal solar wind hydrogen nuclear fuel power energy water health "
         "vaccine medicine hospital school university visa permit licence quota tariff duty levy tax rebate "
         "subsidy loan grant credit guarantee bond currency rate index price cost wage income revenue budget "
         "spending plan strategy policy law bill act amendment vote hearing inquiry audit").split()
CONNECTORS = ["and", "while", "after", "before", "because", "although", "as", "so that", "when", "where", "with"]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def iso(date: dt.date, precision: str) -> str:
    if precision == "year":
        return f"{date.year:04d}"
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


@dataclass
class EventPlan:
    index: int
    id: str
    date: dt.date
    precision: str
    title: str
    suffix: str  # ".yaml" or ".md"


@dataclass
class Plan:
    """Every id, chosen before any file is written, so files can link to one another."""

    countries: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)
    initiatives: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    commitments: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    events: list[EventPlan] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)


class Writer:
    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.files = 0
        self.bytes = 0

    def write(self, folder: str, name: str, text: str) -> Path:
        path = self.root / folder / name if folder else self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        self.files += 1
        self.bytes += len(data)
        return path


# ---------------------------------------------------------------------------------------------------- text


def sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    if len(words) > 8 and rng.random() < 0.5:
        words.insert(rng.randint(3, len(words) - 3), rng.choice(CONNECTORS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def sentences(rng: random.Random, count: int) -> str:
    return " ".join(sentence(rng) for _ in range(count))


def cite(rng: random.Random, plan: Plan, first: str | None = None, most: int = 3) -> list[str]:
    """A YAML list of citations: ids, some with a locator or quote."""
    chosen = [first] if first else []
    for _ in range(rng.randint(0 if first else 1, most - 1 if first else most)):
        pick = rng.choice(plan.sources)
        if pick not in chosen:
            chosen.append(pick)
    items = []
    for source in chosen:
        roll = rng.random()
        if roll < 0.25:
            items.append(f"{{id: {source}, locator: {q('para ' + str(rng.randint(1, 40)))}}}")
        elif roll < 0.32:
            items.append(f"{{id: {source}, locator: {q('p. ' + str(rng.randint(1, 300)))}, "
                         f"quote: {q(sentence(rng, 6, 12))}}}")
        else:
            items.append(source)
    return items


def citation_block(key: str, items: list[str], indent: str = "") -> list[str]:
    if all(not item.startswith("{") for item in items):
        return [f"{indent}{key}: [{', '.join(items)}]"]
    return [f"{indent}{key}:"] + [f"{indent}  - {item}" for item in items]


def link(plan: Plan, kind: str, target: str, text: str | None = None) -> str:
    return f"[{text or plan.names.get(target, target)}]({kind}:{target})"


def body(rng: random.Random, plan: Plan, self_id: str) -> str:
    """100–400 words of Markdown: paragraphs with record links, sometimes a list, a table or a footnote."""
    target_words = rng.randint(100, 400)
    blocks: list[str] = []
    words = 0
    links: list[str] = []
    for _ in range(rng.randint(1, 4)):
        other = rng.choice(plan.events)
        if other.id != self_id:
            links.append(link(plan, "event", other.id, other.title))
    links.append(link(plan, "person", rng.choice(plan.people)))
    if rng.random() < 0.5:
        links.append(link(plan, "organization", rng.choice(plan.organizations)))
    if rng.random() < 0.3:
        kind = "agreement" if rng.random() < 0.6 else "initiative"
        links.append(link(plan, kind, rng.choice(plan.agreements if kind == "agreement" else plan.initiatives)))
    if rng.random() < 0.2:
        links.append(link(plan, "country", rng.choice(plan.countries)))
    if rng.random() < 0.25:
        links.append(f"[the published text](https://example.org/documents/{rng.randint(1, 99999)})")
    footnote = rng.random() < 0.06
    while words < target_words:
        roll = rng.random()
        if roll < 0.12 and words > 40:
            items = [sentence(rng, 4, 10).rstrip(".") for _ in range(rng.randint(3, 5))]
            if links and rng.random() < 0.5:
                items[0] = links.pop() + ": " + items[0]
            blocks.append("\n".join(f"- {item}" for item in items))
            words += sum(len(item.split()) for item in items)
        elif roll < 0.18 and words > 40:
            rows = [f"| {rng.randint(1990, 2026)} | {rng.choice(WORDS)} {rng.choice(WORDS)} | "
                    f"{rng.randint(1, 9999) / 10:.1f} |" for _ in range(rng.randint(3, 5))]
            blocks.append("| Year | Item | Value |\n| --- | --- | ---: |\n" + "\n".join(rows))
            words += 4 * len(rows)
        else:
            parts = [sentence(rng) for _ in range(rng.randint(2, 5))]
            if links:
                at = rng.randrange(len(parts))
                parts[at] = parts[at][:-1] + f", as {links.pop()} put it."
            if rng.random() < 0.2:
                at = rng.randrange(len(parts))
                parts[at] = f"**{parts[at][:-1]}**."
            paragraph = " ".join(parts)
            if footnote:
                paragraph += "[^1]"
            blocks.append(paragraph)
            words += len(paragraph.split())
    for leftover in links:
        blocks.append(f"See also {leftover}.")
    if footnote:
        blocks.append(f"[^1]: {sentence(rng, 6, 12)}")
    return "\n\n".join(blocks) + "\n"


def yaml_body(text: str) -> list[str]:
    return ["body: |"] + [f"  {line}" if line else "" for line in text.rstrip("\n").split("\n")]


def random_day(rng: random.Random, start: dt.date = FIRST_DAY, end: dt.date = LAST_DAY) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


# ---------------------------------------------------------------------------------------------------- records


def plan_corpus(rng: random.Random, n_events: int) -> Plan:
    plan = Plan()
    entities = max(10, n_events // 40)
    n_countries = max(2, entities // 8)
    n_people = max(2, entities * 4 // 10)
    n_orgs = max(2, entities // 4)
    n_agreements = max(1, entities * 15 // 100)
    n_initiatives = max(1, entities - n_countries - n_people - n_orgs - n_agreements)
    for i in range(n_countries):
        plan.countries.append(f"country-{i + 1:03d}")
        plan.names[plan.countries[-1]] = f"Country {i + 1:03d}"
    for i in range(n_people):
        plan.people.append(f"person-{i + 1:04d}")
        plan.names[plan.people[-1]] = f"Person {i + 1:04d}"
    for i in range(n_orgs):
        plan.organizations.append(f"organization-{i + 1:04d}")
        plan.names[plan.organizations[-1]] = f"Organization {i + 1:04d}"
    for i in range(n_agreements):
        plan.agreements.append(f"agreement-{i + 1:04d}")
        plan.names[plan.agreements[-1]] = f"Agreement {i + 1:04d}"
    for i in range(n_initiatives):
        plan.initiatives.append(f"initiative-{i + 1:04d}")
        plan.names[plan.initiatives[-1]] = f"Initiative {i + 1:04d}"
    for i in range(max(20, n_events // 4)):
        plan.sources.append(f"source-{i + 1:05d}")
    for i in range(max(3, n_events // 100)):
        plan.commitments.append(f"commitment-{i + 1:04d}")
        plan.names[plan.commitments[-1]] = f"Commitment {i + 1:04d}"
    plan.series = ["exports-a-to-b", "imports-a-from-b", "balance-a-with-b", "tariff-b-on-a"]
    for i in range(n_events):
        day = random_day(rng)
        roll = rng.random()
        precision = "day" if roll < 0.85 else "month" if roll < 0.95 else "year"
        event_id = f"{iso(day, precision)}-event-{i + 1:05d}"
        who = rng.choice(plan.people)
        title = (f"Event {i + 1:05d}: {plan.names[who]} {rng.choice(['meets', 'visits', 'addresses', 'signs with'])} "
                 f"{plan.names[rng.choice(plan.countries + plan.organizations)]} on {rng.choice(WORDS)} "
                 f"{rng.choice(WORDS)}")
        plan.events.append(EventPlan(i, event_id, day, precision, title, ".md" if rng.random() < 0.3 else ".yaml"))
    return plan


def write_config(w: Writer, plan: Plan) -> None:
    lines = ["# A synthetic corpus for Dyad's benchmark: every name in it is invented.",
             "title: Country 001–Country 002 relations (synthetic benchmark corpus)",
             "description: A generated corpus for measuring Dyad's speed; nothing in it is true.",
             f"focus: [{plan.countries[0]}, {plan.countries[1]}]",
             f"as_of: {AS_OF.isoformat()}",
             "edit_url: https://example.org/edit/main/content/",
             "tracks:"]
    for track_id, title, _ in TRACKS:
        lines.append(f"  - {{id: {track_id}, title: {q(title)}, description: {q(title + ' between the two.')}}}")
    w.write("", "dyad.yaml", "\n".join(lines) + "\n")


def write_sources(w: Writer, rng: random.Random, plan: Plan) -> None:
    for i, source_id in enumerate(plan.sources):
        published = random_day(rng)
        lines = [f"title: {q('Report ' + str(i + 1) + ': ' + sentence(rng, 4, 9).rstrip('.'))}",
                 f"publisher: {q('Publisher ' + str(rng.randint(1, 60)).zfill(2))}",
                 f"url: https://example.org/sources/{source_id}",
                 f"kind: {rng.choice(SOURCE_KINDS)}",
                 f"published: {iso(published, rng.choice(['day', 'day', 'day', 'month', 'year']))}"]
        if rng.random() < 0.5:
            lines.append(f"accessed: {random_day(rng, published, AS_OF).isoformat()}")
        if rng.random() < 0.2:
            lines.append(f"author: {q('Wire ' + str(rng.randint(1, 9)))}")
        if rng.random() < 0.1:
            lines.append(f"copy_url: https://example.org/mirror/{source_id}")
            lines.append(f"note: {q(sentence(rng, 6, 14))}")
        w.write("sources", f"{source_id}.yaml", "\n".join(lines) + "\n")


def write_countries(w: Writer, rng: random.Random, plan: Plan) -> None:
    for i, country in enumerate(plan.countries):
        lines = [f"name: {q(plan.names[country])}", f"iso: {chr(65 + i // 26 % 26)}{chr(65 + i % 26)}"]
        if rng.random() < 0.7:
            lines.append(f"description: {q(sentence(rng, 10, 20))}")
            lines += citation_block("sources", cite(rng, plan))
        w.write("countries", f"{country}.yaml", "\n".join(lines) + "\n")


def write_organizations(w: Writer, rng: random.Random, plan: Plan) -> None:
    for i, org in enumerate(plan.organizations):
        lines = [f"name: {q(plan.names[org])}", f"type: {rng.choice(ORG_TYPES)}",
                 f"country: {rng.choice(plan.countries)}", f"description: {q(sentence(rng, 10, 24))}"]
        if i > 0 and rng.random() < 0.2:
            lines.append(f"parent: {plan.organizations[rng.randrange(i)]}")
        if rng.random() < 0.6:
            lines.append(f"url: https://example.org/org/{org}")
        lines += citation_block("sources", cite(rng, plan))
        w.write("organizations", f"{org}.yaml", "\n".join(lines) + "\n")


def write_people(w: Writer, rng: random.Random, plan: Plan) -> None:
    for person in plan.people:
        lines = [f"name: {q(plan.names[person])}", f"country: {rng.choice(plan.countries)}",
                 f"description: {q(sentence(rng, 10, 24))}"]
        if rng.random() < 0.3:
            lines.append(f"aliases: [{q(plan.names[person].replace('Person', 'P.'))}]")
        lines.append("roles:")
        start = random_day(rng, dt.date(1985, 1, 1), dt.date(2020, 12, 31))
        for _ in range(rng.randint(1, 3)):
            end = start + dt.timedelta(days=rng.randint(200, 2000))
            holder = rng.choice(plan.organizations + plan.countries)
            role = [f"  - title: {q(rng.choice(ROLES))}", f"    organization: {holder}", f"    from: {start.isoformat()}"]
            if end < AS_OF and rng.random() < 0.7:
                role.append(f"    to: {end.isoformat()}")
            role += citation_block("sources", cite(rng, plan, most=2), "    ")
            lines += role
            start = min(end + dt.timedelta(days=rng.randint(1, 400)), AS_OF - dt.timedelta(days=1))
        lines += citation_block("sources", cite(rng, plan))
        w.write("people", f"{person}.yaml", "\n".join(lines) + "\n")


def write_agreements(w: Writer, rng: random.Random, plan: Plan) -> None:
    for agreement in plan.agreements:
        at = rng.choice(plan.events)
        signed = iso(at.date, at.precision)
        lines = [f"name: {q(plan.names[agreement])}", f"description: {q(sentence(rng, 10, 24))}",
                 f"signed: {signed}", f"signed_at: {at.id}"]
        in_force = at.date + dt.timedelta(days=rng.randint(400, 800))  # after any precision's last day
        if in_force <= AS_OF:
            lines.append(f"in_force: {in_force.isoformat()}")
            ended = in_force + dt.timedelta(days=rng.randint(300, 4000))
            if ended <= AS_OF and rng.random() < 0.15:
                lines.append(f"ended: {ended.isoformat()}")
        parties = rng.sample(plan.countries, 2) + ([rng.choice(plan.organizations)] if rng.random() < 0.2 else [])
        lines.append(f"parties: [{', '.join(dict.fromkeys(parties))}]")
        lines.append(f"signatories: [{', '.join(rng.sample(plan.people, min(2, len(plan.people))))}]")
        lines.append(f"tracks: [{rng.choice(TRACKS)[0]}]")
        lines += citation_block("sources", cite(rng, plan))
        if rng.random() < 0.5:
            lines += yaml_body(body(rng, plan, agreement))
        w.write("agreements", f"{agreement}.yaml", "\n".join(lines) + "\n")


def write_initiatives(w: Writer, rng: random.Random, plan: Plan) -> None:
    for i, initiative in enumerate(plan.initiatives):
        launched = random_day(rng, FIRST_DAY, dt.date(2024, 12, 31))
        lines = [f"name: {q(plan.names[initiative])}", f"description: {q(sentence(rng, 10, 24))}",
                 f"launched: {iso(launched, rng.choice(['day', 'month', 'year']))}"]
        members = rng.sample(plan.countries, min(len(plan.countries), rng.randint(2, 4)))
        if rng.random() < 0.3:
            members.append(rng.choice(plan.organizations))
        lines.append(f"members: [{', '.join(members)}]")
        if i > 0 and rng.random() < 0.2:
            lines.append(f"preceded_by: {plan.initiatives[i - 1]}")
        lines.append(f"tracks: [{rng.choice(TRACKS)[0]}]")
        lines += citation_block("sources", cite(rng, plan))
        w.write("initiatives", f"{initiative}.yaml", "\n".join(lines) + "\n")


def write_commitments(w: Writer, rng: random.Random, plan: Plan) -> None:
    for commitment in plan.commitments:
        made = rng.choice(plan.events)
        made_day = dt.date(made.date.year, made.date.month if made.precision != "year" else 12,
                           made.date.day if made.precision == "day" else 28)
        lines = [f"title: {q(plan.names[commitment] + ': ' + sentence(rng, 3, 6).rstrip('.'))}",
                 f"summary: {q(sentence(rng, 12, 24))}", f"made_on: {made.id}",
                 f"made_by: [{plan.countries[0]}, {plan.countries[1]}]",
                 f"target: {made.date.year + rng.randint(2, 10)}", f"tracks: [{rng.choice(TRACKS)[0]}]", "status:"]
        when = min(made_day, AS_OF)
        statuses = ["announced", "in-progress", "in-progress", "delivered", "partly-delivered", "stalled",
                    "abandoned"]
        for step in range(rng.randint(1, 3)):
            status = "announced" if step == 0 else rng.choice(statuses[1:])
            entry = f"  - {{date: {when.isoformat()}, status: {status}, sources: [{rng.choice(plan.sources)}]"
            if step and rng.random() < 0.5:
                entry += f", note: {q(sentence(rng, 6, 12))}"
            lines.append(entry + "}")
            when = min(when + dt.timedelta(days=rng.randint(30, 900)), AS_OF)
        lines += citation_block("sources", cite(rng, plan))
        w.write("commitments", f"{commitment}.yaml", "\n".join(lines) + "\n")


def write_series(w: Writer, rng: random.Random, plan: Plan) -> None:
    a, b = plan.countries[0], plan.countries[1]
    marks = [e.id for e in rng.sample(plan.events, min(3, len(plan.events)))]
    for series_id, title, flow, reporter, partner in (
            ("exports-a-to-b", "Country 001 goods exports to Country 002", "exports", a, b),
            ("imports-a-from-b", "Country 001 goods imports from Country 002", "imports", a, b)):
        value = rng.uniform(5, 20)
        lines = [f"title: {q(title)}", "unit: USD bn", "frequency: year", f"reporter: {reporter}",
                 f"partner: {partner}", f"flow: {flow}", "basis: Customs basis, calendar year",
                 "tracks: [trade]", f"events: [{', '.join(marks)}]", "points:"]
        for year in range(1990, 2026):
            value = max(0.5, value * rng.uniform(0.9, 1.15))
            lines.append(f"  - {{period: {year}, value: {value:.3f}, source: {rng.choice(plan.sources)}}}")
        w.write("series", f"{series_id}.yaml", "\n".join(lines) + "\n")
    w.write("series", "balance-a-with-b.yaml", "\n".join([
        "title: Country 001 goods trade balance with Country 002", "unit: USD bn", "frequency: year",
        f"reporter: {a}", f"partner: {b}", "flow: balance",
        "derived: {op: difference, of: [exports-a-to-b, imports-a-from-b]}"]) + "\n")
    lines = ["title: Country 002 tariff on Country 001 goods", "unit: percent", "frequency: irregular", "flow: rate",
             f"reporter: {b}", f"partner: {a}", "points:"]
    days = sorted({random_day(rng, dt.date(1995, 1, 1), dt.date(2026, 6, 30)) for _ in range(14)})
    for day in days:
        point = f"  - {{period: {day.isoformat()}, value: {rng.choice([0, 2.5, 5, 7.5, 10, 15, 20, 25, 50])}, " \
                f"source: {rng.choice(plan.sources)}, legal_basis: {q('Tariff Order ' + str(rng.randint(1, 99)))}"
        if rng.random() < 0.5:
            point += f", announced: {(day - dt.timedelta(days=rng.randint(5, 90))).isoformat()}"
            point += f", event: {rng.choice(plan.events).id}"
        lines.append(point + "}")
    w.write("series", "tariff-b-on-a.yaml", "\n".join(lines) + "\n")


def write_events(w: Writer, rng: random.Random, plan: Plan) -> None:
    track_ids = [t[0] for t in TRACKS]
    weights = [t[2] for t in TRACKS]
    actors_pool = plan.people * 3 + plan.countries * 2 + plan.organizations
    subjects = plan.agreements + plan.initiatives + plan.commitments + plan.series
    for event in plan.events:
        tracks = [rng.choices(track_ids, weights)[0]]
        if rng.random() < 0.3:
            extra = rng.choices(track_ids, weights)[0]
            if extra not in tracks:
                tracks.append(extra)
        lines = [f"title: {q(event.title)}", f"date: {iso(event.date, event.precision)}"]
        if event.precision == "day" and rng.random() < 0.08:
            lines.append(f"end: {min(event.date + dt.timedelta(days=rng.randint(1, 20)), AS_OF).isoformat()}")
        lines += [f"summary: {q(sentence(rng, 14, 32))}", f"tracks: [{', '.join(tracks)}]"]
        if rng.random() < 0.02:
            lines.append("status: cancelled")
        lines.append(f"importance: {rng.choices([1, 2, 3], [30, 55, 15])[0]}")
        if rng.random() < 0.6:
            lines.append(f"location: {q('City ' + str(rng.randint(1, 400)).zfill(3))}")
        actors = list(dict.fromkeys(rng.choice(actors_pool) for _ in range(rng.randint(1, 4))))
        lines.append("actors:")
        for actor in actors:
            if rng.random() < 0.5:
                lines.append(f"  - {{id: {actor}, role: {q(rng.choice(ROLES))}}}")
            else:
                lines.append(f"  - {actor}")
        if rng.random() < 0.5:
            about = list(dict.fromkeys(rng.choice(subjects) for _ in range(rng.randint(1, 2))))
            lines.append(f"about: [{', '.join(about)}]")
        if rng.random() < 0.4:
            related = list(dict.fromkeys(rng.choice(plan.events).id for _ in range(rng.randint(1, 3))))
            related = [r for r in related if r != event.id]
            if related:
                lines.append(f"related: [{', '.join(related)}]")
        lines.append(f"confidence: {rng.choices(['confirmed', 'single-source', 'disputed'], [80, 15, 5])[0]}")
        lines += citation_block("sources", cite(rng, plan, first=plan.sources[event.index % len(plan.sources)]))
        if rng.random() < 0.15:
            lines.append("notes:")
            lines.append(f"  - text: {q(sentence(rng, 10, 24))}")
            lines.append(f"    sources: [{rng.choice(plan.sources)}]")
        if rng.random() < 0.01:
            fixed = min(event.date + dt.timedelta(days=rng.randint(400, 3000)), AS_OF)
            lines += ["corrections:", f"  - date: {fixed.isoformat()}", f"    wrong: {q(sentence(rng, 6, 12))}",
                      f"    right: {q(sentence(rng, 6, 12))}", f"    sources: [{rng.choice(plan.sources)}]"]
        text = body(rng, plan, event.id)
        if event.suffix == ".md":
            w.write("events", event.id + ".md", "---\n" + "\n".join(lines) + "\n---\n" + text)
        else:
            w.write("events", event.id + ".yaml", "\n".join(lines + yaml_body(text)) + "\n")


def make_corpus(out_dir: Path | str, n_events: int, seed: int = 20260301) -> dict[str, Any]:
    """Write a synthetic corpus of `n_events` events into `out_dir` (replaced if it exists); returns what it
    wrote: counts, bytes, and one event (id, path, title) in the middle of the corpus for edit tests."""
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(f"dyad-bench:{seed}:{n_events}")
    plan = plan_corpus(rng, n_events)
    w = Writer(out, rng)
    write_config(w, plan)
    write_sources(w, rng, plan)
    write_countries(w, rng, plan)
    write_organizations(w, rng, plan)
    write_people(w, rng, plan)
    write_agreements(w, rng, plan)
    write_initiatives(w, rng, plan)
    write_commitments(w, rng, plan)
    write_series(w, rng, plan)
    write_events(w, rng, plan)
    sample = plan.events[len(plan.events) // 2]
    return {"events": len(plan.events), "entities": len(plan.countries) + len(plan.people)
            + len(plan.organizations) + len(plan.agreements) + len(plan.initiatives),
            "sources": len(plan.sources), "commitments": len(plan.commitments), "series": len(plan.series),
            "files": w.files, "bytes": w.bytes,
            "sample_event": {"id": sample.id, "path": str(out / "events" / (sample.id + sample.suffix)),
                             "title": sample.title}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("n_events", type=int)
    parser.add_argument("--seed", type=int, default=20260301)
    args = parser.parse_args()
    print(json.dumps(make_corpus(args.out_dir, args.n_events, args.seed), indent=2))


if __name__ == "__main__":
    main()
