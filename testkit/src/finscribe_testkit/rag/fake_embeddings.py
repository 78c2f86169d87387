"""A stand-in for OpenAI's embeddings endpoint, speaking its protocol.

`POST /v1/embeddings` with `{model, input: str | [str]}` and `Authorization: Bearer <key>`
answers `{"object": "list", "data": [{"object": "embedding", "index", "embedding"}],
"model", "usage"}`; a wrong key gets OpenAI's 401 error body. The vectors are computed by
the real USE model, so retrieval through this fake behaves like a real model would.
"""

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from finscribe_rag.embeddings import use_model


class FakeOpenAIEmbeddings:
    def __init__(self, api_key: str = "sk-test", model: str = "text-embedding-3-small") -> None:
        self.api_key = api_key
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.app = Starlette(
            routes=[
                Route("/v1/embeddings", self._embeddings, methods=["POST"]),
                Route("/embeddings", self._embeddings, methods=["POST"]),
            ]
        )

    async def _embeddings(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return JSONResponse(
                {
                    "error": {
                        "message": "Incorrect API key provided",
                        "type": "invalid_request_error",
                        "code": "invalid_api_key",
                    }
                },
                status_code=401,
            )
        body = await request.json()
        self.requests.append(body)
        texts = body.get("input")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            return JSONResponse(
                {"error": {"message": "'input' must be a string or list of strings", "type": "invalid_request_error"}},
                status_code=400,
            )
        vectors = use_model().encode(texts) if texts else []
        data = [{"object": "embedding", "index": i, "embedding": [float(x) for x in v]} for i, v in enumerate(vectors)]
        tokens = sum(max(1, len(t) // 2) for t in texts)
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": body.get("model", self.model),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }
        )
