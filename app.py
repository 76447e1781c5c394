"""Parallax web app: review versions of a news report side by side. Run: make run.

A thin shell: layout and widgets only. Inputs, analysis, view models, review storage and exports live in qa/.
"""

from __future__ import annotations

import json
import time

import streamlit as st

from qa import batch_view, views, workspace
from qa.background import BackgroundLoad
from qa.checks.base import SEVERITIES
from qa.comparisons import Comparison, ComparisonStore
from qa.encoder import default_model_name, get_encoder
from qa.errors import InputError, ParallaxError
from qa.languages import language_name, language_options
from qa.report import Report
from qa.review import CONFIRMED, DISMISSED, ReviewStore, report_keys

AUTO = "auto"
PAGE_SIZE = 40
ENCODER_LOAD_S = 8.0  # a cold start of the bundled encoder (bench/encoder.py), for the progress bar

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
.px-sc-verdict{font-size:.8rem;font-weight:600;color:#7c3aed;margin-top:.2rem;cursor:help}
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
.px-refline{font-size:.85rem;color:#374151}
.px-loading{font-size:.85rem;color:#374151;margin:.4rem 0}.px-loading ul{margin:.3rem 0;padding-left:1.1rem}
</style>
"""


# ---------------------------------------------------------------- state


def init_state() -> None:
    """First run of a session: reopen the comparison in the address (or the latest one), else the sample story."""
    if "drafts" in st.session_state:
        return
    st.session_state.update(
        drafts=[], reference=AUTO, title="", notice="", flag_limit=PAGE_SIZE, uploads=0, projects=0, filters={}
    )
    saved = None
    try:
        store = comparison_store()
        wanted = st.query_params.get("c")
        saved = (store.get(wanted) if wanted else None) or store.latest()
    except ParallaxError as exc:
        st.session_state.saved_error = str(exc)
    if saved is not None:
        open_comparison(saved)
        return
    load_sample()
    start_comparison(st.session_state.title or "Untitled comparison")


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
    from qa.formats import read_document_bytes

    files = st.session_state.get(f"upload-{st.session_state.uploads}") or []
    errors = []
    for file in files:
        try:
            add_inputs(read_document_bytes(file.name, file.getvalue()))
        except InputError as exc:
            errors.append(str(exc))
        except Exception as exc:  # a bug: a message in the page, never a traceback
            errors.append(f"{file.name}: the file could not be read (internal error: {type(exc).__name__})")
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
    except Exception as exc:  # a bug: a message in the page, never Streamlit's error page (which drops the session)
        st.session_state.add_error = f"{url}: the page could not be imported (internal error: {type(exc).__name__})"
        return
    add_inputs([item])
    st.session_state.url = ""
    st.session_state.url_label = ""
    st.session_state.add_error = ""


def decide(key: str, decision: str | None, index: int) -> None:
    report: Report | None = st.session_state.get("report")
    flag = report.flags[index] if report is not None and index < len(report.flags) else None
    try:
        review_store().set(key, decision, flag, user=st.session_state.get("user", ""))
    except ParallaxError as exc:
        st.session_state.review_error = str(exc)


def review_store() -> ReviewStore:
    return ReviewStore()


# ---------------------------------------------------------------- saved comparisons


FILTER_KEYS = ("f_sev", "f_type", "f_version", "f_status", "only_flagged", "diff")


def comparison_store() -> ComparisonStore:
    return ComparisonStore()


def current_comparison() -> Comparison:
    """The workspace as a :class:`Comparison` (what is saved as it changes)."""
    reference = st.session_state.reference
    return Comparison(
        name=st.session_state.get("comparison_name") or "Untitled comparison",
        versions=workspace.saved_versions(st.session_state.drafts),
        reference=None if reference == AUTO else reference,
        title=st.session_state.title,
        filters=dict(st.session_state.filters),
        id=st.session_state.comparison_id,
    )


def open_comparison(saved: Comparison) -> None:
    """Make ``saved`` the workspace (widget state of the previous one is dropped)."""
    for draft in st.session_state.get("drafts", []):
        for field in ("label", "lang", "text"):
            st.session_state.pop(f"{field}-{draft.id}", None)
    for key in FILTER_KEYS:
        st.session_state.pop(key, None)
    st.session_state.update(
        drafts=workspace.drafts_from_saved(saved.versions),
        reference=saved.reference or AUTO,
        title=saved.title,
        filters=dict(saved.filters),
        comparison_id=saved.id,
        comparison_name=saved.name,
        saved_state=json.dumps(saved.state(), sort_keys=True),
        notice="",
        flag_limit=PAGE_SIZE,
    )
    st.query_params["c"] = saved.id


def start_comparison(name: str) -> None:
    """A new comparison holding the current workspace, saved at once."""
    st.session_state.update(comparison_id=Comparison(name).id, comparison_name=name, saved_state="")
    persist()


def persist() -> None:
    """Save the workspace when it changed since the last save (one transaction)."""
    comparison = current_comparison()
    state = json.dumps(comparison.state(), sort_keys=True)
    if state == st.session_state.get("saved_state"):
        return
    try:
        comparison_store().save(comparison)
    except ParallaxError as exc:
        st.session_state.saved_error = str(exc)
        return
    st.session_state.saved_state = state
    st.query_params["c"] = comparison.id


def remember_filter(key: str, value) -> None:
    """Keep a filter widget's value apart from the widget (Streamlit drops state of widgets not drawn)."""
    st.session_state.filters[key] = list(value) if isinstance(value, list | tuple | set | frozenset) else value


def restore_filter(key: str, allowed: list | None = None) -> None:
    """Give a filter widget its saved value before it is drawn (values no longer offered are dropped)."""
    if key in st.session_state or key not in st.session_state.filters:
        return
    value = st.session_state.filters[key]
    if allowed is not None:
        value = [v for v in value if v in allowed] if isinstance(value, list) else value if value in allowed else None
        if value is None:
            return
    st.session_state[key] = value


def on_open(comparison_id: str) -> None:
    persist()
    try:
        saved = comparison_store().get(comparison_id)
    except ParallaxError as exc:
        st.session_state.saved_error = str(exc)
        return
    if saved is not None:
        open_comparison(saved)


def on_new_comparison() -> None:
    persist()
    try:
        open_comparison(comparison_store().save(Comparison("Untitled comparison")))
    except ParallaxError as exc:
        st.session_state.saved_error = str(exc)


def on_duplicate(comparison_id: str) -> None:
    persist()
    try:
        open_comparison(comparison_store().duplicate(comparison_id))
    except ParallaxError as exc:
        st.session_state.saved_error = str(exc)


def on_delete(comparison_id: str) -> None:
    try:
        store = comparison_store()
        store.delete(comparison_id)
        if comparison_id == st.session_state.comparison_id:
            open_comparison(store.latest() or store.save(Comparison("Untitled comparison")))
    except ParallaxError as exc:
        st.session_state.saved_error = str(exc)


def on_import_project() -> None:
    from qa.comparisons import from_project

    file = st.session_state.get(f"project-{st.session_state.projects}")
    st.session_state.projects += 1  # a fresh, empty uploader
    if file is None:
        return
    try:
        imported = from_project(file.getvalue(), file.name)
        persist()
        open_comparison(comparison_store().save(imported))
    except ParallaxError as exc:
        st.session_state.saved_error = str(exc)


# ---------------------------------------------------------------- analysis (cached)


@st.cache_resource(show_spinner=False)
def encoder_loader(model: str) -> BackgroundLoad:
    """The encoder, loading in a background thread from the first visit on (once per process)."""
    return BackgroundLoad(lambda: get_encoder(model), "encoder")


def wait_for_encoder(loader: BackgroundLoad, inputs) -> None:
    """While the encoder loads: the versions about to be analysed and a progress bar (the page is never blank)."""
    if loader.done:
        loader.result()  # raises a load error (ParallaxError: model unavailable) for the page to show
        return
    rows = "".join(
        f"<li><b>{views.esc(i.label)}</b> · {views.esc(language_name(i.lang or workspace.detected_language(i.text)))}"
        f" · {len(i.text.split()):,} words — {views.esc(views.shorten(i.text, 110))}</li>"
        for i in inputs
    )
    st.html(f'<div class="px-loading"><b>Versions to analyse</b><ul>{rows}</ul></div>')
    bar = st.progress(0.0, text="Loading the sentence encoder…")
    while not loader.wait(0.25):
        expected = ENCODER_LOAD_S
        bar.progress(min(0.95, loader.elapsed / expected),
                     text=f"Loading the sentence encoder… {loader.elapsed:.0f} s (usually about {expected:.0f} s, once)")
    bar.empty()
    loader.result()


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


def header_title() -> None:
    title = st.session_state.title or "Untitled story"
    st.html(f'<h1 class="px-title">Parallax <span>· {views.esc(title)}</span></h1>')


def header_summary(report: Report | None, decisions: dict[str, str]) -> None:
    """Under the title, once analysed: the reference and why, versions, languages and flag counts."""
    if report is None:
        return
    ref = report.alignment.reference if report.alignment else None
    if ref:
        reference_bar(report, ref)
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


def reference_bar(report: Report, ref: str) -> None:
    """The reference in use, why it was chosen, and one click to compare against another version."""
    automatic = st.session_state.reference == AUTO
    reason = "set by hand"
    if automatic:
        try:
            choice = workspace.reference_choice(st.session_state.analysed_key, report.model)
            reason = f"chosen automatically: {choice.reason}" if choice.label == ref else "chosen automatically"
        except ParallaxError:
            reason = "chosen automatically"
    cols = st.columns([5, 2], vertical_alignment="center")
    cols[0].html(f'<div class="px-refline">Reference <b>{views.esc(ref)}</b> · {views.esc(reason)}</div>')
    options = [v.label for v in report.versions] + ([] if automatic else [AUTO])
    cols[1].selectbox(
        "Compare against", options, index=None, key="ref_pick", placeholder="Change the reference…",
        format_func=lambda x: "Automatic choice" if x == AUTO else x, on_change=on_pick_reference,
        label_visibility="collapsed",
    )


def on_pick_reference() -> None:
    picked = st.session_state.get("ref_pick")
    if picked:
        st.session_state.reference = picked
    st.session_state.ref_pick = None


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
        restore_filter("f_sev", options["severities"])
        restore_filter("f_type", options["types"])
        restore_filter("f_version", options["versions"])
        restore_filter("f_status", list(views.STATUSES))
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
            default=None if "f_status" in st.session_state else "active",  # a restored value wins
            format_func=views.STATUS_LABELS.get,
        )
        for key, value in (("f_sev", severities or []), ("f_type", types), ("f_version", versions), ("f_status", status)):
            remember_filter(key, value)
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
    tracked = False
    if pairs:
        tracked_option = "tracked changes vs reference"
        restore_filter("diff", [tracked_option, "off"] + [f"{b} vs {a}" for a, b in pairs])
        choice = left.selectbox(
            "Word diff",
            [tracked_option, "off"] + [f"{b} vs {a}" for a, b in pairs],
            key="diff",
            help="Tracked changes: every same-language version against the reference, each change classified "
            "(hover it); or plain inserted and deleted words of one version against another",
        )
        remember_filter("diff", choice)
        tracked = choice == tracked_option
        if choice not in ("off", tracked_option):
            diff_pair = pairs[[f"{b} vs {a}" for a, b in pairs].index(choice)]
    restore_filter("only_flagged")
    only_flagged = middle.toggle("Only rows with flags", key="only_flagged")
    remember_filter("only_flagged", only_flagged)
    rows = views.build_grid(report, visible, diff_pair, tracked=tracked)
    if only_flagged:
        rows = [r for r in rows if r.flags]
    legend = (
        '<div class="px-legend"><span><mark class="px-flag px-critical">critical</mark></span>'
        '<span><mark class="px-flag px-major">major</mark></span><span><mark class="px-flag px-minor">minor</mark></span>'
        '<span><span class="px-tag px-tag-moved">moved</span>passage moved</span>'
        "<span>— no counterpart</span><span>0.62 similarity to the reference</span>"
    )
    if tracked:
        legend += ('<span><del class="px-del">deleted</del> <ins class="px-ins px-chg-synonym">inserted</ins> '
                   '<ins class="px-ins px-chg-form">form only</ins> (hover a change for its class)</span>')
    if diff_pair:
        legend += '<span><ins class="px-ins">inserted</ins> <del class="px-del">deleted</del> words</span>'
    legend += "<span>hover a highlight for the reason; open “flags” under a cell for the evidence</span></div>"
    st.html(legend)
    if not rows:
        st.html('<div class="px-empty">No row has a flag that matches the filters.</div>')
        return
    st.html(f"<style>{views.GRID_CSS}</style>{views.grid_block(report, rows)}")


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
        format_func=lambda x: "Automatic (the version the others agree with most)" if x == AUTO else x,
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
    lang_options = [AUTO] + language_options()
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
    tmx_flagged = st.checkbox(
        "TMX: include pairs with open critical or major flags (marked in a note)", value=False, key="tmx_flagged",
        help="Left out by default, so questioned translations do not enter a translation memory",
    )
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
        return export_tmx.to_tmx(report, used, include_flagged=tmx_flagged)

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


def comparisons_tab() -> None:
    """Name the current comparison; open, duplicate or delete saved ones; import and export project files."""
    from qa.comparisons import PROJECT_SUFFIX, to_project

    if st.session_state.get("saved_error"):
        st.error(st.session_state.pop("saved_error"))
    top = st.columns([3, 1, 1], vertical_alignment="bottom")
    top[0].text_input("Name of this comparison", key="comparison_name", help="Saved as you work")
    top[1].button("New comparison", on_click=on_new_comparison, width="stretch")
    name = st.session_state.get("comparison_name") or "comparison"
    top[2].download_button(
        "Export project", lambda: to_project(current_comparison()), file_name=workspace.file_stem(name) + PROJECT_SUFFIX,
        mime="application/json", width="stretch", on_click="ignore",
        help="One file with every version, label, language, the reference and the filters; "
        "`python -m qa check --project FILE` reads it too",
    )
    st.file_uploader(
        "Import a project file", type=["json"], key=f"project-{st.session_state.projects}", on_change=on_import_project
    )
    st.markdown("##### Saved comparisons")
    try:
        saved = comparison_store().list()
    except ParallaxError as exc:
        st.error(str(exc))
        return
    for item in saved:
        current = item.id == st.session_state.comparison_id
        cols = st.columns([4, 1, 1, 1], vertical_alignment="center")
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(item.updated_at))
        cols[0].markdown(
            f"{'**' if current else ''}{md_escape(item.name)}{'** (open)' if current else ''} · "
            f"{item.versions} version{'s' if item.versions != 1 else ''} · {when}"
        )
        cols[1].button("Open", key=f"open-{item.id}", on_click=on_open, args=(item.id,), disabled=current,
                       width="stretch")
        cols[2].button("Duplicate", key=f"dup-{item.id}", on_click=on_duplicate, args=(item.id,), width="stretch")
        cols[3].button("Delete", key=f"del-{item.id}", on_click=on_delete, args=(item.id,), width="stretch")


# ---------------------------------------------------------------- page


def signed_in() -> bool:
    """Sign-in when the server listens beyond this machine (see qa/auth.py); the user's name in the session."""
    from qa import auth

    if st.session_state.get("user"):
        return True
    if auth.is_loopback(st.get_option("server.address")):
        st.session_state.user = auth.local_user()
        return True
    try:
        users = auth.configured_users(st.secrets)
    except Exception:  # no secrets file
        users = {}
    st.html('<h1 class="px-title">Parallax <span>· sign in</span></h1>')
    if not users:
        st.error("This Parallax is open to the network but no user is configured: add [auth.users] to "
                 ".streamlit/secrets.toml (see the README, 'Deployment and sign-in').")
        return False
    with st.form("sign-in"):
        name = st.text_input("User name", key="signin_name")
        password = st.text_input("Password", type="password", key="signin_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            user = auth.SIGN_IN.attempt(users, name, password)
        except PermissionError as exc:
            st.error(str(exc))
            return False
        if user is None:
            st.error("Wrong user name or password.")
            return False
        st.session_state.user = user
        st.session_state.pop("signin_password", None)
        st.rerun()
    return False


def review_history(keys: list[str]) -> None:
    """Who decided what on this report's flags, and when (newest first)."""
    try:
        changes = review_store().changes(keys, limit=100)
    except ParallaxError as exc:
        st.caption(str(exc))
        return
    with st.sidebar.expander(f"Review history ({len(changes)})"):
        if not changes:
            st.caption("No decision on these flags yet.")
        for change in changes:
            st.caption(md_escape(change.describe()))
        st.caption(f"Signed in as {md_escape(st.session_state.get('user', ''))}")


def main() -> None:
    st.set_page_config(page_title="Parallax · news version review", page_icon="◫", layout="wide")
    st.html(APP_CSS)
    if not signed_in():
        return
    init_state()
    model = default_model_name()
    loader = encoder_loader(model)  # started on the first visit; the page below shows while it runs
    top = st.container()
    with top:
        header_title()
    tabs = st.tabs(["Review", "Overview", "Versions", "Export", "Comparisons"], key="tab")
    with tabs[2]:
        versions_tab()
    with tabs[4]:
        comparisons_tab()
    persist()  # the versions are saved before the (slow) analysis; the filters again at the end
    report: Report | None = None
    error = ""
    with tabs[0]:
        working = st.empty()
    try:
        inputs = workspace.to_inputs(st.session_state.drafts)
        with working.container():
            wait_for_encoder(loader, inputs)
            reference = None if st.session_state.reference == AUTO else st.session_state.reference
            key = workspace.inputs_key(inputs)
            report = analysis(key, reference, model)
        st.session_state.analysed_key = key
    except ParallaxError as exc:
        error = str(exc)
    except Exception as exc:  # a bug: one line on the page, never a traceback
        error = f"internal error while analysing ({type(exc).__name__}: {exc})"
    working.empty()
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
    with top:
        header_summary(shown, decisions)
        if error:
            st.error(error, icon="⚠️")
            if stale is not None:
                st.caption("Showing the previous analysis until the problem above is fixed.")
    sidebar(shown, decisions)
    if shown is not None:
        review_history(report_keys(shown))
        for problem in getattr(shown, "problems", []):
            st.warning(problem, icon="⚠️")
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
    with tabs[3]:
        if report is None:
            st.html('<div class="px-empty">Exports are available once the current versions analyse without errors.</div>')
        else:
            export_tab(report, decisions)
    persist()


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
