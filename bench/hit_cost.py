"""Microseconds of Python per request, in-process, for what a server answers most:
the stylesheet (WhiteNoise) and a story page from the page cache.

    DATABASE_URL=… .venv/bin/python bench/hit_cost.py [--path /some/page/]

The request goes through Django's whole WSGI handler and middleware, as the web
server calls it, asking for gzip as browsers do; no socket, no server. The best of
five runs of ``--requests`` each is printed (the machine's noise only ever adds
time). What the web server adds on top is in bench/throughput.py's rates; the gap
between these two figures is what a cached page pays over a static file.

Not part of the test suite: it measures, and a machine's speed is no test.
"""

import argparse
import time

import render_times  # bench/render_times.py, beside this file: the story it measures


def request(application, path):
    render_times.get(application, path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")


def best_microseconds(application, path, requests):
    for _ in range(200):  # the page stored, every lazy thing loaded
        request(application, path)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(requests):
            request(application, path)
        runs.append((time.perf_counter() - start) / requests * 1e6)
    return min(runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--path", help="the page (default: bench/render_times.py's story)")
    args = parser.parse_args()
    render_times.setup_django()
    from django.core.wsgi import get_wsgi_application
    from django.templatetags.static import static

    application = get_wsgi_application()
    page = args.path or render_times.pages()["article"]
    stylesheet = best_microseconds(application, static("css/site.css"), args.requests)
    cached = best_microseconds(application, page, args.requests)
    print(f"static file  {stylesheet:7.1f} µs")
    print(f"cached page  {cached:7.1f} µs  ({cached / stylesheet:.2f}x the static file)")


if __name__ == "__main__":
    main()
