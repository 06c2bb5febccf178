"""citetrace annotations: review annotations that survive re-ingestion."""
