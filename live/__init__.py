"""Live coverage: a story told as it happens, in short timestamped entries.

A live story is an ``articles.Article`` of kind "live" (its coverage opens when it
is published and ends when an editor says so, ``coverage_ended_at``); this app
holds its entries, what readers and machines get of them, and the small answer
readers' pages poll for news (``views.LiveUpdatesView``), which the page cache
serves as a 304 until an entry changes.
"""
