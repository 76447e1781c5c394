"""Parallax web app: review versions of a news report side by side. Run: make run.

A thin shell: layout and widgets only. Inputs, analysis, view models, review storage and exports live in qa/.
"""

from __future__ import annotations

import streamlit as st

from qa import batch_view, views, workspace
from qa.checks.base import SEVERITIES
from qa.encoder import default_model_name, get_encoder
from qa.errors import InputError, ParallaxError
from qa.languages import LANGUAGE_NAMES, language_name
from qa.report import Report
from qa.review import CONFIRMED, DISMISSED, ReviewStore, report_keys

AUTO = "auto"
PAGE_SIZE = 40

APP_CSS = """
<style>
.block-container{padding-top:2.2rem;padding-bottom:2rem;max-width:100%}
section[data-testid="stSidebar"]{min-width:370px}
[data-testid="stSidebar"] .block-container{padding-top:1rem}
[data-testid="stSidebar"] .stButton button{min-height:1.9rem;padding:.1rem .5rem;font-size:.8rem}
[data-testid="stSidebar"] .px-ev{font-size:.75rem;color:#6b7280;overflow-wrap:anywhere}
h1.px-title{font-size:1.45rem;font-weight:700;margin:0;padding:0;letter-spacing:-.01em}
h1.px-title span{font-weight:400;color:#6b7280}
.px-subtitle{color:#4b5563;font-size:.88rem;margin:.15rem 0 .4rem}
.px-pills{display:flex;gap:.4rem;flex-wrap:wrap;margin:.2rem 0 .2rem}
.px-pill{display:inline-flex;align-items:center;gap:.3rem;border:1px solid #e5e7eb;border-radius:999px;
 padding:.1rem .6rem;font-size:.8rem;color:#374151;background:#fff}
.px-pill b{font-size:.9rem}
.px-dot{width:.55rem;height:.55rem;border-radius:50%;display:inline-block}
.px-dot-critical{background:#c62828}.px-dot-major{background:#d97706}.px-dot-minor{background:#2563eb}
.px-legend{font-size:.78rem;color:#4b5563;display:flex;gap:.9rem;flex-wrap:wrap;align-items:center;margin:.2rem 0 .5rem}
.px-legend mark{padding:0 .3rem}
.px-grid-wrap{overflow-x:auto}
.px-grid{min-width:calc(var(--px-cols) * 220px)}
.px-card-flag{font-size:.82rem;line-height:1.4;border-left:3px solid #d1d5db;padding-left:.5rem}
.px-card-critical{border-left-color:#c62828}.px-card-major{border-left-color:#d97706}.px-card-minor{border-left-color:#2563eb}
.px-card-flag.px-decided{opacity:.6}
.px-card-head{display:flex;align-items:center;gap:.25rem;flex-wrap:wrap}
.px-card-version{color:#6b7280;margin-left:.2rem}
.px-goto{margin-left:auto;font-size:.75rem;text-decoration:none}
.px-card-text{margin-top:.15rem;color:#111827;font-style:italic;overflow-wrap:anywhere}
.px-card-msg{color:#374151;margin-top:.1rem}
.px-status{font-size:.66rem;font-weight:700;border-radius:3px;padding:0 .3rem;text-transform:uppercase}
.px-status-confirmed{background:#dcfce7;color:#166534}.px-status-dismissed{background:#e5e7eb;color:#374151}
.px-scorecards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:.6rem;margin-bottom:.8rem}
.px-scorecard{border:1px solid #e5e7eb;border-radius:8px;padding:.6rem .8rem;background:#fff}
.px-sc-label{font-weight:600;overflow-wrap:anywhere}
.px-sc-label .px-ref{margin-left:.4rem}
.px-sc-meta{color:#6b7280;font-size:.78rem;min-height:1em}
.px-sc-score{font-size:1.7rem;font-weight:700;font-variant-numeric:tabular-nums;line-height:1.2}
.px-sc-score span{font-size:.8rem;color:#9ca3af;font-weight:400}
.px-sc-bar{height:4px;background:#f1f2f4;border-radius:2px;margin:.2rem 0 .35rem}
.px-sc-bar div{height:4px;border-radius:2px}
.px-tone-good .px-sc-bar div{background:#16a34a}.px-tone-fair .px-sc-bar div{background:#d97706}
.px-tone-poor .px-sc-bar div{background:#c62828}
.px-sc-counts{display:flex;gap:.35rem;flex-wrap:wrap}
.px-count{font-size:.72rem;border-radius:3px;padding:0 .3rem;background:#f3f4f6;color:#374151}
.px-count-critical{color:#991b1b;background:#fde2e1}.px-count-major{color:#92400e;background:#fdecc8}
.px-count-minor{color:#1e40af;background:#dde8fd}
.px-empty{color:#6b7280;font-size:.9rem;padding:1rem 0}
</style>
"""


