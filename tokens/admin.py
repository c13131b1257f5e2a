from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from tokens import services
from tokens.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owners in the portal; here a program lead sees them and revokes a leaked one."""

    list_display = ("name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "user__email")
    readonly_fields = list_display
    fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            try:
                services.api_token_revoke(token=token, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{token}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{token} of {token.user} is revoked.", messages.SUCCESS)
