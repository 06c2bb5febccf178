"""citetrace ingest: PDF -> layout -> notes/markers -> citations -> NLP -> Document."""

# Bumped whenever extraction output changes; stored with every document.
EXTRACTOR_VERSION = "0.1.0"