# ---------------------------------------------------------------- state


def init_state() -> None:
    """First run of a session: open the annotated sample corpus (or an empty workspace)."""
    if "drafts" in st.session_state:
        return
    st.session_state.update(drafts=[], reference=AUTO, title="", notice="", flag_limit=PAGE_SIZE, uploads=0)
    load_sample()


def load_sample() -> None:
    from qa.corpus import load_corpus

    try:
        corpus = load_corpus()
    except (InputError, OSError, KeyError, ValueError) as exc:
        st.session_state.update(drafts=[], reference=AUTO, title="", notice=f"No sample corpus available ({exc}).")
        return
    st.session_state.drafts = workspace.drafts_from_inputs(corpus.versions, origin="sample")
    st.session_state.reference = corpus.reference or AUTO
    st.session_state.title = corpus.title
    st.session_state.notice = ""


def clear_all() -> None:
    st.session_state.update(drafts=[], reference=AUTO, title="", notice="")


def labels() -> list[str]:
    return [d.label for d in st.session_state.drafts]


def add_inputs(items, origin: str | None = None) -> None:
    st.session_state.drafts += workspace.drafts_from_inputs(items, origin, labels())


def sync_draft(draft_id: str, field: str) -> None:
    """Copy a widget's value into its draft (widget callbacks)."""
    draft = next(d for d in st.session_state.drafts if d.id == draft_id)
    value = st.session_state[f"{field}-{draft_id}"]
    if field == "lang":
        value = None if value == AUTO else value
    setattr(draft, field, value)


def remove_draft(draft_id: str) -> None:
    st.session_state.drafts = [d for d in st.session_state.drafts if d.id != draft_id]
    for field in ("label", "lang", "text"):
        st.session_state.pop(f"{field}-{draft_id}", None)


def on_paste() -> None:
    from qa.pipeline import VersionInput

    text = st.session_state.get("paste_text", "")
    label = st.session_state.get("paste_label", "").strip() or f"version {len(st.session_state.drafts) + 1}"
    try:
        from qa.inputs import validate_text

        validate_text(text, label)
    except InputError as exc:
        st.session_state.add_error = str(exc)
        return
    add_inputs([VersionInput(label, text)], "pasted")
    st.session_state.paste_text = ""
    st.session_state.paste_label = ""
    st.session_state.add_error = ""


def on_upload() -> None:
    from qa.formats import read_upload

    files = st.session_state.get(f"upload-{st.session_state.uploads}") or []
    errors = []
    for file in files:
        try:
            add_inputs(read_upload(file.name, file.getvalue()))
        except InputError as exc:
            errors.append(str(exc))
    st.session_state.add_error = "\n\n".join(errors)
    st.session_state.uploads += 1  # a fresh, empty uploader


def on_import_url() -> None:
    from qa.fetch import import_url

    url = st.session_state.get("url", "")
    try:
        item = import_url(url, st.session_state.get("url_label", "").strip() or None)
    except ParallaxError as exc:
        st.session_state.add_error = str(exc)
        return
    add_inputs([item])
    st.session_state.url = ""
    st.session_state.url_label = ""
    st.session_state.add_error = ""


def decide(key: str, decision: str | None, index: int) -> None:
    report: Report | None = st.session_state.get("report")
    flag = report.flags[index] if report is not None and index < len(report.flags) else None
    try:
        review_store().set(key, decision, flag)
    except ParallaxError as exc:
        st.session_state.review_error = str(exc)


def review_store() -> ReviewStore:
    return ReviewStore()


# ---------------------------------------------------------------- analysis (cached)


@st.cache_resource(show_spinner="Loading the sentence encoder…")
def encoder(model: str):
    return get_encoder(model)


@st.cache_data(show_spinner=False, max_entries=24)
def analysis(key: tuple, reference: str | None, model: str) -> Report:
    """The report for these inputs; progress shows while it runs and disappears when done."""
    bar = st.progress(0.0, text="Starting analysis…")

    def progress(stage: str, done: float) -> None:
        bar.progress(min(max(done, 0.0), 1.0), text=f"{stage}…")

    try:
        return workspace.run_analysis(key, reference, model, progress)
    finally:
        bar.empty()


