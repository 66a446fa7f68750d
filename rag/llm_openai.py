"""An OpenAI-compatible model server as the LLM (llama.cpp server, Ollama, vLLM): POST /chat/completions with
stream=true, read the server-sent events. Real engines only: govrag never serves a model itself."""
from __future__ import annotations

import json
from collections.abc import Iterator

from rag.config import LLMConfig


class BackendError(RuntimeError):
    """The model server is unreachable, timed out or answered with an error."""


class OpenAIChatModel:
    """Greedy (temperature 0) streamed chat completions from the server at `config.url`."""

    def __init__(self, config: LLMConfig):
        if not config.url or not config.model:
            raise ValueError("an OpenAI-compatible backend needs a URL and a model name "
                             "(GOVRAG_LLM_URL and GOVRAG_LLM_MODEL)")
        self.base, self.name, self.config = config.url.rstrip("/"), config.model, config

    def stream(self, messages: list[dict[str, str]], max_new_tokens: int) -> Iterator[str]:
        import httpx

        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        body = {"model": self.name, "messages": messages, "max_tokens": max_new_tokens, "temperature": 0,
                "stream": True}
        url = f"{self.base}/chat/completions"
        try:
            with httpx.stream("POST", url, json=body, headers=headers, timeout=self.config.timeout_s) as response:
                if response.status_code != 200:
                    raise BackendError(f"the model server at {url} answered HTTP {response.status_code}: "
                                       f"{response.read().decode(errors='replace')[:300]}")
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    choices = json.loads(data).get("choices") or [{}]
                    delta = (choices[0].get("delta") or {}).get("content")
                    if delta:
                        yield delta
        except httpx.TimeoutException:
            raise BackendError(f"the model server at {url} did not answer within {self.config.timeout_s:g} s") \
                from None
        except httpx.HTTPError as exc:
            raise BackendError(f"cannot reach the model server at {url} ({type(exc).__name__}: {exc}); start "
                               "it, or unset GOVRAG_LLM_URL to use the bundled model") from None
