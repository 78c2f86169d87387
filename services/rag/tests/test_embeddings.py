import numpy as np
import pytest

from finscribe_common.errors import NotConfigured
from finscribe_rag.config import RagSettings
from finscribe_rag.embeddings import (
    E5EmbeddingFunction,
    OpenAICompatibleEmbeddingFunction,
    UseEmbeddingFunction,
    build_embedding_function,
    embed,
    embedding_label,
)
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.rag import test_settings
from finscribe_testkit.rag.fake_embeddings import FakeOpenAIEmbeddings

# From the paper, page 14, and an unrelated sentence from page 5.
DROPOUT = "드롭아웃은 훈련 중에 일부 뉴런을 랜덤하게 제외하여 과도한 의존을 방지한다."
PARAPHRASE = "학습 중 일부 뉴런을 무작위로 끄는 기법"
GAUSS = "삼성전자는 11월에 삼성 가우스를 첫 공개하였다."


def test_use_is_a_real_chroma_embedding_function() -> None:
    function = UseEmbeddingFunction()
    assert not function.is_legacy()
    assert UseEmbeddingFunction.build_from_config(function.get_config()).threads == function.threads
    vectors = function([DROPOUT, PARAPHRASE, GAUSS])
    assert len(vectors) == 3 and vectors[0].shape == (512,)
    unit = np.asarray(vectors)
    assert np.allclose(np.linalg.norm(unit, axis=1), 1.0, atol=1e-3)
    # multilingual semantics: the paraphrase is nearer to its source than to another topic
    assert unit[1] @ unit[0] > unit[1] @ unit[2]


def test_e5_is_the_default_and_a_real_chroma_embedding_function(tmp_path) -> None:
    settings = RagSettings(FINSCRIBE_DATA_DIR=str(tmp_path))
    function = build_embedding_function(settings)
    assert isinstance(function, E5EmbeddingFunction)
    assert embedding_label(settings) == "multilingual-e5-small-q4"
    assert not function.is_legacy()
    assert E5EmbeddingFunction.build_from_config(function.get_config()).threads == function.threads
    passages = np.asarray(embed(function, [DROPOUT, GAUSS]))
    query = np.asarray(embed(function, [PARAPHRASE], query=True))[0]
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    # e5's prefixes: the same text as a question ("query: ") is another vector than as a passage
    assert not np.allclose(query, np.asarray(embed(function, [PARAPHRASE]))[0])
    assert passages[0] @ query > passages[1] @ query


def test_embeddings_setting_names_a_known_model(tmp_path) -> None:
    with pytest.raises(ValueError, match="'e5', 'use' or 'openai:<model>'"):
        RagSettings(FINSCRIBE_DATA_DIR=str(tmp_path), EMBEDDINGS="minilm")


def test_openai_compatible_embeddings_through_the_real_protocol(tmp_path) -> None:
    fake = FakeOpenAIEmbeddings(api_key="sk-test")
    with serve_in_thread(fake.app) as url:
        settings = test_settings(
            tmp_path,
            EMBEDDINGS="openai:text-embedding-3-small",
            EMBEDDINGS_BASE_URL=f"{url}/v1",
            EMBEDDINGS_API_KEY="sk-test",
        )
        function = build_embedding_function(settings)
        assert isinstance(function, OpenAICompatibleEmbeddingFunction)
        vectors = embed(function, [DROPOUT, GAUSS])
    assert len(vectors) == 2 and vectors[0].shape == (512,)
    assert fake.requests[0]["model"] == "text-embedding-3-small"
    assert fake.requests[0]["input"] == [DROPOUT, GAUSS]
    assert "sk-test" not in str(function.get_config())


def test_openai_embeddings_with_a_wrong_key_is_not_configured(tmp_path) -> None:
    fake = FakeOpenAIEmbeddings(api_key="sk-right")
    with serve_in_thread(fake.app) as url:
        function = OpenAICompatibleEmbeddingFunction("text-embedding-3-small", base_url=f"{url}/v1", api_key="sk-no")
        with pytest.raises(NotConfigured):
            embed(function, [DROPOUT])


def test_openai_embeddings_without_a_key_is_not_configured() -> None:
    with pytest.raises(NotConfigured):
        embed(OpenAICompatibleEmbeddingFunction("text-embedding-3-small"), [DROPOUT])
