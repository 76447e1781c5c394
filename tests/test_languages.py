"""Language codes: display names (one table for the views and the checks) and user-given codes."""

from __future__ import annotations

import pytest

from qa.errors import InputError
from qa.languages import language_name, normalise_language


@pytest.mark.parametrize(
    ("code", "name"),
    [("de", "German"), ("de-AT", "German"), ("pt_BR", "Portuguese"), ("zh-cn", "Chinese"), ("nb", "Norwegian"),
     ("kk", "Kazakh"), ("und", "unknown"), (None, "unknown"), ("xx", "xx")],
)
def test_language_names_cover_regions_and_the_checks_codes(code, name):
    assert language_name(code) == name


def test_user_codes_are_normalised_or_refused_with_a_reason():
    assert normalise_language(" pt-BR ") == "pt"
    assert normalise_language("") is None
    with pytest.raises(InputError, match="unknown language code 'kk'"):
        normalise_language("kk", "version 2")  # named, but not one language identification can confirm
