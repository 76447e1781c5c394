"""The 10-version grid in a real browser at 1280 and 1920 px: sticky row numbers, reference and header, readable
columns, no cut-off column, a reachable horizontal scrollbar, compact evidence; a reload keeps the workspace.

Screenshots go to ``tests/artifacts/grid-*.png``. Needs Debian's Chromium, like ``tests/test_browser.py``.
"""

from __future__ import annotations

import pytest

from qa.comparisons import Comparison, ComparisonStore, SavedVersion
from qa.corpus import load_corpus
from tests.test_browser import ANALYSIS_TIMEOUT_MS, ARTIFACTS, CHROMIUM, _no_traceback, _settle, app_server  # noqa: F401

pytestmark = pytest.mark.browser

PADDING = (
    "Subscribe to our newsletter\nShare this article\n"
    "The city's basketball team won its third straight game on Saturday, beating the visitors by twelve points.\n"
    "A new bakery chain opened four shops in the capital and plans to hire 80 bakers next year.\n"
    "Please enter your comment!\n"
)
MIN_COLUMN_PX = 15 * 16 - 1  # 15rem

GEOMETRY = """() => {
  const wrap = document.querySelector('.px-grid-wrap');
  const heads = [...wrap.querySelectorAll('thead th')];
  const r = el => { const b = el.getBoundingClientRect(); return {left: b.left, right: b.right, top: b.top,
                    width: b.width, bottom: b.bottom}; };
  return {wrap: r(wrap), scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth,
          scrollHeight: wrap.scrollHeight, clientHeight: wrap.clientHeight, innerHeight: window.innerHeight,
          heads: heads.map(r), labels: heads.map(h => h.textContent)};
}"""


def ten_versions() -> Comparison:
    corpus = load_corpus()
    texts = {v.label: v for v in corpus.versions}
    wire = texts["wire"].text
    versions = [SavedVersion(v.label, v.text, v.lang, "sample") for v in corpus.versions]
    lines = wire.splitlines()
    versions += [
        SavedVersion("scraped", wire + PADDING, "en"),
        SavedVersion("AP", "\n".join(lines[: len(lines) * 2 // 3]) + "\n", "en"),
        SavedVersion("Le Figaro", texts["fr"].text, "fr"),
        SavedVersion("El País", texts["es"].text, "es"),
        SavedVersion("Reuters", wire.replace(" port", " harbour").replace("Tuesday", "Tuesday morning"), "en"),
    ]
    assert len(versions) == 10
    return Comparison("Ten versions", versions, None, corpus.title)


@pytest.fixture(scope="module")
def seeded(app_server):  # noqa: F811
    comparison = ComparisonStore(app_server["data"] / "reviews.sqlite3").save(ten_versions())
    return {**app_server, "id": comparison.id}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _open(browser, url: str, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(url)
    return context, page


def _check_grid(page, name: str) -> dict:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_selector("table.px-grid", timeout=ANALYSIS_TIMEOUT_MS)
    _settle(page)
    _no_traceback(page)
    page.locator(".px-grid-wrap").scroll_into_view_if_needed()
    page.evaluate("() => document.querySelector('.px-grid-wrap').scrollIntoView({block: 'end'})")
    before = page.evaluate(GEOMETRY)
    labels = before["labels"]
    assert len(labels) == 11 and labels[0] == "#"
    reference = page.locator(".px-refline b").first.inner_text()
    assert reference != "scraped" and labels[1].startswith(reference) and "ref" in labels[1]
    # columns sized to the viewport, never below a readable minimum
    assert all(h["width"] >= MIN_COLUMN_PX for h in before["heads"][1:]), [h["width"] for h in before["heads"]]
    # the box fits the viewport: its horizontal scrollbar (its bottom edge) is on screen
    assert before["wrap"]["bottom"] <= before["innerHeight"] + 1 and before["wrap"]["top"] >= 0
    page.screenshot(path=str(ARTIFACTS / f"grid-{name}.png"))
    # scrolled to the far right: the row number and the reference stay, the last column is whole
    page.evaluate("() => { const w = document.querySelector('.px-grid-wrap'); w.scrollLeft = w.scrollWidth; }")
    page.wait_for_timeout(200)
    right = page.evaluate(GEOMETRY)
    for i in (0, 1):
        assert abs(right["heads"][i]["left"] - before["heads"][i]["left"]) < 1, ("sticky column", i)
    last = right["heads"][-1]
    assert last["right"] <= right["wrap"]["right"] + 1 and last["left"] >= right["heads"][1]["right"] - 1
    # scrolled down: the header stays on top of the box
    page.evaluate("() => { const w = document.querySelector('.px-grid-wrap'); w.scrollTop = 600; }")
    page.wait_for_timeout(200)
    down = page.evaluate(GEOMETRY)
    assert down["scrollHeight"] > down["clientHeight"]
    assert abs(down["heads"][3]["top"] - down["wrap"]["top"]) < 2
    page.screenshot(path=str(ARTIFACTS / f"grid-{name}-scrolled.png"))
    page.evaluate("() => { const w = document.querySelector('.px-grid-wrap'); w.scrollTop = 0; w.scrollLeft = 0; }")
    return before


def test_ten_versions_at_1280_px_and_a_reload_keeps_them(browser, seeded):
    context, page = _open(browser, f"{seeded['url']}/?c={seeded['id']}", 1280, 900)
    try:
        # the page shows at once: the versions to analyse and a progress bar while the encoder loads
        page.wait_for_selector(".px-loading, table.px-grid", timeout=ANALYSIS_TIMEOUT_MS)
        if page.locator(".px-loading").count():
            assert page.locator(".px-loading li").count() == 10
            page.screenshot(path=str(ARTIFACTS / "grid-loading.png"))
        geometry = _check_grid(page, "1280")
        assert geometry["scrollWidth"] > geometry["clientWidth"]  # ten readable columns need a scrollbar here
        # evidence: a compact list whose counterparts are one truncated line each, opening to the full text
        notes = page.locator("table.px-grid details.px-notes").first
        notes.scroll_into_view_if_needed()
        notes.locator("summary").first.click()
        counterpart = notes.locator("details.px-cp").first
        line = counterpart.locator("summary").bounding_box()
        assert line is not None and line["height"] < 30  # one line (two would be about 40 px)
        counterpart.locator("summary").click()
        assert counterpart.locator(".px-cp-full").is_visible()
        notes.screenshot(path=str(ARTIFACTS / "grid-evidence.png"))
        # a reload keeps the workspace (the address names the comparison)
        page.reload()
        page.wait_for_selector("table.px-grid", timeout=ANALYSIS_TIMEOUT_MS)
        assert page.locator("table.px-grid thead th").count() == 11
        assert f"c={seeded['id']}" in page.url
    finally:
        context.close()


def test_ten_versions_at_1920_px(browser, seeded):
    context, page = _open(browser, seeded["url"], 1920, 1080)  # no address: the latest comparison reopens
    try:
        _check_grid(page, "1920")
    finally:
        context.close()
