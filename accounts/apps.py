from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from accounts.mfa import record_enrolment_as_second_factor

        authenticator_added.connect(record_enrolment_as_second_factor, dispatch_uid="accounts.mfa.enrolment")
