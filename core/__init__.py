"""Infrastructure: it imports Django and nothing of ours (an import contract in
pyproject.toml checks it). Cache tags and the one cache API, the page cache,
security headers, client addresses, health, JSON logging, the read-replica
router, the HTML sanitizer, paginators, and the hooks into Django internals
(``compat``)."""
