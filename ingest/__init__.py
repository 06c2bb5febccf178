"""citetrace ingest: PDF -> layout -> notes/markers -> citations -> NLP -> Document."""

# Bumped whenever extraction output changes; stored with every document. A file stored
# by another version is ingested again, not skipped as unchanged.
EXTRACTOR_VERSION = "0.4.9"
