"""citetrace: trace every claim of a PDF report to its footnote and source.

Data flows one way: ``citetrace.ingest`` (PDF -> Document) and ``citetrace.annotations``
(reviewers' annotations) at the bottom, ``citetrace.db`` (SQLite) above them, and
``citetrace.plugins`` (Datasette pages and the command line) on top.
"""
