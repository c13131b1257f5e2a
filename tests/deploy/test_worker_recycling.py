"""Celery replaces each worker's child process after a number of tasks or once it grows past a memory size, so a
slow leak (PDF rendering, a large upload read into memory) cannot grow a worker without end. The limits are
settings (CELERY_WORKER_MAX_*_PER_CHILD); every way of starting a worker uses the app that reads them."""

import shlex

import yaml

from tests.support.processes import PROJECT_DIR

RECYCLING_OPTIONS = ("--max-tasks-per-child", "--max-memory-per-child")


def _worker_commands() -> dict[str, list[str]]:
    commands = {}
    for line in (PROJECT_DIR / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name == "worker":
            commands["Procfile"] = shlex.split(command)
    compose = yaml.safe_load((PROJECT_DIR / "deploy" / "compose.yaml").read_text())
    for name, service in compose["services"].items():
        if name.startswith("worker"):
            commands[f"compose {name}"] = service["command"]
    for document in yaml.safe_load_all((PROJECT_DIR / "deploy" / "k8s" / "workers.yaml").read_text()):
        if document and document["kind"] == "Deployment":
            for container in document["spec"]["template"]["spec"]["containers"]:
                commands[f"k8s {document['metadata']['name']}"] = container["command"]
    return commands


def test_the_celery_app_recycles_its_worker_processes(settings):
    from config.celery_app import app

    assert app.conf.worker_max_tasks_per_child == settings.CELERY_WORKER_MAX_TASKS_PER_CHILD == 200
    assert app.conf.worker_max_memory_per_child == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD == 400_000  # KiB


def test_every_worker_command_runs_the_configured_app_and_keeps_its_recycling_limits():
    commands = _worker_commands()

    assert {"Procfile", "compose worker-default", "compose worker-pdf", "compose worker-mail"} <= set(commands)
    assert sum(name.startswith("k8s ") for name in commands) == 3
    for name, command in commands.items():
        assert command[:2] == ["celery", "-A"] and command[2] in {"config", "config.celery_app"}, name
        assert "worker" in command, name
        overrides = [argument for argument in command if argument.startswith(RECYCLING_OPTIONS)]
        assert overrides == [], f"{name} overrides the settings' limits: {overrides}"
