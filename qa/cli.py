"""Command line: ``parallax`` (or ``python -m qa``) ``align | check | score-pairs | prepare-model``.

A thin shell over the ``qa`` API. Exit codes: 0 success; 1 ``check`` found a flag at or
above ``--fail-on``; 2 bad input or environment, with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from qa.errors import InputError, ParallaxError
from qa.languages import normalise_language

EXIT_OK, EXIT_FLAGGED, EXIT_BAD_INPUT = 0, 1, 2


EPILOG = """\
examples:
  parallax check wire.txt spun.html de.docx --lang de.docx=de --format html --out report.html
  parallax check --project aktau.parallax.json --fail-on major
  parallax check memory.tmx                    # a TMX or XLIFF file gives one version per language
  parallax check wire.txt fr.txt --format tmx --out pairs.tmx [--tmx-include-flagged]
  parallax align src.txt tgt.md --out beads.jsonl --src-lang en --tgt-lang German
  parallax score-pairs pairs.jsonl --out scores.jsonl

files are read by content: plain text, Markdown (.md), HTML (main text only), Word .docx, XLIFF, TMX.
languages: a code (de, kk, pt-BR) or an English name (German, Kazakh); default: detected.

exit codes:
  0  success
  1  check found a flag at or above --fail-on
  2  bad input or environment (a one-line reason on stderr)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parallax",
        description="Parallax: align versions of a news report across outlets and languages, and flag what an editor must check.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    model_help = "sentence-transformers model name or folder (default: $PARALLAX_MODEL or 'bundled')"
    sub_options = {"epilog": EPILOG, "formatter_class": argparse.RawDescriptionHelpFormatter}

    p = sub.add_parser("align", help="align the sentences of two versions; write JSON-lines beads", **sub_options)
    p.add_argument("src", help="source file (text, Markdown, HTML, .docx)")
    p.add_argument("tgt", help="target file (text, Markdown, HTML, .docx)")
    p.add_argument("--out", required=True, help="output beads file (.jsonl)")
    p.add_argument("--src-lang", help="source language, code or name (default: detect)")
    p.add_argument("--tgt-lang", help="target language, code or name (default: detect)")
    p.add_argument("--presegmented", action="store_true", help="inputs hold one sentence per line")
    p.add_argument("--model", help=model_help)
    p.set_defaults(handler=cmd_align)

    p = sub.add_parser(
        "check", help="check one version (reference-free) or several against each other", **sub_options
    )
    p.add_argument("files", nargs="*", metavar="V", help="version files; a single file gets reference-free checks")
    p.add_argument("--project", metavar="FILE", help="a project file exported from the app (versions, languages, reference)")
    p.add_argument("--ref", help="the reference version, label or file (default: the one the others agree with most)")
    p.add_argument(
        "--lang", action="append", default=[], metavar="V=L",
        help="language of version V (label, file name or path), code or name; repeatable",
    )
    p.add_argument("--format", choices=["json", "csv", "html", "text", "tmx"], default="text")
    p.add_argument("--out", help="write the report here instead of stdout")
    p.add_argument("--fail-on", choices=["critical", "major", "minor"], help="exit 1 when a flag at or above this severity exists")
    p.add_argument(
        "--tmx-include-flagged", action="store_true",
        help="--format tmx: keep pairs with critical or major flags (marked in a note); left out by default",
    )
    p.add_argument("--model", help=model_help)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("score-pairs", help="translation risk for (source, translation) pairs in JSON lines")
    p.add_argument("pairs", help="input .jsonl: {id, src, tgt, src_lang?, tgt_lang?} per line")
    p.add_argument("--out", required=True, help="output .jsonl: {id, risk, flags} per line")
    p.add_argument("--model", help=model_help)
    p.set_defaults(handler=cmd_score_pairs)

    p = sub.add_parser("group", help="find which articles of a pile are versions of the same report")
    p.add_argument("articles", help="a folder of article files, or a JSON Lines file {id, text, lang?, url?, published?, outlet?}")
    p.add_argument("--out", required=True, help="output GROUPS.jsonl: one line per group (singletons too)")
    _add_engine_options(p, model_help)
    p.set_defaults(handler=cmd_group)

    p = sub.add_parser("batch", help="check every group of a GROUPS.jsonl; write reports, a flag table and a dashboard")
    p.add_argument("groups", help="GROUPS.jsonl as written by 'group'")
    p.add_argument("--out", required=True, help="output folder (resumable: finished groups are skipped)")
    p.add_argument("--fail-on", choices=["critical", "major", "minor"], help="exit 1 when a flag at or above this severity exists")
    _add_engine_options(p, model_help)
    p.set_defaults(handler=cmd_batch)

    p = sub.add_parser("prepare-model", help="convert the bundled model now (otherwise done on first use)")
    p.set_defaults(handler=cmd_prepare_model)

    p = sub.add_parser("hash-password", help="print a password hash for the app's sign-in (.streamlit/secrets.toml)")
    p.add_argument("user", help="the user name")
    p.set_defaults(handler=cmd_hash_password)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ParallaxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line unless debugging
        if os.environ.get("PARALLAX_DEBUG"):
            raise
        print(f"error: internal error ({type(exc).__name__}: {exc}); rerun with PARALLAX_DEBUG=1 for details", file=sys.stderr)
        return EXIT_BAD_INPUT


