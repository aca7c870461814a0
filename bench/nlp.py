"""How well newsfeed.enrich finds quotes, dates and entities, measured on labelled sets.

Run: ``uv run python bench/nlp.py``. Prints, from ../shared/data:

* Quote attribution on PolNeAR dev (BRAT .ann with Source, Cue and Content spans). A gold
  direct quote is a quoted stretch of text (between matching quotation marks within a
  paragraph) lying at least half inside an annotated Content span; its speaker is that
  attribution's Source. A predicted quote matches a gold one when their overlap covers at
  least 50% of each. Speaker: a predicted speaker is right when the speaker words it found
  overlap the gold Source span by at least 50% of the Source, or when heads agree: the last
  word of the resolved speaker name appears in the gold Source, or the Source's last word
  appears in the name. Speaker precision counts every predicted quote with a speaker (an
  unmatched one is wrong); speaker recall counts every gold quote with a Source.
  One annotation file per article (the first by name) where several annotators did it.
* Date resolution on TimeBank 1.2: TIMEX3 type=DATE in <TEXT>, each document's DCT as the
  publication date. Detection: any character overlap. Strict precision counts every predicted
  date; lenient precision leaves out predictions that overlap a gold TIME/DURATION/SET. Value
  accuracy over matched pairs, at the granularity the gold value uses (gold "1998-10" is
  met by a prediction in October 1998 stated at month or day granularity; "PAST_REF" only by
  PAST_REF; X digits match anything).
* Entities on fundus pages in English: each topic that the article body contains as
  written, starting with a capital letter, counts as a named entity; recall is the share
  found among extracted entity names or mentions (accent- and case-insensitive). Topics do
  not list every entity, so no precision is claimed there. On the hand-checked seed set
  (tests/enrich/fixtures/seed_entities.json): precision, recall and F1 of entity keys
  (name and kind must both be right).
* Throughput of ``analyse`` in articles per second, on the PolNeAR and fundus texts.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from newsfeed.enrich._classify import last_names
from newsfeed.enrich._gazetteer import TITLES, first_names, fold, name_genders, places
from newsfeed.enrich.analysis import analyse
from newsfeed.enrich.dates import DateMention, extract_dates
from newsfeed.enrich.entities import extract_entities
from newsfeed.enrich.quotes import Quote, extract_quotes

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEED_FIXTURE = ROOT / "tests" / "enrich" / "fixtures" / "seed_entities.json"
FUNDUS_FIXTURE = ROOT / "tests" / "enrich" / "fixtures" / "fundus_entities.json"


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# ---------------------------------------------------------------- PolNeAR quotes


@dataclass(frozen=True)
class GoldQuote:
    start: int
    end: int
    sources: tuple[tuple[int, int], ...]
    source_text: str


_QUOTED = re.compile(r"[“\"]([^“”\"\n]+)[”\"]")


def _spans(field: str) -> list[tuple[int, int]]:
    out = []
    for piece in field.split(" ", 1)[1].split(";"):
        a, b = piece.split()
        out.append((int(a), int(b)))
    return out


def polnear_gold(text: str, ann: str) -> list[GoldQuote]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            spans[parts[0]] = (parts[1].split(" ", 1)[0], _spans(parts[1]))
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(p.split(":", 1) for p in parts[1].split() if ":" in p))
    contents: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]] = []
    for rel in relations:
        content = spans.get(rel.get("Content", ""), ("", []))[1]
        source = spans.get(rel.get("Source", ""), ("", []))[1]
        if content:
            contents.append((content, source))
    gold = []
    for m in _QUOTED.finditer(text):
        s, e = m.start(1), m.end(1)
        for content, source in contents:
            inside = sum(max(0, min(e, ce) - max(s, cs)) for cs, ce in content)
            if inside >= 0.5 * (e - s):
                src_text = " ".join(text[a:b] for a, b in source)
                gold.append(GoldQuote(s, e, tuple(source), src_text))
                break
    return gold


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _matches(q: Quote, g: GoldQuote) -> bool:
    inter = _overlap(q.start, q.end, g.start, g.end)
    return inter >= 0.5 * (q.end - q.start) and inter >= 0.5 * (g.end - g.start)


def _speaker_right(q: Quote, g: GoldQuote) -> bool:
    if not q.speaker or not g.sources:
        return False
    if q.speaker_start is not None and q.speaker_end is not None:
        for a, b in g.sources:
            if _overlap(q.speaker_start, q.speaker_end, a, b) >= 0.5 * (b - a):
                return True
    name_words = re.findall(r"\w+", fold(q.speaker))
    source_words = re.findall(r"\w+", fold(g.source_text))
    if not name_words or not source_words:
        return False
    return name_words[-1] in source_words or source_words[-1] in name_words


def polnear_files(limit: int | None = None) -> list[tuple[str, str]]:
    base = DATA / "attribution" / "polnear-dev"
    seen: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        article = ann.stem.rsplit("_", 1)[0]
        seen.setdefault(article, ann)
    out = []
    for article, ann in sorted(seen.items()):
        text_file = base / "text" / f"{article}.txt"
        if text_file.exists():
            out.append((text_file.read_text(encoding="utf-8"), ann.read_text(encoding="utf-8")))
    return out[:limit] if limit else out


def quote_scores(limit: int | None = None) -> dict[str, float]:
    n_pred = n_gold = tp_pred = tp_gold = 0
    spk_pred = spk_pred_ok = spk_gold = spk_gold_ok = 0
    for text, ann in polnear_files(limit):
        gold = polnear_gold(text, ann)
        pred = extract_quotes(text)
        n_pred += len(pred)
        n_gold += len(gold)
        tp_pred += sum(any(_matches(q, g) for g in gold) for q in pred)
        for q in pred:
            if q.speaker:
                spk_pred += 1
                spk_pred_ok += any(_matches(q, g) and _speaker_right(q, g) for g in gold)
        for g in gold:
            hits = [q for q in pred if _matches(q, g)]
            tp_gold += bool(hits)
            if g.sources:
                spk_gold += 1
                spk_gold_ok += any(_speaker_right(q, g) for q in hits)
    return {
        "quote_precision": ratio(tp_pred, n_pred),
        "quote_recall": ratio(tp_gold, n_gold),
        "speaker_precision": ratio(spk_pred_ok, spk_pred),
        "speaker_recall": ratio(spk_gold_ok, spk_gold),
        "gold_quotes": n_gold,
        "predicted_quotes": n_pred,
    }


# ---------------------------------------------------------------- TimeBank dates


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str


_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")


def timebank_doc(raw: str) -> tuple[str, date, list[GoldTimex]]:
    dct_value = re.search(r"<DCT>.*?value=\"(\d{4}-\d\d-\d\d)", raw, re.S)
    if dct_value is None:
        raise ValueError("no DCT")
    body = raw.split("<TEXT>", 1)[1].split("</TEXT>", 1)[0]
    text: list[str] = []
    length = 0
    gold: list[GoldTimex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos : m.start()])
        text.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m.group(2) != "TIMEX3":
            continue
        if m.group(1) == "":
            open_timex = (length, dict(re.findall(r'(\w+)="([^"]*)"', m.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            gold.append(GoldTimex(start, length, attrs.get("type", ""), attrs.get("value", "")))
            open_timex = None
    text.append(html.unescape(body[pos:]))
    return "".join(text), date.fromisoformat(dct_value.group(1)), gold


_LEVEL = {"day": 0, "week": 1, "weekend": 1, "month": 2, "quarter": 3, "half": 3, "season": 3}
_LEVEL.update({"year": 4, "decade": 5, "century": 6})


def _gold_level(value: str) -> tuple[int, str]:
    if re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", value):
        return 0, "day"
    if re.fullmatch(r"[\dX]{4}-W[\dX]{2}", value):
        return 1, "week"
    if re.fullmatch(r"[\dX]{4}-[\dX]{2}", value):
        return 2, "month"
    if re.fullmatch(r"[\dX]{4}-(Q[\dX]|H\d)", value):
        return 3, "quarter"
    if re.fullmatch(r"[\dX]{4}", value):
        return 4, "year"
    if re.fullmatch(r"[\dX]{3}", value):
        return 5, "decade"
    if re.fullmatch(r"[\dX]{2}", value):
        return 6, "century"
    return -1, "other"


def _as_gold(d: DateMention, kind: str) -> str:
    s = d.span_start
    return {
        "day": s.isoformat(),
        "week": f"{s.isocalendar()[0]}-W{s.isocalendar()[1]:02d}",
        "month": f"{s.year}-{s.month:02d}",
        "quarter": d.timex,
        "year": str(s.year),
        "decade": str(s.year)[:3],
        "century": str(s.year)[:2],
    }.get(kind, d.timex)


def value_right(d: DateMention, gold: str) -> bool:
    level, kind = _gold_level(gold)
    if level < 0 or d.vague:
        return d.timex == gold
    if _LEVEL.get(d.granularity, 9) > level:
        return False
    ours = _as_gold(d, kind)
    pattern = re.escape(gold).replace("X", ".")
    return bool(re.fullmatch(pattern, ours))


def timebank_files(limit: int | None = None) -> list[str]:
    files = sorted((DATA / "timex" / "timebank").glob("*.tml"))
    return [f.read_text(encoding="utf-8") for f in files[:limit] if True]


def date_scores(limit: int | None = None) -> dict[str, float]:
    n_pred = n_gold = tp_pred = tp_gold = other = right = 0
    files = timebank_files()
    for raw in files[:limit] if limit else files:
        text, dct, timexes = timebank_doc(raw)
        gold = [g for g in timexes if g.type == "DATE"]
        rest = [g for g in timexes if g.type != "DATE"]
        pred = extract_dates(text, dct)
        n_pred += len(pred)
        n_gold += len(gold)
        for d in pred:
            if any(_overlap(d.start, d.end, g.start, g.end) for g in gold):
                tp_pred += 1
            elif any(_overlap(d.start, d.end, g.start, g.end) for g in rest):
                other += 1
        for g in gold:
            hits = [d for d in pred if _overlap(d.start, d.end, g.start, g.end)]
            if hits:
                tp_gold += 1
                right += value_right(hits[0], g.value)
    return {
        "date_precision": ratio(tp_pred, n_pred),
        "date_precision_lenient": ratio(tp_pred, n_pred - other),
        "date_recall": ratio(tp_gold, n_gold),
        "date_value_accuracy": ratio(right, tp_gold),
        "date_value_accuracy_of_all_gold": ratio(right, n_gold),
        "gold_dates": n_gold,
    }


# ---------------------------------------------------------------- entities


def fundus_pages(language: str = "en") -> list[tuple[str, list[str]]]:
    base = DATA / "pages" / "fundus"
    index = json.loads((base / "index.json").read_text(encoding="utf-8"))
    pages = []
    for page in index["pages"]:
        if not str(page["language"]).startswith(language):
            continue
        expected = json.loads((base / page["files"]["expected"]).read_text(encoding="utf-8"))
        pages.append((_page_text(expected), expected.get("topics") or []))
    return pages


def named_topics(text: str, topics: list[str]) -> list[str]:
    """Topics written in the text as names: capitalised, and for one word, somewhere other
    than at the start of a sentence (where any word is capitalised)."""
    names = []
    for topic in topics:
        if not topic[:1].isupper():
            continue
        spots = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(topic)}(?!\w)", text)]
        if " " not in topic.strip():
            spots = [i for i in spots if not re.search(r"(?:^|[.!?:\n\"“])\s*$", text[:i])]
        if spots:
            names.append(topic)
    return names


def _without_title(name: str) -> str:
    """ "General Asim Munir" → "asim munir": names are compared with titles stripped."""
    words = fold(name).split()
    while len(words) > 2 and words[0] in TITLES:
        words = words[1:]
    return " ".join(words)


def entity_scores() -> dict[str, float]:
    found = total = 0
    for text, topics in fundus_pages():
        names = named_topics(text, topics)
        if not names:
            continue
        entities = extract_entities(text)
        known = {fold(e.name) for e in entities} | {
            fold(m.text) for e in entities for m in e.mentions
        }
        total += len(names)
        found += sum(fold(n) in known or _without_title(n) in known for n in names)
    seed = json.loads(SEED_FIXTURE.read_text(encoding="utf-8"))
    text = (DATA / "seed" / "news-feed-article.txt").read_text(encoding="utf-8")
    gold = {g["key"] for g in seed["entities"]}
    pred = {e.key for e in extract_entities(text)}
    p, r = ratio(len(gold & pred), len(pred)), ratio(len(gold & pred), len(gold))
    hp, hr = checked_scores("held_out")
    tp_, tr_ = checked_scores("tuned")
    return {
        "fundus_topic_recall": ratio(found, total),
        "fundus_topics": total,
        "seed_precision": p,
        "seed_recall": r,
        "seed_f1": f1(p, r),
        "held_out_precision": hp,
        "held_out_recall": hr,
        "held_out_f1": f1(hp, hr),
        "tuned_pages_f1": f1(tp_, tr_),
    }


def _page_text(expected: dict[str, object]) -> str:
    body = expected.get("body") or {}
    assert isinstance(body, dict)
    lines = [str(expected.get("title") or "")]
    lines += body.get("summary", [])
    for section in body.get("sections", []):
        lines += section.get("headline", []) + section.get("paragraphs", [])
    return "\n".join(line for line in lines if line)


def checked_scores(part: str) -> tuple[float, float]:
    """Precision and recall of entity keys on hand-checked fundus pages (``part`` is
    "held_out", never tuned on, or "tuned", fixed after a first held-out measurement)."""
    spec = json.loads(FUNDUS_FIXTURE.read_text(encoding="utf-8"))
    tp = n_pred = n_gold = 0
    for page in spec[part]:
        path = DATA / "pages" / "fundus" / page["page"] / "expected.json"
        text = _page_text(json.loads(path.read_text(encoding="utf-8")))
        gold = set(page["entities"])
        pred = {e.key for e in extract_entities(text)}
        tp += len(gold & pred)
        n_pred += len(pred)
        n_gold += len(gold)
    return ratio(tp, n_pred), ratio(tp, n_gold)


# ---------------------------------------------------------------- throughput


def throughput(limit: int | None = None) -> dict[str, float]:
    """Articles per second of ``analyse``, by the clock and by this process's CPU time (the
    second does not move when other jobs share the machine)."""
    texts = [t for t, _ in polnear_files()] + [t for t, _ in fundus_pages()]
    texts = texts[:limit] if limit else texts
    for cached in (places, first_names, last_names, name_genders):
        cached.cache_clear()  # so the one-off load of the word lists is timed here
    started = time.perf_counter()
    analyse("Warm-up: in Kyiv, Ana Brnabic said on Aug. 7.", datetime(2025, 8, 7))
    load = time.perf_counter() - started
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        analyse(text, datetime(2025, 8, 7))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "articles_per_second": len(texts) / max(wall, 1e-9),
        "articles_per_cpu_second": len(texts) / max(cpu, 1e-9),
        "characters_per_cpu_second": sum(map(len, texts)) / max(cpu, 1e-9),
        "articles": len(texts),
        "gazetteer_load_seconds": load,
    }


SECTIONS = {
    "quotes": ("Quote attribution (PolNeAR dev)", quote_scores),
    "dates": ("Date resolution (TimeBank 1.2, DATE)", date_scores),
    "entities": ("Entities (fundus topics, hand-checked seed and fundus pages)", entity_scores),
    "throughput": ("Throughput (analyse)", throughput),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=sorted(SECTIONS), help="run one section")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 1
    for name, (title, measure) in SECTIONS.items():
        if args.only and name != args.only:
            continue
        scores = measure()
        print(title)
        for name, value in scores.items():
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            print(f"  {name:34} {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
