"""Collection and document names: the gateway's contract, checked before anything touches Chroma."""

import re

from finscribe_common.errors import Unprocessable

# The gateway makes `u<16 hex of sha256(sub)>-s<session hex>`; we accept the whole contract regex.
COLLECTION_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{2,62}$")
DOC_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")

# Chroma wants names that also END with a letter or digit; the contract allows a trailing
# '-' or '_'. A fixed suffix with a '.' (which the contract never allows) keeps the mapping
# one-to-one and names the index layout version.
CHROMA_SUFFIX = ".v1"


def check_collection(name: str) -> str:
    if not COLLECTION_RE.fullmatch(name):
        raise Unprocessable(
            "invalid collection name: expected 3-63 characters of a-z, 0-9, '_' or '-', "
            "starting with a letter or digit",
            code="invalid_collection",
        )
    return name


def check_doc_id(doc_id: str) -> str:
    if not DOC_ID_RE.fullmatch(doc_id):
        raise Unprocessable(
            "invalid doc_id: expected 1-128 characters of letters, digits, '.', '_', ':' or '-'",
            code="invalid_doc_id",
        )
    return doc_id


def chroma_name(collection: str) -> str:
    return collection + CHROMA_SUFFIX


def collection_from_chroma(name: str) -> str | None:
    if not name.endswith(CHROMA_SUFFIX):
        return None
    candidate = name[: -len(CHROMA_SUFFIX)]
    return candidate if COLLECTION_RE.fullmatch(candidate) else None