# ---------------------------------------------------------------- page parts


def header(report: Report | None, decisions: dict[str, str]) -> None:
    title = st.session_state.title or "Untitled story"
    st.html(f'<h1 class="px-title">Parallax <span>· {views.esc(title)}</span></h1>')
    if report is None:
        return
    ref = report.alignment.reference if report.alignment else None
    langs = ", ".join(dict.fromkeys(language_name(v.lang) for v in report.versions))
    n = len(report.versions)
    mode = f"reference: {ref}" if ref else "single version: reference-free checks"
    s = views.flag_summary(report, decisions)
    pills = "".join(
        f'<span class="px-pill"><span class="px-dot px-dot-{sev}"></span><b>{s[sev]}</b>{sev}</span>'
        for sev in SEVERITIES
    )
    pills += f'<span class="px-pill"><b>{s["confirmed"]}</b>confirmed</span>'
    pills += f'<span class="px-pill"><b>{s["dismissed"]}</b>dismissed</span>'
    st.html(
        f'<div class="px-subtitle">{n} version{"s" if n != 1 else ""} · {views.esc(langs)} · {views.esc(mode)}</div>'
        f'<div class="px-pills">{pills}</div>'
    )


def sidebar(report: Report | None, decisions: dict[str, str]) -> None:
    with st.sidebar:
        st.markdown("### Flags")
        if report is None:
            st.caption("Flags appear here once the versions are analysed.")
            return
        if not report.flags:
            st.success("Nothing flagged: no check found a problem in these versions.")
            return
        options = views.filter_options(report)
        severities = st.pills(
            "Severity", options["severities"], selection_mode="multi", key="f_sev", format_func=str.capitalize
        )
        types = st.multiselect(
            "Type", options["types"], key="f_type", format_func=views.type_label, placeholder="All types"
        )
        versions = st.multiselect("Version", options["versions"], key="f_version", placeholder="All versions")
        status = st.segmented_control(
            "Review status",
            list(views.STATUSES),
            key="f_status",
            default="active",
            format_func=views.STATUS_LABELS.get,
        )
        flt = views.FlagFilter(frozenset(types), frozenset(severities or ()), frozenset(versions), status or "active")
        items = views.flag_items(report, decisions, flt)
        st.caption(f"{len(items)} of {len(report.flags)} flags shown")
        if st.session_state.get("review_error"):
            st.error(st.session_state.pop("review_error"))
        if not items:
            st.info("No flag matches these filters.")
        seen: dict[str, int] = {}
        for item in items[: st.session_state.flag_limit]:
            # two flags can share a review key (same finding, e.g. raised against two versions): one decision
            # covers both, but each entry needs its own widget keys
            n = seen[item.key] = seen.get(item.key, -1) + 1
            flag_entry(item, f"{item.key}-{n}" if n else item.key)
        if len(items) > st.session_state.flag_limit:
            st.button(
                f"Show more ({len(items) - st.session_state.flag_limit} left)",
                on_click=lambda: st.session_state.update(flag_limit=st.session_state.flag_limit + PAGE_SIZE),
                width="stretch",
            )
    st.session_state.flt = flt


def flag_entry(item: views.FlagItem, wkey: str) -> None:
    """One flag of the list with its review buttons; ``wkey`` makes the widget keys unique on the page."""
    with st.container(border=True, key=f"flag-{wkey}"):
        st.html(views.flag_card_html(item))
        left, right = st.columns(2, gap="small")
        args = (item.key, None, item.index)
        if item.decision == CONFIRMED:
            left.button("Undo confirm", key=f"undo-{wkey}", on_click=decide, args=args, width="stretch",
                        type="tertiary")
        else:
            left.button("✓ Confirm", key=f"confirm-{wkey}", on_click=decide, args=(item.key, CONFIRMED, item.index),
                        width="stretch", help="a real problem: keep it")
        if item.decision == DISMISSED:
            right.button("Undo dismiss", key=f"undo-{wkey}-d", on_click=decide, args=args, width="stretch",
                         type="tertiary")
        else:
            right.button("✕ Dismiss", key=f"dismiss-{wkey}", on_click=decide, args=(item.key, DISMISSED, item.index),
                         width="stretch", help="a false positive: hide it")


