"""English WordNet 3.0, offline: Debian's ``wordnet-base`` + ``wordnet-sense-index`` read through NLTK.

NLTK's WordNet reader expects ``<root>/corpora/wordnet/`` with the database files, a ``lexnames`` file and
``index.sense``.  The Debian packages give the database files (``/usr/share/wordnet``) and ``index.sense``, but no
``lexnames``: that list is documented in the man page ``lexnames(5WN)`` that ``wordnet-base`` installs, and is
generated from it.  On first use the layout is built under the project cache (``$PARALLAX_CACHE`` or
``~/.cache/parallax``, folder ``nltk_data``) as copies of the Debian files (about 35 MB; NLTK refuses links)
plus the generated ``lexnames``, in a temporary folder renamed into place, so an interrupted build never leaves a half layout.  Nothing is downloaded.

``WORDNET_DIR`` (default ``/usr/share/wordnet``) and ``WORDNET_LEXNAMES_MAN`` point elsewhere if needed.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import tempfile
import threading
import warnings
from functools import cache, lru_cache
from pathlib import Path

from qa.errors import InputError

WORDNET_DIR = Path(os.environ.get("WORDNET_DIR", "/usr/share/wordnet"))
LEXNAMES_MAN = Path(os.environ.get("WORDNET_LEXNAMES_MAN", "/usr/share/man/man5/lexnames.5WN.gz"))
DATA_FILES = (
    "data.noun", "data.verb", "data.adj", "data.adv", "index.noun", "index.verb", "index.adj", "index.adv",
    "noun.exc", "verb.exc", "adj.exc", "adv.exc", "index.sense", "cntlist.rev",
)
_POS_NUMBER = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}
_LEXNAME_LINE = re.compile(r"^(\d\d)\t([a-z]+)\.(\w+)\s*\t")
_lock = threading.Lock()


class WordNetMissing(InputError):
    """The Debian WordNet packages are not installed (or incomplete)."""


def cache_root() -> Path:
    return Path(os.environ.get("PARALLAX_CACHE", Path.home() / ".cache" / "parallax")) / "nltk_data"


def lexnames_from_man(man_page: Path = LEXNAMES_MAN) -> str:
    """The ``lexnames`` file (``NN<TAB>name<TAB>pos``) built from the table in the man page lexnames(5WN)."""
    try:
        raw = man_page.read_bytes()
        text = (gzip.decompress(raw) if man_page.suffix == ".gz" else raw).decode("utf-8", "replace")
    except OSError as exc:
        raise WordNetMissing(f"WordNet man page {man_page} unreadable ({exc}); install Debian package wordnet-base") from exc
    lines = []
    for line in text.splitlines():
        match = _LEXNAME_LINE.match(line)
        if match and match.group(2) in _POS_NUMBER:
            number, pos, name = match.groups()
            lines.append(f"{number}\t{pos}.{name}\t{_POS_NUMBER[pos]}")
    if len(lines) != 45:  # WordNet 3.0 has 45 lexicographer files
        raise WordNetMissing(f"{man_page}: found {len(lines)} lexicographer files, expected 45")
    return "\n".join(lines) + "\n"


def ensure_layout(source: Path = WORDNET_DIR, root: Path | None = None) -> Path:
    """Build (once) and return the NLTK data root holding ``corpora/wordnet``."""
    root = root or cache_root()
    target = root / "corpora" / "wordnet"
    if (target / "lexnames").exists() and (target / "index.sense").exists():
        return root
    missing = [name for name in DATA_FILES if not (source / name).exists()]
    if missing:
        raise WordNetMissing(
            f"WordNet data missing in {source} ({', '.join(missing[:3])}...); "
            "install the Debian packages wordnet-base and wordnet-sense-index"
        )
    lexnames = lexnames_from_man()
    with _lock:
        if (target / "lexnames").exists():
            return root
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".wordnet-", dir=target.parent))
        try:
            for name in DATA_FILES:  # copies: NLTK refuses symlinks out of its root and hard links alike
                shutil.copyfile(source / name, tmp / name)
            (tmp / "lexnames").write_text(lexnames, encoding="utf-8")
            try:
                os.rename(tmp, target)
            except OSError:  # another process won the race
                if not (target / "lexnames").exists():
                    raise
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return root


_reader = None
_reader_lock = threading.Lock()


def wordnet():
    """NLTK's WordNet corpus reader over the offline layout (loaded once per process, thread-safe)."""
    global _reader
    if _reader is None:
        with _reader_lock:
            if _reader is None:
                _reader = _load()
    return _reader


