"""qa.encoder: precision choice, fidelity of the fast default to float32, translations, cache, model errors."""

from __future__ import annotations

import threading
import unicodedata

import numpy as np
import pytest

from qa import encoder as enc
from qa.encoder import FLOAT32, INT8, Encoder, get_encoder, resolve_precision
from qa.errors import ModelUnavailable
from tests.test_bundled_model import ALL_SENTENCES


@pytest.fixture(scope="module")
def default_encoder() -> Encoder:
    return get_encoder()


@pytest.fixture(scope="module")
def float32_encoder() -> Encoder:
    return get_encoder("bundled", precision=FLOAT32)


def test_precision_vocabulary(monkeypatch) -> None:
    monkeypatch.delenv(enc.PRECISION_ENV, raising=False)
    assert resolve_precision("fp32") == resolve_precision("FLOAT32") == FLOAT32
    assert resolve_precision("int8", "some/other-model") == resolve_precision("qint8") == INT8
    assert resolve_precision(None, "some/other-model") == FLOAT32  # auto quantises only the measured model
    assert resolve_precision("auto", "bundled") == (INT8 if enc.int8_supported() else FLOAT32)
    monkeypatch.setenv(enc.PRECISION_ENV, "float32")
    assert resolve_precision(None, "bundled") == FLOAT32
    monkeypatch.setenv(enc.PRECISION_ENV, "bfloat13")
    with pytest.raises(ModelUnavailable, match=enc.PRECISION_ENV):
        resolve_precision(None, "bundled")


def test_rows_are_unit_float32_in_input_order(default_encoder, float32_encoder) -> None:
    texts = ALL_SENTENCES[::8]
    together = float32_encoder.encode(texts)
    assert together.dtype == np.float32 and together.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    one_by_one = np.stack([Encoder("bundled", float32_encoder.model, enc.E5_PREFIX).encode([t])[0] for t in texts])
    assert (together * one_by_one).sum(axis=1).min() > 0.9999
    assert default_encoder.encode([]).shape == (0, 384)


def test_fast_default_stays_faithful_to_float32(default_encoder, float32_encoder) -> None:
    fast = default_encoder.encode(ALL_SENTENCES)
    exact = float32_encoder.encode(ALL_SENTENCES)
    cosine = (fast * exact).sum(axis=1)
    assert cosine.min() >= 0.99, (default_encoder.precision, float(cosine.min()))
    assert cosine.mean() >= 0.995


@pytest.mark.parametrize(
    ("source", "translation", "unrelated"),
    [
        (
            "The central bank left its main interest rate unchanged at 4.25 percent.",
            "Die Europäische Zentralbank hat den Leitzins unverändert bei 4,25 Prozent belassen.",
            "Bei dem Brand in einer Lagerhalle in Duisburg wurden drei Menschen leicht verletzt.",
        ),
        (
            "Parliament approved next year's draft budget.",
            "Правительство одобрило проект федерального бюджета на следующий год.",
            "Акции автопроизводителя подешевели на 6 процентов в начале торгов.",
        ),
        (
            "Heavy rain forced the closure of two motorways north of the city.",
            "受持续降雨影响，城市北部的两条高速公路被迫关闭。",
            "中国人民银行宣布将一年期贷款市场报价利率维持在3.45%不变。",
        ),
        (
            "Nazirlər Kabineti gələn il üçün dövlət büdcəsinin layihəsini təsdiqləyib.",
            "Կառավարությունը հինգշաբթի օրը հաստատեց հաջորդ տարվա պետական բյուջեի նախագիծը։",
            "Երևանում տեղի ունեցած հրդեհի հետևանքով տուժել է երեք մարդ։",
        ),
    ],
    ids=["en-de", "en-ru", "en-zh", "az-hy"],
)
def test_translation_scores_above_unrelated_sentence(default_encoder, source, translation, unrelated) -> None:
    a, t, u = default_encoder.encode([source, translation, unrelated])
    assert float(a @ t) > float(a @ u) + 0.02


def test_cache_hit_does_not_re_embed(float32_encoder) -> None:
    fresh = Encoder("bundled", float32_encoder.model, enc.E5_PREFIX, precision=FLOAT32)
    first = fresh.encode(["Prices rose again in March.", "Officials said the fire was contained."])
    assert fresh.embedded_count == 2
    decomposed = unicodedata.normalize("NFD", "Café prices rose again.")
    again = fresh.encode(["Officials said the fire was contained.", "Prices rose again in March.", decomposed])
    assert fresh.embedded_count == 3 and fresh.cache_size() == 3
    assert np.array_equal(again[:2], first[::-1])
    fresh.encode(["Café prices rose again.", "Prices rose again in March."])
    assert fresh.embedded_count == 3  # NFC and NFD spellings share one cache entry


def test_model_loaded_once_per_process(default_encoder, monkeypatch) -> None:
    def no_reload(*args, **kwargs):
        raise AssertionError("model loaded twice")

    monkeypatch.setattr(enc, "_load_model", no_reload)
    assert get_encoder() is default_encoder
    assert get_encoder("bundled", precision=default_encoder.precision) is default_encoder
    assert enc.embed(["Prices rose again in March."]).shape == (1, 384)


def test_unknown_model_offline_names_the_bundled_default(monkeypatch) -> None:
    monkeypatch.delenv(enc.DOWNLOAD_ENV, raising=False)
    with pytest.raises(ModelUnavailable) as info:
        get_encoder("parallax-test/no-such-model-anywhere")
    message = str(info.value)
    assert "\n" not in message and "'bundled'" in message and "no-such-model-anywhere" in message


def test_model_path_that_is_a_file_is_refused(tmp_path) -> None:
    file = tmp_path / "model.bin"
    file.write_bytes(b"not a model")
    with pytest.raises(ModelUnavailable, match="is a file"):
        get_encoder(str(file))


def test_worker_threads_leave_torch_thread_settings_alone(float32_encoder) -> None:
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    Encoder("bundled", float32_encoder.model, enc.E5_PREFIX).encode(ALL_SENTENCES[:40])  # several batches
    seen: list[int] = []
    thread = threading.Thread(target=lambda: seen.append(torch.get_num_threads()))
    thread.start()
    thread.join()
    assert torch.get_num_threads() == before and seen == [before]


def test_int8_quantises_linear_layers_except_the_kept_ones(default_encoder) -> None:
    if default_encoder.precision != INT8:
        pytest.skip("no int8 engine on this CPU: the default is float32")
    import torch

    root = default_encoder.model[0].auto_model
    floats = {name for name, m in root.named_modules() if type(m) is torch.nn.Linear and not name.startswith("pooler")}
    assert floats == set(enc.BUNDLED_FLOAT_LAYERS)


def test_model_by_local_path_works_like_the_bundled_one(float32_encoder, monkeypatch) -> None:
    from qa.bundled_model import materialise

    monkeypatch.delenv(enc.PRECISION_ENV, raising=False)
    for registry in ("_models", "_encoders"):  # the second copy of the model is dropped after this test
        monkeypatch.setattr(enc, registry, dict(getattr(enc, registry)))
    path = str(materialise())
    by_path = get_encoder(path)
    assert by_path.precision == FLOAT32 and by_path.prefix == enc.E5_PREFIX  # folder name contains "e5"
    texts = ALL_SENTENCES[:3]
    assert (by_path.encode(texts) * float32_encoder.encode(texts)).sum(axis=1).min() > 0.9999
