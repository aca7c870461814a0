"""Enrichment stages: pure functions that add derived facts to an extracted article.

Reading time (``reading_time``); people, organisations and places (``entities``); quotes and
cited sources (``quotes``); dates and timelines (``dates``); and ``analysis.analyse``, which
runs the text analyses in one call.
"""
