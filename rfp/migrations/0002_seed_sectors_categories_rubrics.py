"""Seeds the three sectors, their categories and a default weighted rubric per sector."""

from decimal import Decimal

from django.db import migrations

SECTORS = [
    (
        "datacenter",
        "Datacenter",
        "DC",
        [
            ("racks", "Racks"),
            ("servers", "Servers"),
            ("networking", "Networking"),
            ("cabling", "Cabling"),
            ("cooling", "Cooling"),
            ("power-systems", "Power systems"),
            ("power-electronics", "Power electronics"),
            ("electromechanical-modules", "Electromechanical modules"),
            ("test-and-assembly", "Test and assembly"),
        ],
        [
            ("power-cooling", "Power and cooling performance", "Rack power density, heat rejection, efficiency.", "25"),
            ("us-capacity", "US capacity and ramp", "Units per year from US facilities and how fast they ramp.", "25"),
            ("technical", "Technical capability", "Design maturity, test coverage, integration experience.", "20"),
            ("lead-time", "Lead time and delivery", "Weeks from order to delivery, delivery record.", "10"),
            ("domestic-content", "Domestic content", "Share of US content and the origin of the rest.", "10"),
            ("quality", "Quality and certifications", "ISO 9001, UL listings, field quality data.", "10"),
        ],
    ),
    (
        "consumer-electronics",
        "Consumer electronics",
        "CE",
        [
            ("modules", "Modules"),
            ("tooling", "Tooling"),
            ("equipment", "Equipment"),
            ("final-assembly", "Final assembly"),
        ],
        [
            ("process", "Process capability", "SMT lines, placement rate, automation, yields.", "25"),
            ("us-capacity", "US capacity and ramp", "Units per month from US facilities and how fast they ramp.", "25"),
            ("quality", "Quality and workmanship", "IPC-A-610 class, certifications, defect rates.", "20"),
            ("lead-time", "Lead time and delivery", "Weeks from order to delivery, delivery record.", "15"),
            ("domestic-content", "Domestic content", "Share of US content and the origin of the rest.", "15"),
        ],
    ),
    (
        "robotics",
        "Robotics",
        "RB",
        [
            ("motors", "Motors"),
            ("gearboxes", "Gearboxes"),
            ("power-electronics", "Power electronics"),
            ("actuators", "Actuators"),
        ],
        [
            ("performance", "Performance", "Rated and peak torque, efficiency, power density, reliability.", "30"),
            ("us-capacity", "US capacity and ramp", "Units per year from US facilities and how fast they ramp.", "20"),
            ("supply-chain", "Supply chain resilience", "Origin of magnets and power devices, second sources.", "20"),
            ("lead-time", "Lead time and delivery", "Weeks from order to delivery, delivery record.", "15"),
            ("domestic-content", "Domestic content", "Share of US content and the origin of the rest.", "15"),
        ],
    ),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("rfp", "Sector")
    Category = apps.get_model("rfp", "Category")
    Rubric = apps.get_model("rfp", "Rubric")
    Criterion = apps.get_model("rfp", "Criterion")
    for position, (code, name, abbreviation, categories, criteria) in enumerate(SECTORS):
        sector, _ = Sector.objects.update_or_create(
            code=code, defaults={"name": name, "abbreviation": abbreviation, "position": position}
        )
        for cat_position, (cat_code, cat_name) in enumerate(categories):
            Category.objects.update_or_create(
                sector=sector, code=cat_code, defaults={"name": cat_name, "position": cat_position}
            )
        rubric, _ = Rubric.objects.get_or_create(sector=sector, rfp=None, defaults={"name": f"{name} default rubric"})
        for crit_position, (crit_code, crit_name, guidance, weight) in enumerate(criteria):
            Criterion.objects.update_or_create(
                rubric=rubric,
                code=crit_code,
                defaults={
                    "name": crit_name,
                    "guidance": guidance,
                    "weight": Decimal(weight),
                    "max_score": 5,
                    "position": crit_position,
                },
            )


def unseed(apps, schema_editor):
    apps.get_model("rfp", "Rubric").objects.filter(rfp=None).delete()
    apps.get_model("rfp", "Category").objects.all().delete()
    apps.get_model("rfp", "Sector").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("rfp", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
