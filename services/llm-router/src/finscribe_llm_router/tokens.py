"""Token counts for calls whose provider sent no `usage`.

tiktoken's `o200k_base` (the GPT-4o/4.1 encoding) when its encoding file can be loaded
(tiktoken downloads it once into TIKTOKEN_CACHE_DIR; offline hosts without that file
cannot). Otherwise a character estimate: one token per 4 ASCII characters plus one per
other character (a Hangul syllable is about one token in the GPT encodings), which
over-counts English a little and Korean rarely by much.
"""

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("finscribe.llm_router.tokens")

ENCODING = "o200k_base"
# per-message framing tokens of the chat format (role, separators), as OpenAI's cookbook counts them
_MESSAGE_OVERHEAD = 3


def char_estimate(text: str) -> int:
    if not text:
        return 0
    ascii_chars = sum(1 for ch in text if ord(ch) < 128)
    return (ascii_chars + 3) // 4 + (len(text) - ascii_chars)


class TokenCounter:
    def __init__(self, mode: str = "auto") -> None:
        self.mode = mode
        self._encode: Callable[[str], list[int]] | None = None
        self._lock = threading.Lock()
        self.method = "chars"

    def load(self) -> bool:
        """Try to load the tiktoken encoding (blocking; may touch the network). True when loaded."""
        if self.mode == "chars":
            return False
        try:
            import tiktoken

            encoding = tiktoken.get_encoding(ENCODING)
        except Exception as exc:  # no file and no network: keep the character estimate
            logger.info("tiktoken %s unavailable (%s); estimating tokens from characters", ENCODING, exc)
            return False
        with self._lock:
            self._encode = encoding.encode_ordinary
            self.method = f"tiktoken:{ENCODING}"
        return True

    def count(self, text: str) -> int:
        encode = self._encode
        if encode is None:
            return char_estimate(text)
        return len(encode(text))

    def count_prompt(self, body: dict[str, Any]) -> int:
        total = 0
        for message in body.get("messages") or []:
            if not isinstance(message, dict):
                continue
            total += _MESSAGE_OVERHEAD + self.count(_message_text(message))
        for key in ("tools", "response_format"):
            if body.get(key):
                total += self.count(json.dumps(body[key], ensure_ascii=False))
        return total + 3  # every reply is primed with <|start|>assistant<|message|>


def _message_text(message: dict[str, Any]) -> str:
    parts: list[str] = [str(message.get("role", ""))]
    content = message.get("content")
    if isinstance(content, str):
        parts.append(content)
    elif isinstance(content, list):
        parts.extend(str(p.get("text", "")) for p in content if isinstance(p, dict))
    for call in message.get("tool_calls") or []:
        if isinstance(call, dict):
            parts.append(json.dumps(call.get("function", {}), ensure_ascii=False))
    return "\n".join(parts)