def review_tab(report: Report, decisions: dict[str, str]) -> None:
    flt: views.FlagFilter = st.session_state.get("flt") or views.FlagFilter()
    visible = views.select_flags(report, decisions, flt)
    pairs = views.same_language_pairs(report)
    left, middle, _ = st.columns([2, 2, 3], vertical_alignment="bottom")
    diff_pair = None
    if pairs:
        choice = left.selectbox(
            "Word diff",
            ["off"] + [f"{b} vs {a}" for a, b in pairs],
            key="diff",
            help="Show inserted and deleted words of one version against another in the same language",
        )
        if choice != "off":
            diff_pair = pairs[[f"{b} vs {a}" for a, b in pairs].index(choice)]
    only_flagged = middle.toggle("Only rows with flags", key="only_flagged")
    rows = views.build_grid(report, visible, diff_pair)
    if only_flagged:
        rows = [r for r in rows if r.flags]
    legend = (
        '<div class="px-legend"><span><mark class="px-flag px-critical">critical</mark></span>'
        '<span><mark class="px-flag px-major">major</mark></span><span><mark class="px-flag px-minor">minor</mark></span>'
        '<span><span class="px-tag px-tag-moved">moved</span>passage moved</span>'
        "<span>— no counterpart</span><span>0.62 similarity to the reference</span>"
    )
    if diff_pair:
        legend += '<span><ins class="px-ins">inserted</ins> <del class="px-del">deleted</del> words</span>'
    legend += "<span>hover a highlight for the reason; open “flags” under a cell for the evidence</span></div>"
    st.html(legend)
    if not rows:
        st.html('<div class="px-empty">No row has a flag that matches the filters.</div>')
        return
    grid = views.grid_html(report, rows)
    st.html(
        f"<style>{views.GRID_CSS}</style>"
        f'<div class="px-grid-wrap" style="--px-cols:{len(report.versions)}">{grid}</div>'
    )


def overview_tab(report: Report, decisions: dict[str, str]) -> None:
    cards = views.score_cards(report, decisions)
    st.html('<div class="px-scorecards">' + "".join(views.score_card_html(c) for c in cards) + "</div>")
    st.markdown("##### Drift from the reference")
    records = views.heatmap_data(report)
    if not records:
        st.info("Drift needs at least two versions: add another version to compare against.")
    else:
        chart = views.drift_heatmap(records, [v.label for v in report.versions if v.label != report.alignment.reference])
        st.altair_chart(chart, width="stretch", theme=None)
        st.caption(
            "Each cell is one aligned row of one version, coloured by its similarity to the reference "
            "(pale = faithful, amber/red = drifted); dashed cells have no counterpart; dots mark flagged rows."
        )
    table = views.type_table(report, decisions)
    st.markdown("##### Flags by type and version")
    if table:
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.caption("No open flags.")


def versions_tab() -> None:
    drafts = st.session_state.drafts
    if st.session_state.notice:
        st.info(st.session_state.notice)
    top = st.columns([3, 1, 1], vertical_alignment="bottom")
    ref_options = [AUTO] + labels()
    if st.session_state.reference not in ref_options:
        st.session_state.reference = AUTO
    top[0].selectbox(
        "Reference version",
        ref_options,
        key="reference",
        format_func=lambda x: "Automatic (the most complete version)" if x == AUTO else x,
        help="Every other version is compared against this one",
    )
    top[1].button("Load sample story", on_click=load_sample, width="stretch")
    top[2].button("Remove all", on_click=clear_all, width="stretch", disabled=not drafts)
    if not drafts:
        st.html('<div class="px-empty">No versions yet. Paste a text, upload files or import a page below.</div>')
    for draft in drafts:
        version_editor(draft)
    add_versions()


