from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "ruche.processes"
    label = "processes"
    default_auto_field = "django.db.models.BigAutoField"