def preload() -> None:
    """Start loading WordNet in a background thread (a few seconds of index reading), so that it is ready
    when the checks need it; does nothing when it is loaded or cannot be."""
    if _reader is not None:
        return

    def load() -> None:
        with contextlib.suppress(WordNetMissing, LookupError, OSError):
            wordnet()

    threading.Thread(target=load, name="wordnet-preload", daemon=True).start()


def _load():
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    root = ensure_layout()
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
    class Reader(WordNetCorpusReader):
        def map_wn(self, version: str = "wordnet"):
            # NLTK maps "the" WordNet (corpora/wordnet) onto the loaded one for OMW data, reading index.sense
            # twice; the loaded one *is* corpora/wordnet, so the map is the identity (half the load time)
            return None if version == "wordnet" else super().map_wn(version)

    with warnings.catch_warnings():  # "multilingual functions are not available": no OMW here, as expected
        warnings.simplefilter("ignore")
        return Reader(str(nltk.data.find("corpora/wordnet")), None)


def available() -> bool:
    """Whether WordNet can be loaded here (the Debian packages are installed)."""
    try:
        wordnet()
    except (WordNetMissing, LookupError, OSError):
        return False
    return True


# --- lookups (memoised) ------------------------------------------------------------------------


@lru_cache(maxsize=100_000)
def synsets(word: str, pos: str | None = None) -> tuple:
    """Synsets of ``word`` (any inflected form: WordNet's morphy finds the lemma)."""
    return tuple(wordnet().synsets(word.replace(" ", "_").lower(), pos))


@lru_cache(maxsize=100_000)
def lemmas_of(word: str) -> frozenset[str]:
    """Base forms WordNet's morphy gives for ``word`` in any part of speech (``{"word"}`` when none)."""
    wn = wordnet()
    word = word.lower()
    out = {word}
    for pos in ("n", "v", "a", "r"):
        for form in wn._morphy(word, pos) if hasattr(wn, "_morphy") else ():
            out.add(form)
    return frozenset(out)


@lru_cache(maxsize=100_000)
def common_word(word: str) -> bool:
    """Whether WordNet has ``word`` as a common word: a sense that names no single instance and writes the
    word in lower case ("court", "medical", "earth"; not "Athens", "Poland"). False where WordNet is missing."""
    if not available():
        return False
    forms = lemmas_of(word)
    for synset in synsets(word):
        if synset.instance_hypernyms():
            continue
        if any(lemma.name() in forms for lemma in synset.lemmas()):  # lemma names keep WordNet's capitals
            return True
    return False


@lru_cache(maxsize=100_000)
def places_named_by(word: str) -> frozenset[str]:
    """The named places (WordNet instances) a word stands for by derivation: its country for a demonym
    ("Lebanese" -> Lebanon, "Thai" -> Thailand, "Japanese" -> Japan); empty for other words or without WordNet."""
    if not available():
        return frozenset()
    found = set()
    for synset in synsets(word):
        for lemma in synset.lemmas():
            for related in lemma.pertainyms() + lemma.derivationally_related_forms():
                if related.synset().instance_hypernyms() and related.name()[:1].isupper():
                    found.add(related.name().replace("_", " "))
    return frozenset(found)


@lru_cache(maxsize=100_000)
def synonyms(word: str) -> frozenset[str]:
    """Every lemma name (lower case, spaces for underscores) sharing a synset with ``word``."""
    return frozenset(lemma.name().replace("_", " ").lower() for s in synsets(word) for lemma in s.lemmas())


def share_synset(a: str, b: str) -> bool:
    """Whether two words (or phrases) are synonyms for WordNet: a shared synset, or one sense is a direct
    hypernym, similar adjective, verb group, "see also" or derivational relative of a sense of the other."""
    return _linked(a, b) or _linked(b, a)


