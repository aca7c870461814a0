"""Entities on the web: the annotated article page, entity pages, the index and the API,
over a real SQLite store filled through the pipeline's enrichment step."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsfeed.enrich._store import analysis_to_json, entity_refs
from newsfeed.enrich._timeline import TimelineEvent
from newsfeed.enrich.analysis import Analysis
from newsfeed.enrich.entities import Entity, Mention
from newsfeed.enrich.quotes import CitedSource, Quote
from newsfeed.enrich.step import EnrichStep
from newsfeed.extract import extract
from newsfeed.store import NewArticle, SqlStorage, open_store
from newsfeed.types import Article, Block
from newsfeed.update import StoredArticle
from newsfeed.web import WebSettings, create_app
from newsfeed.web import _schemas as s
from newsfeed.web._accounts import open_accounts
from newsfeed.web._entity_view import EntityOut, EntitySummaryOut

SEED_HTML = Path(__file__).parents[1] / "extract" / "fixtures" / "seed_ghost.html"
SEED_URL = "https://kyivindependent.com/putin-trump-to-meet-in-the-coming-days-moscow-says/"
PUTIN = "person:vladimir-putin"
EVIL_NAME = '<script>window.__xss=1</script>Mal "Lory" <img src=x onerror=alert(1)>'
EVIL_KEY = 'person:x"><script>alert(2)</script>'
EVIL_QUOTE = "<img src=x onerror=alert(3)> we will </mark></p><script>alert(4)</script>"
EVIL_PAYLOADS = (EVIL_NAME, EVIL_QUOTE, "<script>", "<img src=x")


def _putin_story(n: int) -> Article:
    text = f"Vladimir Putin met Xi Jinping in Beijing on Monday, visit number {n}."
    return Article(
        title=f"Putin in Beijing, part {n}",
        url=f"https://news.example/putin/{n}",
        text=text,
        blocks=(Block("paragraph", text=text),),
        published=datetime(2025, 9, 1, 8, tzinfo=UTC) + timedelta(days=n),
    )


def _evil_article() -> tuple[Article, Analysis]:
    """Hostile names and quotes planted straight into a saved analysis, so that escaping is
    tested whatever the entity rules would make of such text."""
    text = f"{EVIL_NAME} said: “{EVIL_QUOTE}” on Aug. 7."
    name_at = text.index(EVIL_NAME)
    quote_at = text.index(EVIL_QUOTE)
    mention = Mention(EVIL_NAME, name_at, name_at + len(EVIL_NAME))
    entity = Entity(EVIL_KEY, EVIL_NAME, "person", (mention,), (EVIL_QUOTE,))
    quote = Quote(EVIL_QUOTE, EVIL_NAME, EVIL_KEY, "said", quote_at, quote_at + len(EVIL_QUOTE))
    source = CitedSource(EVIL_NAME, "according to", EVIL_KEY)
    event = TimelineEvent(date(2025, 8, 7), date(2025, 8, 7), "day", False, "Aug. 7", text, 0,
                          len(text), EVIL_NAME, EVIL_KEY, (EVIL_KEY,))  # fmt: skip
    analysis = Analysis((entity,), (quote,), (source,), (), (event,))
    article = Article(
        title="Hostile names",
        url="https://evil.example/names",
        text=text,
        blocks=(Block("paragraph", text=text), Block("quote", text=text)),
        published=datetime(2025, 8, 7, 12, tzinfo=UTC),
    )
    return article, analysis


class Site:
    def __init__(self, store: SqlStorage, client: TestClient, ids: dict[str, int]) -> None:
        self.store, self.client, self.ids = store, client, ids

    def html(self, path: str) -> str:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        return response.text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url = f"sqlite:///{tmp_path_factory.mktemp('entities') / 'news.db'}"
    store = open_store(url)
    seed = replace(extract(SEED_HTML.read_bytes(), SEED_URL), url=SEED_URL)
    stories = [seed] + [_putin_story(n) for n in range(3)]
    results = store.upsert_articles([NewArticle(a) for a in stories])
    pairs = zip(results, stories, strict=True)
    EnrichStep()(store, [StoredArticle(r.article_id, a, True) for r, a in pairs])
    evil, analysis = _evil_article()
    (evil_result,) = store.upsert_articles([NewArticle(evil)])
    store.save_analysis(evil_result.article_id, analysis_to_json(analysis), entity_refs(analysis))
    (bare,) = store.upsert_articles(
        [NewArticle(replace(_putin_story(9), url="https://x.example/"))]
    )
    ids = {"seed": results[0].article_id, "evil": evil_result.article_id, "bare": bare.article_id}
    ids |= {f"putin{n}": results[n + 1].article_id for n in range(3)}
    settings = WebSettings(secret_key="k" * 32, base_url="http://testserver", page_size=2)
    app = create_app(store, settings, accounts=open_accounts(url))
    with TestClient(app) as client:
        yield Site(store, client, ids)
    store.close()


def _texts(html: str, selector: str) -> list[str]:
    return [el.text_content().strip() for el in lxml.html.fromstring(html).cssselect(selector)]


# --- the seed story ----------------------------------------------------------------------


def test_seed_entity_page_for_putin(site: Site) -> None:
    html = site.html(f"/entities/{PUTIN}")
    doc = lxml.html.fromstring(html)
    assert doc.cssselect("h1")[0].text_content() == "Vladimir Putin"
    assert "Named in 4 stories" in html
    # The river lists his stories newest first, two a page: the seed story comes last.
    pages = [html]
    while more := lxml.html.fromstring(pages[-1]).cssselect("a.show-more"):
        pages.append(site.html(more[0].get("href")))
    order = [int(card.get("data-id")) for p in pages
             for card in lxml.html.fromstring(p).cssselect(".card")]  # fmt: skip
    assert order == [site.ids[k] for k in ("putin2", "putin1", "putin0", "seed")]
    assert "Putin, Trump to meet in the coming days" in pages[-1]
    # One person, however the stories name him.
    names = _texts(html, ".names q")
    assert {"Putin", "Vladimir Putin"} <= set(names)
    roles = _texts(html, ".entity-head .roles")[0]
    assert "Russian President" in roles
    assert "Russia's President" in roles
    # Ushakov's words about him, with the speaker linked.
    about = doc.cssselect(".entity-quoted-about li")
    ushakov = [li for li in about if "Yuri Ushakov" in li.text_content()]
    assert ushakov
    assert "trilateral meeting between Putin" in ushakov[0].text_content()
    assert ushakov[0].cssselect('a[href="/entities/person:yuri-ushakov"]')
    # The timeline: what happened on which date, who said so, in which story.
    days = [t.get("datetime") for t in doc.cssselect(".entity-timeline time")]
    assert {"2025-08-07", "2025-08-06", "2018-07-16"} <= set(days)
    assert days == sorted(days, reverse=True)
    aug7 = next(li for li in doc.cssselect(".entity-timeline li")
                if li.cssselect('time[datetime="2025-08-07"]'))  # fmt: skip
    assert "said by Yuri Ushakov" in aug7.text_content()
    assert aug7.cssselect(f'a[href="/articles/{site.ids["seed"]}"]')


def test_seed_article_page_links_names_and_marks_quotes(site: Site) -> None:
    html = site.html(f"/articles/{site.ids['seed']}")
    doc = lxml.html.fromstring(html)
    body = doc.cssselect(".body")[0]
    linked = {a.get("href") for a in body.cssselect("a.entity")}
    assert {"/entities/person:vladimir-putin", "/entities/person:donald-trump",
            "/entities/place:istanbul", "/entities/org:tass"} <= linked  # fmt: skip
    putin_links = body.cssselect('a[href="/entities/person:vladimir-putin"]')
    assert {a.text_content() for a in putin_links} == {"Vladimir Putin", "Putin"}
    marks = body.cssselect("mark.quote")
    assert any("target date was set for next week" in m.text_content() for m in marks)
    assert {m.get("title") for m in marks} >= {"Yuri Ushakov", "Volodymyr Zelensky"}
    tags = [a.text_content() for a in body.cssselect("a.speaker-tag")]
    assert "Yuri Ushakov" in tags
    # The body text itself is untouched by the annotations.
    assert "expected to hold a meeting in the coming days" in body.text_content()
    analysis = doc.cssselect(".analysis")[0]
    assert "Helsinki" in _texts(html, ".entity-list.place")[0]
    cited = _texts(html, ".cited")[0]
    assert "TASS" in cited
    assert "The New York Times" in cited
    assert analysis.cssselect('.timeline time[datetime="2025-08-11"]')  # "next week"


def test_article_without_analysis_renders_plainly(site: Site) -> None:
    html = site.html(f"/articles/{site.ids['bare']}")
    assert "Vladimir Putin met Xi Jinping" in html
    assert 'class="analysis"' not in html


# --- index and API ---------------------------------------------------------------------


def test_entities_index_groups_by_kind(site: Site) -> None:
    html = site.html("/entities")
    people = _texts(html, ".entity-group.person li a")
    assert people[0] == "Vladimir Putin"
    assert "Beijing" in _texts(html, ".entity-group.place li a")
    only = site.html("/entities?kind=org")
    assert _texts(only, ".entity-group h2") == ["Organisations"]
    assert site.client.get("/entities?kind=martian").status_code == 400


def test_unknown_entity_is_a_404(site: Site) -> None:
    assert site.client.get("/entities/person:nobody").status_code == 404
    assert site.client.get("/api/v1/entities/person:nobody").status_code == 404


def test_entity_api(site: Site) -> None:
    listed = site.client.get("/api/v1/entities", params={"kind": "person"}).json()
    for item in listed:
        EntitySummaryOut.model_validate(item)
    assert listed[0]["key"] == PUTIN
    assert listed[0]["article_count"] == 4
    body = site.client.get(listed[0]["url"]).json()
    entity = EntityOut.model_validate(body)
    assert {"Putin", "Vladimir Putin"} <= set(entity.names)
    assert any(q.speaker_key == "person:yuri-ushakov" for q in entity.quoted_about)
    assert date(2025, 8, 7) in {e.date for e in entity.timeline}
    stories = site.client.get(body["articles_url"]).json()
    assert len(stories["items"]) == 4
    assert site.ids["seed"] in {a["id"] for a in stories["items"]}


def test_article_api_includes_its_analysis(site: Site) -> None:
    body = site.client.get(f"/api/v1/articles/{site.ids['seed']}").json()
    article = s.ArticleOut.model_validate(body)
    assert article.analysis is not None
    assert PUTIN in {e.key for e in article.analysis.entities}
    for q in article.analysis.quotes:
        assert article.text[q.start : q.end] == q.text
    bare = site.client.get(f"/api/v1/articles/{site.ids['bare']}").json()
    assert bare["analysis"] is None


# --- hostile text ------------------------------------------------------------------------


def _assert_inert(html: str) -> None:
    for payload in EVIL_PAYLOADS:
        assert payload not in html
    assert html.count("<script") == 1  # the page's own script tag, nothing else
    assert "<img src=x" not in html


def test_hostile_names_and_quotes_are_escaped_everywhere(site: Site) -> None:
    article = site.html(f"/articles/{site.ids['evil']}")
    _assert_inert(article)
    doc = lxml.html.fromstring(article)
    # Escaped, the hostile text still reads as written, and links still lead to its page.
    assert EVIL_QUOTE in doc.cssselect(".body mark.quote")[0].text_content()
    link = doc.cssselect(".body a.entity")[0]
    assert link.text_content() == EVIL_NAME
    assert site.client.get(link.get("href")).status_code == 200
    entity_page = site.html(link.get("href"))
    _assert_inert(entity_page)
    assert lxml.html.fromstring(entity_page).cssselect("h1")[0].text_content() == EVIL_NAME
    _assert_inert(site.html("/entities"))
    api = site.client.get(f"/api/v1/articles/{site.ids['evil']}")
    assert api.headers["content-type"].startswith("application/json")
    assert api.json()["analysis"]["quotes"][0]["text"] == EVIL_QUOTE