def main_exit() -> None:
    """The ``parallax`` console command (pyproject entry point)."""
    sys.exit(main())


def cmd_align(args: argparse.Namespace) -> int:
    from qa.align import align_texts, bead_json

    check_output_path(args.out)  # a bad --out is reported before the work, not after
    src_text, tgt_text = _single_text(args.src), _single_text(args.tgt)
    src_lang = normalise_language(args.src_lang, "--src-lang")
    tgt_lang = normalise_language(args.tgt_lang, "--tgt-lang")
    beads = align_texts(src_text, tgt_text, args.presegmented, src_lang, tgt_lang, model=args.model)
    lines = [json.dumps(bead_json(b)) for b in beads]
    _write(args.out, "\n".join(lines) + ("\n" if lines else ""))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from qa.pipeline import analyze_versions, prepare_versions
    from qa.segment import UNKNOWN_LANGUAGE
    from qa.workspace import script_hint

    check_output_path(args.out)  # a bad --out is reported before the work, not after
    if not args.files and not args.project:
        raise InputError("give at least one version file, or --project FILE")
    inputs, reference = _project_inputs(args.project) if args.project else ([], None)
    inputs += _file_inputs(args.files, [i.label for i in inputs])
    names = _version_names(inputs)
    for label, lang in _parse_langs(args.lang, names).items():
        next(i for i in inputs if i.label == label).lang = lang
    if args.ref:
        reference = names.get(args.ref)
        if reference is None:
            raise InputError(f"--ref {args.ref}: not one of the given versions")
    versions = prepare_versions(inputs)
    for version in versions:
        if version.lang == UNKNOWN_LANGUAGE:
            raise InputError(
                f"{version.label}: cannot tell which language this text is in{script_hint(version.text)}; "
                f"give it with --lang {version.label}=CODE"
            )
    report = analyze_versions(versions, reference=reference, model=args.model)
    for problem in report.problems:
        print(f"warning: {problem}", file=sys.stderr)
    _write(args.out, _render(report, args.format, args.tmx_include_flagged))
    if args.fail_on and report.flags_at_or_above(args.fail_on):
        return EXIT_FLAGGED
    return EXIT_OK


def _single_text(path: str) -> str:
    """The text of a one-version file (any format :func:`qa.formats.read_document` reads)."""
    from qa.formats import read_document

    items = read_document(path)
    if len(items) != 1:
        raise InputError(f"{path}: holds {len(items)} versions (one per language); align takes one version per file")
    return items[0].text


def _project_inputs(path: str):
    """The versions and reference of a project file."""
    from qa.comparisons import read_project_file
    from qa.pipeline import VersionInput

    project = read_project_file(path)
    inputs = [
        VersionInput(v.label, v.text, normalise_language(v.lang, f"{path}: {v.label}"), None) for v in project.versions
    ]
    return inputs, project.reference if project.reference in {i.label for i in inputs} else None


def _file_inputs(paths: list[str], taken: list[str]):
    """One input per version in the files: labels from file names (bilingual files: one per language)."""
    from qa.formats import read_document
    from qa.workspace import unique_label

    out = []
    used = list(taken)
    for path, label in zip(paths, _labels(paths)):
        items = read_document(path)
        for item in items:
            name = unique_label(label if len(items) == 1 else item.label, used)
            used.append(name)
            item.label, item.path = name, path
            out.append(item)
    return out


def _version_names(inputs) -> dict[str, str]:
    """Every way a user may name a version (label, file path as given, file name, resolved path) -> its label."""
    names: dict[str, str] = {}
    for item in inputs:
        if item.path:
            per_file = [i for i in inputs if i.path == item.path]
            if len(per_file) == 1:
                names[item.path] = item.label
                names[Path(item.path).name] = item.label
                names[str(Path(item.path).resolve())] = item.label
    names.update({i.label: i.label for i in inputs})
    return names


def cmd_score_pairs(args: argparse.Namespace) -> int:
    from qa.safe_output import json_line
    from qa.score_pairs import read_pairs, score_pairs

    check_output_path(args.out)  # a bad --out is reported before the work, not after
    pairs = read_pairs(args.pairs)
    results = score_pairs(pairs, model=args.model)
    for result in results:
        for problem in result.get("problems", ()):
            print(f"warning: pair {json_line(result['id'])}: {problem}", file=sys.stderr)
    _write(args.out, "".join(json_line(r) + "\n" for r in results))  # strict JSON, whatever the ids hold
    return EXIT_OK


