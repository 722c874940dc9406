"""Accounts in admin with the erasure the office does for a resident who asks (AVG). Erasure
reaches into every app (ideas/privacy/), so its action sits here, on top of teams' UserAdmin, and
this admin takes the place of that one."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from teams.admin import UserAdmin
from teams.models import User

from . import privacy


class AccountAdmin(UserAdmin):
    actions = ["erase_accounts"]

    @admin.action(
        description=_("Delete the selected accounts with their personal data (AVG)"),
        permissions=["delete"],
    )
    def erase_accounts(self, request, queryset):
        """As a resident does it on My details, for one who asks the office: their ideas stay
        without their name and contact details; see ideas/privacy/erasure.py."""
        erased = 0
        for user in queryset:
            try:
                privacy.erase_account(user=user, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{user.pk}: {error.messages[0]}", messages.ERROR)
            else:
                erased += 1
        if erased:
            self.message_user(
                request,
                ngettext(
                    "%(count)d account deleted with its personal data.",
                    "%(count)d accounts deleted with their personal data.",
                    erased,
                )
                % {"count": erased},
                messages.SUCCESS,
            )


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
