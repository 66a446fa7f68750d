"""One settings object: explicit values over GOVRAG_* variables over the TOML file over the defaults."""
import pytest
from pydantic import ValidationError

from rag.settings import Settings, load_settings


def test_precedence_overrides_env_file_defaults(tmp_path, monkeypatch):
    config = tmp_path / "govrag.toml"
    config.write_text('top_k = 7\nport = 9000\ncollection = "from-file"\n', encoding="utf-8")
    monkeypatch.setenv("GOVRAG_PORT", "9100")
    settings = load_settings(config, collection="explicit", top_k=None)
    assert (settings.top_k, settings.port, settings.collection) == (7, 9100, "explicit")
    assert settings.min_support == Settings().min_support  # untouched: the default
    monkeypatch.setenv("GOVRAG_CONFIG", str(config))
    assert load_settings().top_k == 7 and load_settings().rag().top_k == 7


def test_bad_settings_files_say_what_is_wrong(tmp_path):
    with pytest.raises(ValueError, match="cannot read settings file .*missing.toml: no such file"):
        load_settings(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("top_k = = 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read settings file .*broken.toml"):
        load_settings(broken)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("top_kk = 3\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="top_kk"):
        load_settings(unknown)
