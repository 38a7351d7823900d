"""A small JSON-over-HTTP client with timeouts, retries with backoff, and errors that never leak keys."""
from __future__ import annotations

import random
import time
from typing import Any

from ..errors import BackendError

RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


def redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


class JsonClient:
    """POST JSON to ``base_url + path``; retry transient failures; raise :class:`BackendError`."""

    def __init__(self, base_url: str, api_key: str | None, *, timeout: float, retries: int, what: str, backoff: float = 0.5):
        import httpx

        self.base_url = base_url.rstrip("/")
        self.what = what
        self.retries = retries
        self.backoff = backoff
        # a key read from a file or pasted often carries a line break or spaces around it: never part of the key
        api_key = api_key.strip() if api_key else api_key
        self._key = api_key
        # a key that cannot go into an HTTP header (line breaks inside, non-ASCII quotes) fails every request:
        # report it as a BackendError on use (so the LLM fallback applies) instead of a misleading network error
        # or a raw UnicodeEncodeError; the message never shows the key
        self._bad_key = bool(api_key) and not all(" " <= ch <= "~" for ch in api_key)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key and not self._bad_key else {}
        self._http = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)), headers=headers, trust_env=False)

    def _check_key(self) -> None:
        if self._bad_key:
            raise BackendError(
                f"the API key for the {self.what} contains characters that cannot be sent in an HTTP header (line breaks, non-ASCII)",
                hint="check the key in RAG_LLM_API_KEY / RAG_EMBED_API_KEY for stray quotes or line breaks",
            )

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        import httpx

        self._check_key()
        url = self.base_url + path
        last: BackendError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * (2 ** (attempt - 1)) * (1 + random.random() * 0.25))
            try:
                response = self._http.post(url, json=payload)
            except httpx.TimeoutException:
                last = BackendError(f"{self.what} at {self.base_url} timed out", hint="raise RAG_LLM_TIMEOUT or check the server", retryable=True)
                continue
            except httpx.HTTPError as exc:
                last = BackendError(
                    f"{self.what} at {self.base_url} is unreachable ({type(exc).__name__})",
                    hint="start the server or fix the base URL",
                    retryable=True,
                )
                continue
            if response.status_code in RETRYABLE_STATUS:
                last = BackendError(f"{self.what} answered HTTP {response.status_code}", hint="the server is overloaded or failing", retryable=True)
                continue
            if response.status_code >= 400:
                body = redact(response.text, self._key)[:200].replace("\n", " ")  # mask first: a cut key would not match
                hint = "check the API key" if response.status_code in (401, 403) else "check the model name and base URL"
                raise BackendError(f"{self.what} answered HTTP {response.status_code}: {body}", hint=hint)
            try:
                data = response.json()
            except ValueError:
                last = BackendError(f"{self.what} returned a response that is not JSON", retryable=True)
                continue
            if not isinstance(data, dict):
                last = BackendError(f"{self.what} returned unexpected JSON", retryable=True)
                continue
            return data
        assert last is not None
        raise last

    def get(self, path: str) -> dict[str, Any]:
        import httpx

        self._check_key()
        try:
            response = self._http.get(self.base_url + path)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BackendError(f"{self.what} at {self.base_url} failed ({type(exc).__name__})", retryable=True) from None

    def close(self) -> None:
        self._http.close()
