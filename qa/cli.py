"""Command line: ``python -m qa align | check | score-pairs | prepare-model``.

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m qa",
        description="Parallax: align versions of a news report across outlets and languages, and flag what an editor must check.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    model_help = "sentence-transformers model name or folder (default: $PARALLAX_MODEL or 'bundled')"

    p = sub.add_parser("align", help="align the sentences of two versions; write JSON-lines beads")
    p.add_argument("src", help="source text file")
    p.add_argument("tgt", help="target text file")
    p.add_argument("--out", required=True, help="output beads file (.jsonl)")
    p.add_argument("--src-lang", help="source language code (default: detect)")
    p.add_argument("--tgt-lang", help="target language code (default: detect)")
    p.add_argument("--presegmented", action="store_true", help="inputs hold one sentence per line")
    p.add_argument("--model", help=model_help)
    p.set_defaults(handler=cmd_align)

    p = sub.add_parser("check", help="check one version (reference-free) or several against each other")
    p.add_argument("files", nargs="+", metavar="V", help="version files; a single file gets reference-free checks")
    p.add_argument("--ref", help="the reference version (default: the most complete)")
    p.add_argument("--lang", action="append", default=[], metavar="V=L", help="language of version V (file or label), repeatable")
    p.add_argument("--format", choices=["json", "csv", "html", "text"], default="text")
    p.add_argument("--out", help="write the report here instead of stdout")
    p.add_argument("--fail-on", choices=["critical", "major", "minor"], help="exit 1 when a flag at or above this severity exists")
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


def cmd_align(args: argparse.Namespace) -> int:
    from qa.align import align_texts, bead_json
    from qa.inputs import read_text_file

    src_text, tgt_text = read_text_file(args.src), read_text_file(args.tgt)
    src_lang = normalise_language(args.src_lang, "--src-lang")
    tgt_lang = normalise_language(args.tgt_lang, "--tgt-lang")
    beads = align_texts(src_text, tgt_text, args.presegmented, src_lang, tgt_lang, model=args.model)
    lines = [json.dumps(bead_json(b)) for b in beads]
    _write(args.out, "\n".join(lines) + ("\n" if lines else ""))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from qa.inputs import read_text_file
    from qa.pipeline import VersionInput, analyze_versions, prepare_versions
    from qa.segment import UNKNOWN_LANGUAGE

    labels = _labels(args.files)
    langs = _parse_langs(args.lang, dict(zip(args.files, labels)))
    inputs = [
        VersionInput(label, read_text_file(path), langs.get(label), path) for path, label in zip(args.files, labels)
    ]
    reference = None
    if args.ref:
        reference = dict(zip(args.files, labels)).get(args.ref, args.ref)
        if reference not in labels:
            raise InputError(f"--ref {args.ref}: not one of the given versions")
    versions = prepare_versions(inputs)
    for version in versions:
        if version.lang == UNKNOWN_LANGUAGE:
            raise InputError(
                f"{version.label}: cannot tell which language this text is in; give it with --lang {version.label}=CODE"
            )
    report = analyze_versions(versions, reference=reference, model=args.model)
    _write(args.out, _render(report, args.format))
    if args.fail_on and report.flags_at_or_above(args.fail_on):
        return EXIT_FLAGGED
    return EXIT_OK


def cmd_score_pairs(args: argparse.Namespace) -> int:
    from qa.score_pairs import read_pairs, score_pairs

    pairs = read_pairs(args.pairs)
    results = score_pairs(pairs, model=args.model)
    _write(args.out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results))
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


def _render(report, fmt: str) -> str:
    from qa import report as rep

    if fmt == "json":
        return rep.to_json(report) + "\n"
    if fmt == "csv":
        return rep.to_csv(report.flags)
    if fmt == "html":
        from qa.export_html import to_html

        return to_html(report)
    return rep.to_text(report)


def _labels(paths: list[str]) -> list[str]:
    """Version labels from file names: the stem, made unique with the parent folder if needed."""
    stems = [Path(p).stem or p for p in paths]
    out = []
    for path, stem in zip(paths, stems):
        label = stem if stems.count(stem) == 1 else f"{Path(path).parent.name}/{stem}"
        out.append(label if label not in out else path)
    return out


def _parse_langs(specs: list[str], path_to_label: dict[str, str]) -> dict[str, str]:
    langs = {}
    for spec in specs:
        version, sep, lang = spec.partition("=")
        if not sep or not version or not lang:
            raise InputError(f"--lang {spec}: expected V=L, e.g. --lang de.txt=de")
        label = path_to_label.get(version, version)
        if label not in path_to_label.values():
            raise InputError(f"--lang {spec}: '{version}' is not one of the given versions")
        langs[label] = normalise_language(lang, f"--lang {spec}")
    return langs


def _write(out: str | None, content: str) -> None:
    if out is None or out == "-":
        sys.stdout.write(content)
        return
    try:
        Path(out).write_text(content, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror}") from exc