def _add_engine_options(p: argparse.ArgumentParser, model_help: str) -> None:
    p.add_argument("--cluster", metavar="tcp://HOST:PORT", help="submit to this Dask scheduler (default: a local cluster)")
    p.add_argument("--workers", type=int, help="local cluster workers (default: one per core; 0: no Dask, run here)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--model", help=model_help)


def _engine(args: argparse.Namespace):
    from qa.engine import Engine

    if args.workers is not None and args.workers < 0:
        raise InputError("--workers must be 0 or more")
    return Engine(args.cluster, args.workers, args.model, progress=not args.no_progress)


def cmd_group(args: argparse.Namespace) -> int:
    from qa.articles import read_articles
    from qa.group import group_articles, write_groups

    articles = read_articles(args.articles)
    with _engine(args) as engine:
        grouping = group_articles(articles, engine, args.model)
    for line in grouping.warnings:
        print(f"warning: {line}", file=sys.stderr)
    write_groups(grouping, args.out)
    grouped = sum(g["size"] for g in grouping.groups if g["size"] > 1)
    print(f"{len(articles)} articles: {sum(g['size'] > 1 for g in grouping.groups)} groups ({grouped} articles), "
          f"{sum(g['size'] == 1 for g in grouping.groups)} singletons, {len(grouping.warnings)} warnings -> {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from qa.batch import run_batch

    with _engine(args) as engine:
        result = run_batch(args.groups, args.out, engine, args.model, args.fail_on)
    for line in result.failures:
        print(f"failed: {line}", file=sys.stderr)
    print(result.summary_line(), file=sys.stderr)
    return result.exit_code


def cmd_prepare_model(args: argparse.Namespace) -> int:
    from qa.bundled_model import materialise

    try:
        print(materialise())
    except (OSError, ValueError) as exc:
        raise ParallaxError(f"cannot convert the bundled model: {exc}") from exc
    return EXIT_OK


def cmd_hash_password(args: argparse.Namespace) -> int:
    """Read a password (twice on a terminal, else one line of stdin) and print the secrets.toml line."""
    import getpass

    from qa.auth import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise InputError("the two passwords differ")
    else:
        password = sys.stdin.readline(4096).rstrip("\n")
    if len(password) < 8:
        raise InputError("use a password of at least 8 characters")
    name = args.user.replace("\\", "\\\\").replace('"', '\\"')
    print(f"# in .streamlit/secrets.toml, under [auth.users]\n\"{name}\" = \"{hash_password(password)}\"")
    return EXIT_OK


def _render(report, fmt: str, tmx_include_flagged: bool = False) -> str:
    from qa import report as rep

    if fmt == "json":
        return rep.to_json(report) + "\n"
    if fmt == "csv":
        return rep.to_csv(report.flags)
    if fmt == "html":
        from qa.export_html import to_html

        return to_html(report)
    if fmt == "tmx":
        from qa.export_tmx import to_tmx

        return to_tmx(report, include_flagged=tmx_include_flagged)
    return rep.to_text(report)


def _labels(paths: list[str]) -> list[str]:
    """Version labels from file names: the stem, made unique with the parent folder if needed."""
    stems = [Path(p).stem or p for p in paths]
    out = []
    for path, stem in zip(paths, stems):
        label = stem if stems.count(stem) == 1 else f"{Path(path).parent.name}/{stem}"
        out.append(label if label not in out else path)
    return out


def _parse_langs(specs: list[str], names: dict[str, str]) -> dict[str, str]:
    """``V=L`` options -> label -> language code; V is a label, a file name or a path."""
    langs = {}
    for spec in specs:
        version, sep, lang = spec.rpartition("=")
        if not sep or not version or not lang:
            raise InputError(f"--lang {spec}: expected V=L, e.g. --lang de.txt=de")
        label = names.get(version) or names.get(str(Path(version).resolve()))
        if label is None:
            raise InputError(f"--lang {spec}: '{version}' is not one of the given versions")
        langs[label] = normalise_language(lang, f"--lang {spec}")
    return langs


def check_output_path(out: str | None) -> None:
    """Raise :class:`InputError` now if ``out`` cannot be written (missing folder, a folder, no permission)."""
    if out is None or out == "-":
        return
    path = Path(out)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"cannot write {out}: is a folder")
    if not parent.is_dir():
        raise InputError(f"cannot write {out}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"cannot write {out}: permission denied")


def _write(out: str | None, content: str) -> None:
    if out is None or out == "-":
        sys.stdout.write(content)
        return
    try:
        Path(out).write_text(content, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror}") from exc
