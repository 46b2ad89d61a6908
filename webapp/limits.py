"""What a search may ask for: its sort orders and results per page (`search` holds the rest).

Apart from `search` so that the `lede` command can offer them without importing the search code
(Whoosh, NLTK): `lede index` starts its work before those imports (`indexer.cli`)."""
from __future__ import annotations

SORTS = ("relevance", "date")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 10
