"""Enrichment: what an article is about, beyond its text.

Pure functions over text: ``newsfeed.enrich.analysis.analyse`` bundles entities
(``entities``), quotes and cited sources (``quotes``), dates and a timeline (``dates``).
"""
