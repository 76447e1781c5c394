"""The registry of checks. Adding a check: write its module, add one line to CHECKS."""

from __future__ import annotations

from qa.checks import (
    boilerplate,
    drift,
    garbled,
    mojibake,
    names,
    negation,
    non_words,
    numbers,
    omission,
    polarity_probe,
    reworded,
    structure,
    wrong_language,
)
from qa.checks.base import Check, CheckContext, Evidence, Flag

CHECKS: list[Check] = [
    non_words.CHECK,
    garbled.CHECK,
    boilerplate.CHECK,
    mojibake.CHECK,
    wrong_language.CHECK,
    numbers.CHECK,
    names.CHECK,
    negation.CHECK,
    polarity_probe.CHECK,
    reworded.CHECK,
    structure.CHECK,
    omission.CHECK,
    drift.CHECK,
]


def run_checks(ctx: CheckContext, names: list[str] | None = None) -> list[Flag]:
    """Run every registered check that applies (or only ``names``) and return all flags."""
    flags: list[Flag] = []
    for check in CHECKS:
        if names is not None and check.name not in names:
            continue
        if check.needs_alignment and (ctx.alignment is None or len(ctx.versions) < 2):
            continue
        flags.extend(check.run(ctx))
    return flags


def run_checks_isolated(ctx: CheckContext, names: list[str] | None = None, failures: list[str] | None = None) -> list[Flag]:
    """Like :func:`run_checks`, but a check that raises does not end the analysis: the rows (or versions) that
    make it fail are left out of that check (:mod:`qa.check_isolation`), its note (check name, rows and the
    exception) is appended to ``failures``, and every other flag is kept."""
    from qa.check_isolation import run_isolated

    flags: list[Flag] = []
    for check in CHECKS:
        if names is not None and check.name not in names:
            continue
        found, failure = run_isolated(check, ctx, lambda c, name=check.name: run_checks(c, [name]))
        flags.extend(found)
        if failure is not None and failures is not None:
            failures.append(failure)
    return flags


__all__ = ["CHECKS", "Check", "CheckContext", "Evidence", "Flag", "run_checks", "run_checks_isolated"]
