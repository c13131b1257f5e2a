from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

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
