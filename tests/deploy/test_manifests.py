"""deploy/: the compose file against the compose-spec schema, the Kubernetes manifests against the Kubernetes
schemas, and the Dockerfile through hadolint and its own build steps. All offline: no Docker daemon, no cluster."""

import ast
import json
import re
import shlex
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.support.processes import PROJECT_DIR

DEPLOY = PROJECT_DIR / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
K8S = DEPLOY / "k8s"
QUEUES = ("default", "pdf", "mail")
APP_SERVICES = ("migrate", "web", "worker-default", "worker-pdf", "worker-mail", "beat")


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _env_example() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def _production_required() -> set[str]:
    """The variables config/settings/production.py refuses to start without (read, not imported: it would raise)."""
    tree = ast.parse((PROJECT_DIR / "config" / "settings" / "production.py").read_text())
    [value] = [node.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == "_REQUIRED"]
    return set(ast.literal_eval(value))


def _k8s_documents() -> list[tuple[str, dict]]:
    return [
        (path.name, document)
        for path in sorted(K8S.glob("*.yaml"))
        for document in yaml.safe_load_all(path.read_text())
        if document and document.get("kind") != "Kustomization"
    ]


# --- compose ---------------------------------------------------------------------------------------------------


def test_compose_file_matches_the_compose_specification():
    schema = json.loads(
        resources.files("check_jsonschema.builtin_schemas.vendor").joinpath("compose-spec.json").read_text()
    )

    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(_compose()), key=str)

    assert not errors, "\n".join(f"{list(error.absolute_path)}: {error.message}" for error in errors)


def test_docker_compose_accepts_the_file_where_its_plugin_is_installed(tmp_path):
    """`docker compose config` where the compose plugin exists (it needs no daemon); the schema check above runs
    everywhere, this one adds compose's own interpolation and merge rules on machines that have it."""
    docker = shutil.which("docker")
    has_plugin = docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    env_file = tmp_path / ".env"
    filled = {name: value or "filled-in-secret-0123456789" for name, value in _env_example().items()}
    env_file.write_text("".join(f"{name}={value}\n" for name, value in filled.items()))
    if not has_plugin:
        # No plugin here: the same interpolation is checked by hand, every ${VAR:?} must be filled by the example.
        missing = set(re.findall(r"\$\{([A-Z0-9_]+):\?", COMPOSE.read_text())) - set(filled)
        assert not missing
        return

    result = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "--env-file", str(env_file), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr


def test_compose_runs_every_process_with_what_it_depends_on():
    services = _compose()["services"]

    assert set(services) == {*APP_SERVICES, "postgres", "redis", "minio", "minio-init", "mailpit"}
    for name in APP_SERVICES:
        assert services[name]["image"] == "${RFP_IMAGE:-rfp-intake:latest}"
        assert services[name]["read_only"] is True
        for dependency in services[name]["depends_on"]:
            assert dependency in services, f"{name} depends on unknown {dependency}"
    assert services["web"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["web"]["depends_on"]["minio-init"] == {"condition": "service_completed_successfully"}
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["web"]["command"][:3] == ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
    for queue in QUEUES:
        command = services[f"worker-{queue}"]["command"]
        assert command[command.index("-Q") + 1] == queue
        assert "inspect ping" in services[f"worker-{queue}"]["healthcheck"]["test"][1]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config.celery_app", "beat"]
    assert "deploy" not in services["beat"], "beat must never be scaled"
    assert services["mailpit"]["profiles"] == ["staging"]
    for name in ("web", "postgres", "redis", "minio", "mailpit"):
        assert "test" in services[name]["healthcheck"], name


def test_compose_redis_keeps_its_data_and_never_evicts():
    redis = _compose()["services"]["redis"]
    command = redis["command"]

    assert command[command.index("--appendonly") + 1] == "yes"
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"
    assert redis["volumes"] == ["redisdata:/data"]


def test_compose_volumes_are_declared_and_every_variable_is_in_the_env_example():
    compose = _compose()
    declared = set(compose["volumes"])
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith("."):
                assert source in declared, source

    referenced = set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE.read_text()))
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", COMPOSE.read_text()))
    example = _env_example()
    assert required <= set(example), required - set(example)
    images = {"RFP_IMAGE", "POSTGRES_IMAGE", "REDIS_IMAGE", "MINIO_IMAGE", "MINIO_MC_IMAGE", "MAILPIT_IMAGE"}
    ports = {"MINIO_CONSOLE_PORT", "MINIO_API_PORT", "MAILPIT_UI_PORT"}
    assert referenced - images - ports <= set(example), referenced - images - ports - set(example)


def test_compose_gives_the_app_every_variable_production_requires():
    environment = _compose()["x-app"]["environment"]

    assert _production_required() <= set(environment)
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["S3_ENDPOINT_URL"] == "http://minio:9000"