@lru_cache(maxsize=100_000)
def _neighbours(word: str) -> frozenset:
    out = set()
    for s in synsets(word):
        out.add(s)
        out.update(s.hypernyms())
        out.update(s.instance_hypernyms())
        out.update(s.similar_tos())
        out.update(s.verb_groups())
        out.update(s.also_sees())
        for lemma in s.lemmas():
            out.update(d.synset() for d in lemma.derivationally_related_forms())
            out.update(p.synset() for p in lemma.pertainyms())
    return frozenset(out)


def _linked(a: str, b: str) -> bool:
    second = set(synsets(b))
    return bool(second) and bool(_neighbours(a) & second)


def co_hyponyms(a: str, b: str, pos: str | None = None) -> bool:
    """Whether some senses of the two words (of part of speech ``pos``, any if None) are distinct members of
    one class (Tuesday / Wednesday, leader / member): siblings under a direct hypernym, which WordNet does not
    call synonyms."""
    parents_a = {h for s in synsets(a, pos) for h in s.hypernyms() + s.instance_hypernyms()}
    parents_b = {h for s in synsets(b, pos) for h in s.hypernyms() + s.instance_hypernyms()}
    return bool(parents_a & parents_b)


@lru_cache(maxsize=100_000)
def antonyms(word: str) -> frozenset[str]:
    """Lemma names WordNet lists as antonyms of any sense of ``word`` (also via similar adjective clusters)."""
    out = set()
    for s in synsets(word):
        heads = [s] + list(s.similar_tos())
        for head in heads:
            for lemma in head.lemmas():
                out.update(a.name().replace("_", " ").lower() for a in lemma.antonyms())
    return frozenset(out)


def are_antonyms(a: str, b: str) -> bool:
    a_l, b_l = lemmas_of(a), lemmas_of(b)
    return any(x in antonyms(y) for x in b_l for y in a_l) or any(x in antonyms(y) for x in a_l for y in b_l)


@cache
def multiword_lemmas() -> frozenset[str]:
    """Every multiword lemma of WordNet ("armed_forces", "prime_minister"), lower case (64,000)."""
    return frozenset(name.lower() for name in wordnet().all_lemma_names() if "_" in name)


@lru_cache(maxsize=100_000)
def entry_key(words: tuple[str, ...]) -> str:
    """The WordNet multiword lemma the words form, inflection allowed on any word ("" when none)."""
    if len(words) < 2:
        return ""
    entries = multiword_lemmas()
    options = [sorted(lemmas_of(w), key=lambda x: x != w.lower()) for w in words]
    keys = [""]
    for forms in options:
        keys = [f"{k}_{f}" if k else f for k in keys for f in forms]
        if len(keys) > 64:
            keys = keys[:64]
    return next((k for k in keys if k in entries), "")


def is_multiword_entry(words: tuple[str, ...]) -> bool:
    """Whether the words form a WordNet entry ("armed forces", "prime minister"), inflection allowed."""
    return bool(entry_key(tuple(w.lower() for w in words)))


@lru_cache(maxsize=100_000)
def lexname_classes(word: str) -> frozenset[str]:
    """Lexicographer files of ``word``'s senses (``noun.person``, ``verb.communication``...)."""
    return frozenset(s.lexname() for s in synsets(word))


@lru_cache(maxsize=100_000)
def dominant_pos(word: str) -> str:
    """The part of speech WordNet's sense-tagged corpus uses ``word`` in most ("n", "v", "a", "r"; "" when
    WordNet lacks it); untagged words take the part of speech with the most senses."""
    totals: dict[str, float] = {}
    names = lemmas_of(word)
    for s in synsets(word):
        pos = "a" if s.pos() == "s" else s.pos()
        count = sum(lemma.count() for lemma in s.lemmas() if lemma.name().lower() in names)
        totals[pos] = totals.get(pos, 0.0) + count + 0.01  # a sense with no tagged use still counts a little
    if not totals:
        return ""
    return max(totals, key=lambda pos: (totals[pos], pos == "n"))