def version_editor(draft: workspace.Draft) -> None:
    for field, value in (("label", draft.label), ("text", draft.text), ("lang", draft.lang or AUTO)):
        st.session_state.setdefault(f"{field}-{draft.id}", value)
    lang_options = [AUTO] + sorted(LANGUAGE_NAMES, key=LANGUAGE_NAMES.get)
    if draft.lang and draft.lang not in lang_options:
        lang_options.append(draft.lang)
    detected = workspace.detected_language(draft.text) if draft.text.strip() else "und"
    words = len(draft.text.split())
    title = f"**{md_escape(draft.label) or '(no label)'}** · {workspace.language_status(draft)} · {words:,} words"
    with st.expander(title, expanded=not draft.text.strip()):
        cols = st.columns([3, 3, 1], vertical_alignment="bottom")
        cols[0].text_input("Label (outlet)", key=f"label-{draft.id}", on_change=sync_draft, args=(draft.id, "label"))
        cols[1].selectbox(
            "Language",
            lang_options,
            key=f"lang-{draft.id}",
            on_change=sync_draft,
            args=(draft.id, "lang"),
            format_func=lambda c: f"Detect ({language_name(detected)})" if c == AUTO else f"{language_name(c)} ({c})",
        )
        cols[2].button("Remove", key=f"remove-{draft.id}", on_click=remove_draft, args=(draft.id,), width="stretch")
        st.text_area(
            "Text",
            key=f"text-{draft.id}",
            on_change=sync_draft,
            args=(draft.id, "text"),
            height=180,
            label_visibility="collapsed",
        )
        st.caption(f"From {draft.origin}. Edits are analysed when you leave the text box (or press Ctrl+Enter).")