# --- Kubernetes ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.29.0", "1.37.0"])
def test_kubernetes_manifests_match_the_kubernetes_schemas(version):
    import kubernetes_validate

    problems = []
    for name, document in _k8s_documents():
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            problems.append(f"{name} {document['kind']}/{document['metadata']['name']}: {error.message}")

    assert not problems, "\n".join(problems)


def test_kustomization_lists_the_manifests_and_leaves_out_the_secret_example_and_the_job():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())

    listed = set(kustomization["resources"])
    assert listed == {"namespace.yaml", "configmap.yaml", "web.yaml", "workers.yaml", "beat.yaml"}
    assert all((K8S / name).is_file() for name in listed)


def test_kubernetes_processes_have_their_probes_scaling_and_resources():
    documents = {(document["kind"], document["metadata"]["name"]): document for _, document in _k8s_documents()}

    web = documents[("Deployment", "rfp-web")]["spec"]["template"]["spec"]["containers"][0]
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert ("Service", "rfp-web") in documents
    for queue in QUEUES:
        worker = documents[("Deployment", f"rfp-worker-{queue}")]
        command = worker["spec"]["template"]["spec"]["containers"][0]["command"]
        assert command[command.index("-Q") + 1] == queue
        autoscaler = documents[("HorizontalPodAutoscaler", f"rfp-worker-{queue}")]
        assert autoscaler["spec"]["scaleTargetRef"]["name"] == f"rfp-worker-{queue}"
    beat = documents[("Deployment", "rfp-beat")]["spec"]
    assert beat["replicas"] == 1
    assert beat["strategy"] == {"type": "Recreate"}
    migrate = documents[("Job", "rfp-migrate")]["spec"]["template"]["spec"]["containers"][0]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert documents[("Secret", "rfp-secrets")]["stringData"]
    assert documents[("ConfigMap", "rfp-config")]["data"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"

    for (kind, name), document in documents.items():
        if kind not in ("Deployment", "Job"):
            continue
        pod = document["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        for container in pod["containers"]:
            assert container["resources"]["requests"]["cpu"], name
            assert container["resources"]["requests"]["memory"], name
            assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name


def test_every_required_production_variable_reaches_the_pods():
    documents = {(document["kind"], document["metadata"]["name"]): document for _, document in _k8s_documents()}
    provided = {
        *documents[("ConfigMap", "rfp-config")]["data"],
        *documents[("Secret", "rfp-secrets")]["stringData"],
    }
    web = documents[("Deployment", "rfp-web")]["spec"]["template"]["spec"]["containers"][0]
    provided |= {variable["name"] for variable in web["env"]}

    assert _production_required() <= provided


# --- Documentation --------------------------------------------------------------------------------------------


def test_every_variable_the_service_reads_is_documented_in_the_deploy_readme():
    sources = [PROJECT_DIR / "config" / "settings" / name for name in ("base.py", "production.py")]
    sources.append(DEPLOY / "gunicorn.conf.py")
    pattern = re.compile(r'(?:env(?:\.[a-z]+)?|os\.environ\.get|os\.environ\.setdefault)\(\s*"([A-Z][A-Z0-9_]+)"')
    read = {name for source in sources for name in pattern.findall(source.read_text())}
    readme = (DEPLOY / "README.md").read_text()

    assert len(read) > 40
    undocumented = sorted(name for name in read if f"`{name}`" not in readme and f"{name}," not in readme)
    assert not undocumented, f"add these to deploy/README.md, section Environment: {undocumented}"


# --- Dockerfile ------------------------------------------------------------------------------------------------


def test_dockerfile_passes_hadolint():
    hadolint = Path(sys.executable).parent / "hadolint"

    result = subprocess.run(
        [str(hadolint), "--no-color", str(DEPLOY / "Dockerfile")], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_a_non_root_user_with_weasyprints_libraries():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    runtime = dockerfile[dockerfile.index("AS runtime") :]

    assert dockerfile.count("\nFROM ") == 2, "a build stage and a runtime stage"
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"):
        assert package in runtime
    assert "build-essential" not in runtime
    assert re.search(r"^USER 10001:10001$", runtime, re.MULTILINE)
    assert 'CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "config.wsgi"]' in runtime


def test_dockerfile_build_steps_work_on_this_checkout(collected_static):
    """The requirements the build stage extracts, and the collectstatic the runtime stage runs with its own env."""
    dockerfile = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    extract = re.search(r'RUN (python -c "import tomllib;.*?")\s+> requirements.txt', dockerfile).group(1)

    requirements = subprocess.run(
        [sys.executable, "-c", shlex.split(extract)[2]], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split()

    assert any(line.startswith("Django") for line in requirements)
    assert any(line.startswith("django-storages") for line in requirements)
    manifest = json.loads((collected_static / "staticfiles.json").read_text())
    assert "favicon.svg" in manifest["paths"], "whitenoise's manifest names the hashed copy of each static file"


@pytest.mark.parametrize("queue", QUEUES)
def test_celery_routes_reach_the_queue_each_worker_listens_to(queue):
    from django.conf import settings

    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} | {settings.CELERY_TASK_DEFAULT_QUEUE}

    assert queue in routed
