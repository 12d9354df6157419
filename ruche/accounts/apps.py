from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ruche.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ruche.accounts import signals  # noqa: F401 (registers the receivers)