def md_escape(text: str) -> str:
    """Escape Markdown in a user-given label shown in a Markdown-rendering widget label."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~$" else c for c in text)


def add_versions() -> None:
    from qa.formats import UPLOAD_TYPES

    st.markdown("##### Add versions")
    how = st.segmented_control(
        "Add from", ["Paste", "Upload", "URL"], key="add_how", default="Paste", label_visibility="collapsed"
    )
    if st.session_state.get("add_error"):
        st.error(st.session_state.add_error)
    if how == "Upload":
        st.file_uploader(
            "Files: .txt, .md, .html, .docx, or bilingual XLIFF / TMX (split into source and target)",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key=f"upload-{st.session_state.uploads}",
            on_change=on_upload,
        )
    elif how == "URL":
        cols = st.columns([4, 2, 1], vertical_alignment="bottom")
        cols[0].text_input("Page address", key="url", placeholder="https://…")
        cols[1].text_input("Label (optional)", key="url_label", placeholder="site name")
        cols[2].button("Import", on_click=on_import_url, width="stretch")
        st.caption("Only the article's main text is kept; menus, comment forms and ads are dropped.")
    else:
        st.text_input("Label (outlet)", key="paste_label", placeholder="e.g. Reuters")
        st.text_area("Text", key="paste_text", height=120, placeholder="Paste the article text here")
        st.button("Add version", on_click=on_paste, type="primary")


def export_tab(report: Report, decisions: dict[str, str]) -> None:
    """Download buttons; each file is built only when its button is clicked (deferred), not on every rerun."""
    import json

    from qa import export_html, export_tmx, review
    from qa.report import to_csv

    apply = st.toggle("Apply review decisions (leave dismissed flags out)", value=True, key="export_apply")
    used = dict(decisions) if apply else {}
    title = st.session_state.title or None
    stem = "parallax-" + workspace.digest(workspace.inputs_key(workspace.to_inputs(st.session_state.drafts)))[:8]

    def json_file() -> str:
        return json.dumps(review.reviewed_dict(report, used), ensure_ascii=False, indent=2)

    def csv_file() -> str:
        return to_csv(review.reviewed_report(report, used).flags)

    def html_file() -> str:
        return export_html.to_html(report, used, title)

    def tmx_file() -> str:
        return export_tmx.to_tmx(report, used)

    st.caption(
        "JSON follows the schema of `python -m qa check --format json`; the HTML report is one self-contained file "
        "to share or archive; TMX holds the reference-to-translation pairs with reviewers' notes for CAT tools."
    )
    cols = st.columns(4)
    cols[0].download_button(
        "JSON report", json_file, file_name=f"{stem}.json", mime="application/json", width="stretch",
        on_click="ignore",
        help="Versions, sentences, alignment rows and flags: the schema of `python -m qa check --format json`",
    )
    cols[1].download_button(
        "CSV of flags", csv_file, file_name=f"{stem}-flags.csv", mime="text/csv", width="stretch",
        on_click="ignore", help="One row per flag, for spreadsheets",
    )
    cols[2].download_button(
        "HTML report", html_file, file_name=f"{stem}.html", mime="text/html", width="stretch", on_click="ignore",
        help="A standalone page with the findings and the aligned text, to share or archive",
    )
    if report.alignment is not None:
        cols[3].download_button(
            "TMX (aligned pairs)", tmx_file, file_name=f"{stem}.tmx", mime="application/x-tmx+xml",
            width="stretch", on_click="ignore",
            help="Reference-to-translation pairs with the reviewers' notes, for CAT tools",
        )
    else:
        cols[3].button("TMX (aligned pairs)", disabled=True, width="stretch", help="needs two or more versions")


# ---------------------------------------------------------------- page


def main() -> None:
    st.set_page_config(page_title="Parallax · news version review", page_icon="◫", layout="wide")
    st.html(APP_CSS)
    init_state()
    model = default_model_name()
    report: Report | None = None
    error = ""
    try:
        inputs = workspace.to_inputs(st.session_state.drafts)
        encoder(model)
        reference = None if st.session_state.reference == AUTO else st.session_state.reference
        report = analysis(workspace.inputs_key(inputs), reference, model)
    except ParallaxError as exc:
        error = str(exc)
    except Exception as exc:  # a bug: one line on the page, never a traceback
        error = f"internal error while analysing ({type(exc).__name__}: {exc})"
    if report is None and st.session_state.get("report") is not None and st.session_state.drafts:
        stale: Report | None = st.session_state.report
    else:
        stale = None
    st.session_state.report = report or stale

    shown = report or stale
    decisions: dict[str, str] = {}
    if shown is not None:
        try:
            decisions = review_store().get_many(report_keys(shown))
        except ParallaxError as exc:
            st.session_state.review_error = str(exc)
    header(shown, decisions)
    if error:
        st.error(error, icon="⚠️")
        if stale is not None:
            st.caption("Showing the previous analysis until the problem above is fixed.")
    sidebar(shown, decisions)
    tabs = st.tabs(["Review", "Overview", "Versions", "Export"], key="tab")
    with tabs[0]:
        if shown is None:
            st.html('<div class="px-empty">Add versions in the <b>Versions</b> tab to start a review.</div>')
        else:
            review_tab(shown, decisions)
    with tabs[1]:
        if shown is None:
            st.html('<div class="px-empty">The overview appears after an analysis.</div>')
        else:
            overview_tab(shown, decisions)
    with tabs[2]:
        versions_tab()
    with tabs[3]:
        if report is None:
            st.html('<div class="px-empty">Exports are available once the current versions analyse without errors.</div>')
        else:
            export_tab(report, decisions)


def batch_page() -> None:
    """Browse a `python -m qa batch` output folder: its groups worst first, then one group in the review view."""
    st.set_page_config(page_title="Parallax · batch results", page_icon="◫", layout="wide")
    st.html(APP_CSS)
    st.session_state.setdefault("flag_limit", PAGE_SIZE)
    st.html('<h1 class="px-title">Parallax <span>· batch results</span></h1>')
    folder = st.text_input("Batch output folder", key="batch_dir", placeholder="the DIR of: python -m qa batch GROUPS.jsonl --out DIR")
    if not folder.strip():
        st.html('<div class="px-empty">Give the folder a batch run wrote (it holds index.json and index.html).</div>')
        return
    try:
        rows = batch_view.load_index(folder.strip())
    except ParallaxError as exc:
        st.error(str(exc), icon="⚠️")
        return
    picked = st.dataframe(batch_view.index_table(rows), hide_index=True, on_select="rerun", selection_mode="single-row",
                          key="batch_table", width="stretch")
    chosen = picked.selection.rows if picked is not None else []
    if not chosen:
        st.caption(f"{len(rows)} groups, worst first. Select a row to review that group.")
        return
    row = rows[chosen[0]]
    if row["status"] != "ok":
        st.error(row.get("reason") or "this group failed", icon="⚠️")
        return
    try:
        report = batch_view.load_report(folder.strip(), row["group"])
        decisions = review_store().get_many(report_keys(report))
    except ParallaxError as exc:
        st.error(str(exc), icon="⚠️")
        return
    st.session_state.report = report  # what the review buttons decide on
    st.markdown(f"#### {row['group']}")
    sidebar(report, decisions)
    tabs = st.tabs(["Review", "Overview"], key="batch_tab")
    with tabs[0]:
        review_tab(report, decisions)
    with tabs[1]:
        overview_tab(report, decisions)


if __name__ == "__main__":  # Streamlit runs the app as __main__; tests import the pages
    try:
        st.navigation([st.Page(main, title="Story review", default=True),
                       st.Page(batch_page, title="Batch results", url_path="batch")]).run()
    except Exception as exc:  # never a traceback in the page
        st.error(f"Parallax hit an internal error ({type(exc).__name__}: {exc}). Reload the page to start again.")
