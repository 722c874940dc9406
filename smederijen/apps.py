from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmederijenConfig(AppConfig):
    name = "smederijen"
    verbose_name = _("De Smederijen")
