"""Enrichment stages: pure functions that add derived facts to an extracted article."""
