"""The one typed settings object: GOVRAG_* environment variables over an optional TOML file (pydantic-settings'
own sources, in that order). It lives in `rag`, the last package every interface (ui, eval, bench) already
depends on, and turns into the per-stage configs that are passed down: IndexConfig (ingest), RagConfig (rag)."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import (BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict,
                               TomlConfigSettingsSource)

from ingest.config import IndexConfig, ReaderLimits
from rag.config import LLMConfig, RagConfig


def default_data_dir() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "govrag"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOVRAG_", extra="forbid")

    data_dir: Path = Field(default_factory=default_data_dir)
    #: The embedder's ONNX export and the parsed dictionary (None: $XDG_CACHE_HOME/govrag).
    cache_dir: Path | None = None
    collection: str = "govrag"
    chroma_url: str | None = None
    embed_model: str | None = None
    #: Set when embed_model reads Chinese as well as English (a multilingual sentence-transformers folder).
    embed_multilingual: bool = False
    embed_backend: Literal["auto", "onnx", "onnx-int8", "torch"] = "auto"
    llm_model: str | None = None
    llm_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = Field(60.0, gt=0)
    llm_max_new_tokens: int = Field(80, ge=1, le=2048)
    llm_threads: int | None = None
    llm_engine: Literal["auto", "llamacpp", "transformers"] = "auto"
    llm_parallel: int = Field(1, ge=1, le=64)
    llm_wait_s: float = Field(15.0, ge=0)
    top_k: int = Field(5, ge=1, le=50)
    min_score: float = 0.40
    confident_score: float = 0.62
    min_support: float = 0.8
    max_question_chars: int = Field(2000, ge=10)
    host: str = "127.0.0.1"
    port: int = 7860
    #: Upload and remove documents in the UI's Library tab; None: on loopback only (ui/exposure.edits_allowed).
    ui_uploads: bool | None = None
    #: Document files (ingest/readers.py): refused before they are read when over these.
    max_file_mb: float = Field(50.0, gt=0)
    max_unpacked_mb: float = Field(200.0, gt=0)
    max_pages: int = Field(3000, ge=1)

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Explicit values, then the environment, then the TOML file named by model_config's toml_file."""
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)

    def index(self) -> IndexConfig:
        return IndexConfig(data_dir=self.data_dir.expanduser(), collection=self.collection,
                           cache_dir=self.cache_dir.expanduser() if self.cache_dir else None,
                           embed_model=self.embed_model, embed_multilingual=self.embed_multilingual,
                           embed_backend=self.embed_backend,
                           chroma_url=self.chroma_url)

    def limits(self) -> ReaderLimits:
        return ReaderLimits(max_file_mb=self.max_file_mb, max_unpacked_mb=self.max_unpacked_mb,
                            max_pages=self.max_pages)

    def rag(self) -> RagConfig:
        llm = LLMConfig(model=self.llm_model, url=self.llm_url, api_key=self.llm_api_key,
                        timeout_s=self.llm_timeout_s, max_new_tokens=self.llm_max_new_tokens, threads=self.llm_threads,
                        engine=self.llm_engine, cache_dir=self.data_dir.expanduser() / "model-cache",
                        parallel=self.llm_parallel, wait_s=self.llm_wait_s)
        return RagConfig(top_k=self.top_k, min_score=self.min_score, confident_score=self.confident_score,
                         min_support=self.min_support, max_question_chars=self.max_question_chars, llm=llm)


def load_settings(config_file: Path | None = None, **overrides: object) -> Settings:
    """Explicit overrides > GOVRAG_* env vars > the TOML file (`--config` or GOVRAG_CONFIG) > defaults."""
    path = config_file or (Path(os.environ["GOVRAG_CONFIG"]) if os.environ.get("GOVRAG_CONFIG") else None)
    if path is None:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    if not path.is_file():  # pydantic-settings reads a missing TOML file as empty: say so instead
        raise ValueError(f"cannot read settings file {path}: no such file")

    class FileSettings(Settings):
        model_config = SettingsConfigDict(toml_file=path)  # merged with Settings.model_config

    try:
        return FileSettings(**{k: v for k, v in overrides.items() if v is not None})
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"cannot read settings file {path}: {exc}") from None
