"""Any govrag ChatModel as a llama-index LLM, so that llama-index's own engines and evaluators (the eval's
naive baseline, its optional faithfulness judge) run on exactly the model govrag answers with."""
from __future__ import annotations

from typing import Any

from llama_index.core.base.llms.types import CompletionResponse, CompletionResponseGen, LLMMetadata
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_completion_callback
from pydantic import ConfigDict, Field

from rag.llm import ChatModel


class ChatModelLLM(CustomLLM):
    """Completion = one user message to the chat model, greedy, at most `max_new_tokens`."""
    model_config = ConfigDict(arbitrary_types_allowed=True)
    chat_model: Any = Field(description="a rag.llm.ChatModel")
    max_new_tokens: int = 80
    context_window: int = 8192

    @classmethod
    def of(cls, chat_model: ChatModel, max_new_tokens: int = 80) -> "ChatModelLLM":
        return cls(chat_model=chat_model, max_new_tokens=max_new_tokens)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=self.context_window, num_output=self.max_new_tokens,
                           model_name=getattr(self.chat_model, "name", "govrag-chat-model"))

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text="".join(self._stream(prompt)))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        text = ""
        for token in self._stream(prompt):
            text += token
            yield CompletionResponse(text=text, delta=token)

    def _stream(self, prompt: str):
        return self.chat_model.stream([{"role": "user", "content": prompt}], self.max_new_tokens)
