"""The WSGI application that ``newsroom/serve.py`` (Granian) runs."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")


def without_process_environment(app, process_environment):
    """``app`` called with only what the server says about the request.

    Granian starts every request's environ from a copy of its own environment
    variables, as CGI did: DATABASE_URL with its password, REDIS_URL and the
    secret key would be in ``request.META``, and so in every error report. A
    variable is left out where the request has the very value the process has:
    what the server sets for the request (REMOTE_ADDR, PATH_INFO...) is kept.
    """
    inherited = tuple(process_environment.items())

    def application(environ, start_response):
        for name, value in inherited:
            if environ.get(name) == value:
                del environ[name]
        return app(environ, start_response)

    return application


application = without_process_environment(get_wsgi_application(), os.environ.copy())
