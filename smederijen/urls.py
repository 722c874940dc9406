from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import views

site_patterns = [
    path("", views.home, name="home"),
    path("over-de-smederijen/", views.about, name="about"),
    path("smederijen/", views.smederij_list, name="smederij-list"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("contact/", views.contact, name="contact"),
    path("contact/verzonden/", views.contact_sent, name="contact-sent"),
]

# Admin has no sign-in of its own: the portal's (password and app code) is the only way in.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include((site_patterns, "smederijen"))),
    path("", include("teams.urls")),
    path("", include("budgets.urls")),
    path("", include("ideas.urls")),
    path("account/", include("allauth.urls")),
    path("taal/", set_language, name="set_language"),
    path("beheer/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (admin).
    path("favicon.ico", views.favicon),
    # For the load balancer and monitoring: does this server answer, and its database?
    path("health/", views.health, name="health"),
]

if settings.SMEDERIJEN_BENCHMARK:
    # The ceiling of `make bench`: the whole middleware stack and nothing else.
    urlpatterns.append(path("bench/ceiling/", views.bench_ceiling))

handler500 = "smederijen.views.server_error"
