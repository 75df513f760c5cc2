from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content and generated archives (``seed_demo``, ``generate_content``):
    no production app imports this one."""

    name = "demo"
