from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "ruche.workshops"
    label = "workshops"
    verbose_name = _("Live workshops")

    def ready(self):
        from ruche.workshops import rules  # noqa: F401
