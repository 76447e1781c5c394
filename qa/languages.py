"""Language codes the tool knows: names for the views and validation of user-given codes."""

from __future__ import annotations

from qa.errors import InputError
from qa.segment import UNKNOWN_LANGUAGE

# ISO 639-1 codes that language identification (langdetect) can report, with English names.
LANGUAGE_NAMES: dict[str, str] = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French", "gu": "Gujarati", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "az": "Azerbaijani", "id": "Indonesian",
    "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kn": "Kannada", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "ne": "Nepali", "nl": "Dutch",
    "no": "Norwegian", "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "so": "Somali", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}
# Codes the checks name (wordfreq's and common ones) that language identification does not report.
_OTHER_NAMES = {"be": "Belarusian", "kk": "Kazakh", "ms": "Malay", "nb": "Norwegian"}


def language_name(code: str | None) -> str:
    """``"de"`` or ``"de-AT"`` -> ``"German"``; unknown codes are returned as given, ``"und"`` as ``"unknown"``."""
    if not code or code == UNKNOWN_LANGUAGE:
        return "unknown"
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return LANGUAGE_NAMES.get(base) or _OTHER_NAMES.get(base) or code


def normalise_language(code: str | None, label: str = "input") -> str | None:
    """A user-given language code, lower-cased and checked; ``None`` or ``""`` means "detect".

    Accepts ISO 639-1 codes the tool knows and region variants of them (``pt-BR`` -> ``pt``).
    Raises :class:`InputError` for anything else.
    """
    if code is None or not code.strip():
        return None
    clean = code.strip().lower().replace("_", "-")
    base = clean.split("-")[0]
    if base in LANGUAGE_NAMES:
        return base
    raise InputError(f"{label}: unknown language code '{code.strip()}'; use a two-letter code such as en, de or fr")
