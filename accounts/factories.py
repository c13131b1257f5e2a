import factory

from accounts.models import User

DEFAULT_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test and demo password


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example-manufacturer.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ReviewerUserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"reviewer{n}@buyer.example")
    buyer_role = User.BuyerRole.REVIEWER
    is_staff = True


class ProgramLeadFactory(UserFactory):
    email = factory.Sequence(lambda n: f"lead{n}@buyer.example")
    buyer_role = User.BuyerRole.PROGRAM_LEAD
    is_staff = True
