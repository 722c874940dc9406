from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class SmederijenConfig(AppConfig):
    name = "smederijen"
    verbose_name = _("De Smederijen")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from . import pagecache

        # A kept public page is out of date once any row of our own apps changes.
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(pagecache.model_changed, dispatch_uid=f"pagecache-{id(signal)}")
        post_migrate.connect(pagecache.migrated, sender=self, dispatch_uid="pagecache-migrate")


class SmederijenAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our own site: models grouped by task and a start page."""

    default = False  # named in INSTALLED_APPS; SmederijenConfig is this module's default
    default_site = "ideas.admin_site.PortalAdminSite"  # the site with its start page
