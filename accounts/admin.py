from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from accounts.models import User
from audit.admin import AuditedPanelMixin
from audit.changes import record_action


@admin.register(User)
class UserAdmin(AuditedPanelMixin, DjangoUserAdmin):
    """People of the buyer and the suppliers; every change made here is audited, a password set included."""

    ordering = ["email"]
    list_display = ["email", "full_name", "buyer_role", "is_staff", "is_active", "last_login"]
    list_filter = ["buyer_role", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "buyer_role")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "full_name", "buyer_role", "password1", "password2")},
        ),
    )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the form was valid and the password is set
            user = self.get_object(request, id)
            record_action(
                instance=user,
                actor=request.user,
                action="password_set",
                summary=f"Password of {user.email} set in the review panel",
            )
        return response


# The panel writes other apps' account records too: audited here, with what must stay secret kept out of sight.
for model in (EmailAddress, Authenticator, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(Group)
class PanelGroupAdmin(AuditedPanelMixin, GroupAdmin):
    pass


@admin.register(EmailAddress)
class PanelEmailAddressAdmin(AuditedPanelMixin, EmailAddressAdmin):
    """A person's sign-in addresses; marking one verified is audited like every change made here."""

    actions = ["mark_verified"]

    @admin.action(description="Mark selected email addresses as verified", permissions=["change"])
    def mark_verified(self, request, queryset):
        for email_address in queryset.filter(verified=False).select_related("user"):
            if email_address.set_verified():
                record_action(
                    instance=email_address,
                    actor=request.user,
                    action="verified",
                    summary=f"{email_address.email} marked verified in the review panel",
                )
                self.message_user(request, f"Marked {email_address.email} as verified.", level=messages.SUCCESS)
            else:
                self.message_user(request, f"Could not mark {email_address.email} as verified.", messages.ERROR)


@admin.register(Authenticator)
class PanelAuthenticatorAdmin(AuditedPanelMixin, admin.ModelAdmin):
    """Second factors: never shown (their secrets are in `data`) nor made here; removing a lost one is audited."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type", "created_at", "last_used_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
