"""Parallax: align versions of a news report across outlets and languages and flag problems.

Data flows one way through the stages, each a module with a small typed interface:
``inputs`` (documents in) -> ``segment`` -> ``encoder`` -> ``align`` / ``nway`` ->
``checks`` -> ``report`` -> views (``app.py``, ``cli``, exports).  ``pipeline.analyze``
runs them all.  Importing ``qa`` is cheap: models load on first use.
"""

__version__ = "0.1.0"
