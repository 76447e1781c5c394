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
    """Like :func:`run_checks`, but a check that raises is left out instead of ending the analysis: its
    failure (check name and exception) is appended to ``failures`` and the other checks' flags are kept."""
    flags: list[Flag] = []
    for check in CHECKS:
        if names is not None and check.name not in names:
            continue
        try:
            flags.extend(run_checks(ctx, [check.name]))
        except Exception as exc:  # a bug in one check must not cost the user the other checks' findings
            if failures is not None:
                failures.append(f"check {check.name} failed ({type(exc).__name__}: {exc}); its flags are missing")
    return flags


__all__ = ["CHECKS", "Check", "CheckContext", "Evidence", "Flag", "run_checks", "run_checks_isolated"]
