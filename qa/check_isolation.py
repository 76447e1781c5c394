"""A check that raises must cost only its findings on the text that made it fail, not the whole report.

:func:`run_isolated` runs one check; when it raises, the failure is narrowed down to the alignment rows (for
cross-version checks) or the versions (for reference-free ones) that make it raise, by bisection: the check is
rerun with half of the rows masked (their cells emptied, so every check skips them and row numbers stay
valid), and so on. The check then runs once more on everything but the failing rows, and the report keeps
those flags and names the check and the rows it could not check. Narrowing costs a few reruns (at most
``MAX_RERUNS``); a failure that does not come from particular rows leaves the check out altogether.
"""

from __future__ import annotations

from collections.abc import Callable

from qa.checks.base import Check, CheckContext, Flag
from qa.nway import Alignment, AlignmentRow

MAX_RERUNS = 40


def run_isolated(check: Check, ctx: CheckContext, run: Callable[[CheckContext], list[Flag]]) -> tuple[list[Flag], str | None]:
    """``run(ctx)``'s flags and None; after a failure, the flags it gives without the failing part and a note."""
    try:
        return run(ctx), None
    except Exception as exc:  # a bug: narrow it down instead of losing every finding of the check
        error = f"{type(exc).__name__}: {exc}"
    units = _units(check, ctx)
    budget = [MAX_RERUNS]
    bad = _failing(units, ctx, check, run, budget) if len(units) > 1 else None
    if bad and len(bad) < len(units):
        keep = [u for u in units if u not in bad]
        try:
            flags = run(_restricted(ctx, check, keep))
        except Exception:
            flags = None
        if flags is not None:
            where = _describe(check, bad)
            return flags, f"check {check.name} failed on {where} ({error}); its flags elsewhere are kept"
    return [], f"check {check.name} failed ({error}); its flags are missing"


def _units(check: Check, ctx: CheckContext) -> list:
    if check.needs_alignment and ctx.alignment is not None:
        return [row.index for row in ctx.alignment.rows]
    return [v.label for v in ctx.versions]


def _restricted(ctx: CheckContext, check: Check, keep: list) -> CheckContext:
    """A fresh context with only ``keep`` (row indices, or version labels) left to check."""
    if check.needs_alignment and ctx.alignment is not None:
        kept = set(keep)
        rows = [
            row if row.index in kept else AlignmentRow(row.index, {label: () for label in row.cells}, {}, frozenset())
            for row in ctx.alignment.rows
        ]
        alignment = Alignment(ctx.alignment.reference, rows, ctx.alignment.pairs)
        return CheckContext(ctx.versions, alignment, ctx.embeddings, ctx.model)
    labels = set(keep)
    return CheckContext([v for v in ctx.versions if v.label in labels], ctx.alignment, ctx.embeddings, ctx.model)


def _failing(units: list, ctx: CheckContext, check: Check, run, budget: list[int]) -> list | None:
    """The units that make ``run`` raise on their own (bisection); None when the budget runs out or the
    failure needs several units together."""
    if budget[0] <= 0:
        return None
    budget[0] -= 1
    try:
        run(_restricted(ctx, check, units))
        return []
    except Exception:
        pass
    if len(units) == 1:
        return units
    half = len(units) // 2
    left = _failing(units[:half], ctx, check, run, budget)
    right = _failing(units[half:], ctx, check, run, budget)
    if left is None or right is None or not (left or right):
        return None
    return left + right


def _describe(check: Check, bad: list) -> str:
    if check.needs_alignment:
        shown = ", ".join(str(i + 1) for i in bad[:10]) + (" ..." if len(bad) > 10 else "")
        return f"row{'s' if len(bad) > 1 else ''} {shown}"
    return f"version{'s' if len(bad) > 1 else ''} {', '.join(map(str, bad))}"


__all__ = ["MAX_RERUNS", "run_isolated"]
