"""Stories on the web over a real SQLite store, grouped by the real ``StoryStep``: two wire
copies from different outlets, a third outlet's own report of the same event, unrelated
stories, and a hostile headline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import unescape

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsfeed.store import NewArticle, SqlStorage, open_store
from newsfeed.stories.step import StoryStep
from newsfeed.types import Article
from newsfeed.update import StoredArticle
from newsfeed.web import WebSettings, create_app
from newsfeed.web import _schemas as s
from newsfeed.web._accounts import open_accounts

T0 = datetime(2025, 9, 3, 6, tzinfo=UTC)
WIRE = (
    "Negotiators from both countries agreed late on Thursday to extend the ceasefire by thirty "
    "days, according to officials familiar with the talks.\n"
    "The agreement, reached after eleven hours of talks at a lakeside hotel in Geneva, allows "
    "aid convoys to reach the besieged eastern towns for the first time since spring.\n"
    "Both delegations are expected to return to Geneva next month to discuss a permanent "
    "settlement, the mediators said in a joint statement released after midnight.\n"
)
COURIER_EXTRA = (
    "Shopkeepers in the border town of Valmora said they would reopen their stalls on Monday "
    "for the first time in four months."
)
REACTION = (
    "Opposition leaders in the capital condemned the thirty-day ceasefire extension agreed in "
    "Geneva, calling it a surrender dressed up as a humanitarian pause.\n"
    "Aid agencies welcomed the convoys but warned that the eastern towns need fuel and "
    "medicine within days, not weeks."
)
XSS = '<script>window.__xss=1</script>Storm <img src=x onerror="window.__xss=1">'
STORM = (
    "A storm with gusts of up to 140 kilometres an hour tore roofs from houses along the "
    "northern coast overnight and cut power to forty thousand homes.\n"
    "Rail services between the two largest coastal cities were suspended while crews cleared "
    "fallen trees from the tracks, the operator said on its website.\n"
)
OTHERS = {
    "football": (
        "Harbour City stun league leaders with late winner",
        "A header in the ninety-third minute gave Harbour City a two-one win over the league "
        "leaders on Saturday, their first away victory of the season.",
    ),
    "chips": (
        "Chipmaker unveils low-power processor for laptops",
        "The company said its new processor doubles battery life in thin laptops and will ship "
        "to manufacturers in the spring, with prices yet to be announced.",
    ),
}


class Site:
    def __init__(self, store: SqlStorage, client: TestClient, ids: dict[str, int]) -> None:
        self.store, self.client, self.ids = store, client, ids

    def html(self, path: str) -> str:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        return response.text


def _article(key: str, title: str, text: str, site: str, hours: float) -> Article:
    return Article(
        title=title,
        url=f"https://{site.lower().replace(' ', '')}.example/{key}",
        site_name=site,
        text=text,
        published=T0 + timedelta(hours=hours),
    )


def _articles() -> dict[str, tuple[str, Article]]:
    title = "Ceasefire extended by thirty days after Geneva talks"
    return {
        "wire": ("Wire Daily", _article("wire", title, WIRE, "Wire Daily", 0)),
        "courier": (
            "The Courier",
            _article("courier", title, WIRE + COURIER_EXTRA, "The Courier", 0.5),
        ),
        "reaction": (
            "Evening Post",
            _article(
                "reaction",
                "Opposition condemns Geneva ceasefire extension",
                REACTION,
                "Evening Post",
                3,
            ),
        ),
        "xss1": ("Wire Daily", _article("xss1", XSS, STORM, "Wire Daily", 30)),
        "xss2": ("Evening Post", _article("xss2", XSS + " again", STORM, "Evening Post", 30.5)),
        **{
            key: ("Evening Post", _article(key, t, body, "Evening Post", 2 + n))
            for n, (key, (t, body)) in enumerate(OTHERS.items())
        },
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url = f"sqlite:///{tmp_path_factory.mktemp('stories') / 'news.db'}"
    store = open_store(url)
    outlets = {name: store.add_source(f"https://{name[:4]}.example/feed", name).id
               for name in ("Wire Daily", "The Courier", "Evening Post")}  # fmt: skip
    articles = _articles()
    results = store.upsert_articles(
        [NewArticle(a, source_id=outlets[name]) for name, a in articles.values()]
    )
    ids = {key: r.article_id for key, r in zip(articles, results, strict=True)}
    StoryStep()(store, [StoredArticle(ids[k], a, True) for k, (_, a) in articles.items()])
    settings = WebSettings(secret_key="k" * 32, base_url="http://testserver", page_size=2)
    app = create_app(store, settings, accounts=open_accounts(url))
    with TestClient(app) as client:
        yield Site(store, client, ids)
    store.close()


def _texts(html: str, selector: str) -> list[str]:
    return [
        " ".join(el.text_content().split()) for el in lxml.html.fromstring(html).cssselect(selector)
    ]


def test_the_step_grouped_the_wire_copies(site: Site) -> None:
    wire = site.store.get_article(site.ids["wire"])
    courier = site.store.get_article(site.ids["courier"])
    assert wire.story_id is not None
    assert wire.story_id == courier.story_id
    assert site.store.get_duplicates(site.ids["wire"]) == [site.ids["courier"]]
    assert site.store.get_article(site.ids["reaction"]).story_id == wire.story_id
    assert site.store.get_article(site.ids["football"]).story_id != wire.story_id


def test_story_page_shows_each_outlet_and_what_it_adds(site: Site) -> None:
    story_id = site.store.get_article(site.ids["wire"]).story_id
    html = site.html(f"/stories/{story_id}")
    assert _texts(html, ".outlet-name") == ["Wire Daily", "The Courier", "Evening Post"]
    assert "Ceasefire extended by thirty days" in _texts(html, "h1")[0]
    assert _texts(html, ".story-head .counts") == ["3 outlets · 3 articles"]
    headlines = lxml.html.fromstring(html).cssselect(".covered .headline a")
    assert [a.get("href") for a in headlines] == [
        f"/articles/{site.ids[k]}" for k in ("wire", "courier", "reaction")
    ]
    wire_col, courier_col, post_col = lxml.html.fromstring(html).cssselect(".outlet")
    assert "Nothing the other outlets do not also report." in wire_col.text_content()
    assert [" ".join(li.text_content().split()) for li in courier_col.cssselect(".adds li")] == [
        COURIER_EXTRA
    ]
    assert "valmora" in courier_col.cssselect(".terms")[0].text_content()
    assert [" ".join(li.text_content().split()) for li in post_col.cssselect(".adds li")] == (
        REACTION.split("\n")
    )
    assert "<time datetime=" in html
    assert site.client.get("/stories/999999").status_code == 404


def test_stories_index_pages_and_toggles(site: Site) -> None:
    shown: list[int] = []
    url: str | None = "/stories"
    while url:
        html = site.html(url)
        shown += [int(x) for x in re.findall(r'class="card story-card" data-id="(\d+)"', html)]
        more = re.search(r'class="show-more" href="([^"]+)"', html)
        url = unescape(more.group(1)) if more else None
    multi = site.store.list_stories(limit=50, min_articles=2).items
    assert shown == [st.id for st in multi]
    assert len(shown) == 2  # the wire story and the hostile one; the singletons only with all
    everything = site.html("/stories?all=1") + site.html("/stories?all=1&cursor=" + (
        site.store.list_stories(limit=2).next_cursor or ""))  # fmt: skip
    football = site.store.get_article(site.ids["football"]).story_id
    assert f'data-id="{football}"' in everything
    assert 'href="/stories"' in site.html("/")  # in the site menu
    fragment = site.html("/stories?fragment=1")
    assert "<html" not in fragment
    assert "story-card" in fragment


def test_river_cards_link_to_stories_of_several_articles(site: Site) -> None:
    html = site.html("/")
    doc = lxml.html.fromstring(html)
    badges = {a.get("href"): " ".join(a.text_content().split()) for a in doc.cssselect("a.outlets")}
    xss_story = site.store.get_article(site.ids["xss2"]).story_id
    assert badges == {f"/stories/{xss_story}": "2 outlets"}
    # Further down the river, the wire story's cards, and no badge on a story of one article.
    everything = ""
    url: str | None = "/"
    while url:
        page = site.html(url)
        everything += page
        more = re.search(r'class="show-more" href="([^"]+)"', page)
        url = unescape(more.group(1)) if more else None
    wire_story = site.store.get_article(site.ids["wire"]).story_id
    assert everything.count(f'class="outlets" href="/stories/{wire_story}">3 outlets') == 3
    football = site.store.get_article(site.ids["football"]).story_id
    assert f'href="/stories/{football}"' not in everything


def test_article_page_shows_also_published_and_related(site: Site) -> None:
    html = site.html(f"/articles/{site.ids['wire']}")
    doc = lxml.html.fromstring(html)
    [also] = doc.cssselect(".also-published")
    links = [(a.get("href"), a.text_content()) for a in also.cssselect("a")]
    assert links == [(f"/articles/{site.ids['courier']}", "The Courier")]
    related = doc.cssselect(".related-coverage li")
    hrefs = [li.cssselect("a")[0].get("href") for li in related]
    assert f"/articles/{site.ids['courier']}" not in hrefs  # shown as a duplicate instead
    assert f"/articles/{site.ids['wire']}" not in hrefs
    # Another outlet's own report of the ceasefire comes first, with an excerpt cut short.
    assert hrefs[0] == f"/articles/{site.ids['reaction']}"
    reason = related[0].cssselect(".reason")[0].text_content()
    assert reason.startswith(("same story", "similar terms"))
    excerpt = related[0].cssselect("p")[0].text_content()
    assert excerpt.startswith("Opposition leaders in the capital")
    assert excerpt.endswith("…")
    assert excerpt[:-1] in REACTION.replace("\n", " ")
    assert f"/articles/{site.ids['chips']}" not in hrefs  # nothing in common


def test_article_api_has_duplicates_and_related(site: Site) -> None:
    response = site.client.get(f"/api/v1/articles/{site.ids['courier']}")
    body = response.json()
    s.ArticleOut.model_validate(body)
    assert [d["id"] for d in body["duplicates"]] == [site.ids["wire"]]
    assert body["duplicates"][0]["source_title"] == "Wire Daily"
    assert body["duplicates"][0]["url"] == "https://wiredaily.example/wire"
    related_ids = [r["id"] for r in body["related_coverage"]]
    assert site.ids["wire"] not in related_ids
    assert site.ids["courier"] not in related_ids
    assert all(r["excerpt"] and r["reason"] for r in body["related_coverage"])
    etag = response.headers["etag"]
    again = site.client.get(
        f"/api/v1/articles/{site.ids['courier']}", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304


def test_story_api_list_and_detail(site: Site) -> None:
    first = site.client.get("/api/v1/stories", params={"limit": 2}).json()
    s.StoryPageOut.model_validate(first)
    assert len(first["items"]) == 2
    rest = site.client.get(first["next_url"].removeprefix("http://testserver")).json()
    ids = [x["id"] for x in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == len(site.store.list_stories(limit=50).items)
    multi = site.client.get("/api/v1/stories", params={"min_articles": 2}).json()
    assert all(x["article_count"] >= 2 for x in multi["items"])
    story_id = site.store.get_article(site.ids["wire"]).story_id
    response = site.client.get(f"/api/v1/stories/{story_id}")
    story = response.json()
    s.StoryOut.model_validate(story)
    in_order = [site.ids[k] for k in ("wire", "courier", "reaction")]
    assert story["article_ids"] == in_order
    assert story["article_count"] == story["outlet_count"] == 3
    assert story["title"].startswith("Ceasefire extended")
    assert story["first_seen"] == T0.isoformat()
    assert [a["id"] for a in story["articles"]] == in_order[::-1]
    headers = {"If-None-Match": response.headers["etag"]}
    assert site.client.get(f"/api/v1/stories/{story_id}", headers=headers).status_code == 304
    assert site.client.get("/api/v1/stories/999999").status_code == 404
    assert site.client.get("/api/v1/stories", params={"cursor": "junk"}).status_code == 400


def test_hostile_titles_are_escaped(site: Site) -> None:
    story_id = site.store.get_article(site.ids["xss1"]).story_id
    pages = [
        site.html(f"/stories/{story_id}"),
        site.html("/stories"),
        site.html("/"),
        site.html(f"/articles/{site.ids['xss1']}"),
    ]
    for html in pages:
        assert "<script>window.__xss" not in html
        assert 'onerror="window.__xss' not in html
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;Storm" in html
    also = lxml.html.fromstring(pages[-1]).cssselect(".also-published li")[0].text_content()
    assert XSS + " again" in also
